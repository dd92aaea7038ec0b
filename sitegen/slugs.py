"""Readable, URL-safe slugs for any title, in any script.

`anyascii` transliterates CJK, Arabic, Cyrillic and emoji into ASCII, so
"注意力机制" becomes `zhu-yi-li-ji-zhi` rather than an opaque hash. Only when
nothing readable is left does the slug fall back to a hash of the text.
"""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 80  # keeps paths well under every file system's 255-byte limit


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """Lowercase ASCII words joined by `-`; never empty, at most `max_length` chars."""
    slug = NOT_SLUG.sub("-", anyascii(text).lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        # Cut at a word boundary when there is one in the second half.
        slug = cut[: cut.rfind("-")] if cut.rfind("-") > max_length // 2 else slug[:max_length]
        slug = slug.strip("-")
    return slug or f"untitled-{short_hash(text)}"
