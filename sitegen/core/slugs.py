"""Readable, URL-safe slugs for any title, in any script.

`anyascii` transliterates CJK, Arabic, Cyrillic and emoji into ASCII. Chinese
and Japanese write no spaces between words, so each Han character becomes its
own hyphenated syllable: "注意力机制" -> `zhu-yi-li-ji-zhi` (kana runs stay
together: "タイトル" -> `taitoru`). Emoji become their names (`rocket-fire`).
Only when nothing readable is left does the slug fall back to a hash of the
text. Slugs are at most 80 characters, cut at a hyphen where possible, and
depend on nothing but the text, so they are stable across builds.
"""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 80  # keeps paths well under every file system's 255-byte limit
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
HIRAGANA = (0x3040, 0x309F)
KATAKANA = (0x30A0, 0x30FF)


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def script_of(char: str) -> str:
    """"han", "hiragana", "katakana" or "other": where a word may end without a space."""
    code = ord(char)
    if any(low <= code <= high for low, high in HAN_RANGES):
        return "han"
    if HIRAGANA[0] <= code <= HIRAGANA[1]:
        return "hiragana"
    if KATAKANA[0] <= code <= KATAKANA[1]:
        return "katakana"
    return "other"


def transliterate(text: str) -> str:
    """ASCII for `text`; a space after each Han character and where kana scripts change."""
    if text.isascii():
        return text
    spaced: list[str] = []
    previous = "other"
    for char in text:
        script = script_of(char)
        if script == "han" or (script != previous and "other" not in (script, previous)):
            spaced.append(" ")
        spaced.append(char)
        previous = script
    return anyascii("".join(spaced))


def shorten(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    # Cut at a word boundary when there is one in the second half.
    slug = cut[: cut.rfind("-")] if cut.rfind("-") > max_length // 2 else slug[:max_length]
    return slug.strip("-")


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """Lowercase ASCII words joined by `-`; never empty, at most `max_length` chars."""
    slug = shorten(NOT_SLUG.sub("-", transliterate(text).lower()).strip("-"), max_length)
    return slug or f"untitled-{short_hash(text)}"


def with_suffix(slug: str, suffix: str, max_length: int = MAX_LENGTH) -> str:
    """`slug-suffix`, shortening the slug so the whole stays within `max_length`."""
    return f"{shorten(slug, max_length - len(suffix) - 1)}-{suffix}"
