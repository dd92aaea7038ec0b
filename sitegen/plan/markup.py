"""Listing text and curator Markdown -> HTML.

Listing text is data: it is escaped, and the only markup it ever gains is a
link around an http(s) URL. Curator Markdown (pages, notes) is trusted
content of the site's own repository and goes through python-markdown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

# Braces and backslashes end a URL: listing text puts a URL inside `{...}`
# (LaTeX `\url{...}`) far more often than a URL contains one.
URL = re.compile(r"\bhttps?://[^\s<>\"'`{}\\]+", re.IGNORECASE)
TRAILING = ".,;:!?)]'\""
# Characters an href may carry as they are (RFC 3986 unreserved and the
# reserved ones valid outside a host, plus `%` for escapes already there).
URL_SAFE = ":/?#@!$&'()*+,;=-._~%"
LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def split_url(candidate: str) -> tuple[str, str]:
    """A URL followed by prose punctuation keeps the punctuation outside the link."""
    url = candidate
    while url and url[-1] in TRAILING:
        # Keep a closing bracket that closes one opened inside the URL.
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url, candidate[len(url):]


def href(url: str) -> str:
    """The link target for a URL found in text: odd characters (`|`, `^`, `[`,
    non-ASCII, a `%` that starts no escape) percent-encoded, so the href is a valid URL."""
    return LONE_PERCENT.sub("%25", quote(url, safe=URL_SAFE))


def linkify(text: str) -> Markup:
    """Escape `text` and turn its http(s) URLs into links; paragraphs on blank lines."""
    return Markup(linked_html(text))


def linked_html(text: str) -> str:
    """`linkify(text)` as a plain string, for an `__html__` (whose caller makes it Markup)."""
    # Built as plain strings, every piece escaped on the way in: Markup's own
    # format and join cost more than the rest of a paper's page put together.
    paragraphs = []
    for paragraph in text.split("\n\n"):
        pieces: list[str] = []
        position = 0
        for match in URL.finditer(paragraph) if "://" in paragraph else ():
            url, rest = split_url(match.group(0))
            if len(url) <= len("https://"):
                continue
            pieces += [str(escape(paragraph[position:match.start()])),
                       f'<a href="{escape(href(url))}" rel="nofollow noopener">{escape(url)}</a>',
                       str(escape(rest))]
            position = match.end()
        pieces.append(str(escape(paragraph[position:])))
        paragraphs.append(f"<p>{''.join(pieces)}</p>")
    return "\n".join(paragraphs)


@dataclass(frozen=True, slots=True)
class Linkified:
    """`linkify(text)`, made when a template shows it (`__html__`): in a render
    worker, and without keeping every abstract's HTML in memory at once."""

    text: str

    def __html__(self) -> str:
        return linked_html(self.text)


def excerpt(text: str, limit: int = 240) -> str:
    """Plain text cut at a word boundary, for lists and meta descriptions."""
    # Only the start is shown, so only the start is flattened: the flattened
    # start of a text is the start of the flattened text, and an abstract is
    # several times as long as its excerpt. The whole is flattened only when
    # the start is too short, or mostly whitespace.
    head = text[: 2 * limit]
    flat = " ".join(head.split())
    if len(flat) <= limit and len(head) < len(text):
        flat = " ".join(text.split())
    return flat if len(flat) <= limit else cut_at_word(flat, limit)


def cut_at_word(flat: str, limit: int) -> str:
    """The start of a flattened text longer than `limit`, cut at a word boundary, with an ellipsis."""
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def shorter_excerpt(longer: str, text: str, limit: int) -> str:
    """`excerpt(text, limit)`, cut from `longer`, an excerpt of `text` with a larger limit, where
    that holds all the shorter one shows: a paper's description from its card's excerpt."""
    start = longer.removesuffix("…")  # the flattened text, or a start of it (perhaps ending in a space)
    # Longer than `limit`, it holds the flattened text's first `limit` characters: all that a cut reads.
    return cut_at_word(start, limit) if len(start) > limit else excerpt(text, limit)


def render_markdown(source: str) -> Markup:
    import markdown  # here: with what it loads, a fiftieth of a second of every start, for pages few sites have

    return Markup(markdown.markdown(source, extensions=["extra", "sane_lists", "smarty"], output_format="html"))


# One encoder for every page: `json.dumps` with options makes a new one per call. Documents
# are made of fresh dicts and lists, so the check for a list that contains itself is skipped.
SCRIPT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, check_circular=False).encode


def json_for_script(document: object) -> str:
    """A JSON document as HTML safe inside <script>: `<`, `>` and `&` become \\u
    escapes, so no text from a listing can close the script element.

    A plain string, for an `__html__` (whose caller makes it Markup)."""
    text = SCRIPT_JSON(document)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
