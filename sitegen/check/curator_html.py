"""Curator HTML that should never reach the site by accident (issue 15, item 13).

Markdown pages and notes pass raw HTML through as written: that is the
curator's right, and the listings' text is escaped elsewhere. But an inline
`<script>`, an `on*=` attribute, a `javascript:` URL or a script, frame,
image or stylesheet from another host is either a mistake (a snippet pasted
from elsewhere) or something the site's Content-Security-Policy
(netlify.toml) blocks in production anyway. Each is a `FILE:LINE` warning,
so `--strict` (the deploy) refuses it, unless the file's front matter says
`allow_html = true`.

The rendered HTML is what is scanned (Markdown makes `<img>` and `<a>` from
`![..](..)` and `[..](..)` too), with the standard library's `html.parser`,
which unescapes attribute values as a browser does (`&#106;avascript:`).
The line is found by looking for the offending text in the Markdown source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sitegen.core.diagnostics import Diagnostics
from sitegen.plan.markup import render_markdown
from sitegen.read.content import Content, MarkdownDoc

# Attributes that make the browser fetch something when the page loads (not links a reader follows).
RESOURCE_ATTRIBUTES = {
    "script": ("src",), "iframe": ("src",), "frame": ("src",), "img": ("src", "srcset"), "embed": ("src",),
    "object": ("data",), "video": ("src", "poster"), "audio": ("src",), "source": ("src", "srcset"),
    "track": ("src",), "input": ("src",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
}
LOADED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}  # <link rel=...> that fetch
# <script type=...> values a browser runs; any other type (application/ld+json, ...) is a data block.
SCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript"}
ASCII_SPACE = "".join(chr(code) for code in range(0x21))  # what a browser ignores inside a URL's scheme


@dataclass(frozen=True)
class Finding:
    what: str  # for the message: "an inline <script>", ...
    clues: tuple[str, ...]  # text to look for in the Markdown source, most telling first


def runs_script(url: str) -> bool:
    """Whether a URL is a `javascript:` URL as a browser reads it (spaces and controls inside ignored)."""
    return "".join(ch for ch in url if ch not in ASCII_SPACE).lower().startswith("javascript:")


def off_site_host(url: str, site_host: str) -> str | None:
    """The other host a URL loads from, or None for the site's own files (and data: URLs)."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None  # not a URL a browser could load from another host either
    return host if host and host != site_host else None


class Scanner(HTMLParser):
    def __init__(self, site_host: str):
        super().__init__(convert_charrefs=True)
        self.site_host = site_host
        self.findings: list[Finding] = []

    def found(self, what: str, *clues: str) -> None:
        self.findings.append(Finding(what, tuple(clue for clue in clues if clue)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = self.get_starttag_text() or ""
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.found(f"an event-handler attribute `{name}` on <{tag}>", written, f"{name}=", f"<{tag}")
            if value and runs_script(value):
                self.found(f"a javascript: URL in <{tag} {name}>", written, value, f"<{tag}")
        if tag == "script" and "src" not in values and values.get("type", "").strip().lower() in SCRIPT_TYPES:
            self.found("an inline <script>", written, "<script")
        if tag == "iframe" and "srcdoc" in values:
            self.found("an <iframe srcdoc> (a page written inline)", written, "srcdoc")
        for name in self.resource_attributes(tag, values):
            for url in urls_of(name, values.get(name, "")):
                if host := off_site_host(url, self.site_host):
                    self.found(f"<{tag}> loading {url!r} from another host ({host})", written, url, f"<{tag}")

    handle_startendtag = handle_starttag

    @staticmethod
    def resource_attributes(tag: str, values: dict[str, str]) -> tuple[str, ...]:
        if tag == "link":
            return ("href",) if LOADED_LINKS & set(values.get("rel", "").lower().split()) else ()
        return RESOURCE_ATTRIBUTES.get(tag, ())


def urls_of(attribute: str, value: str) -> list[str]:
    """The URLs an attribute names: one, or a srcset's candidates (`url 2x, url 640w`)."""
    if attribute == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
    return [value] if value.strip() else []


def line_of(doc: MarkdownDoc, finding: Finding, searched_from: dict[str, int]) -> int:
    """The source line holding the finding's first clue found; a clue seen again is looked for further on."""
    for clue in finding.clues:
        at = doc.body.find(clue, searched_from.get(clue, 0))
        if at < 0:
            at = doc.body.find(clue)
        if at >= 0:
            searched_from[clue] = at + 1
            return doc.body_line + doc.body.count("\n", 0, at)
    return doc.body_line


def scan(doc: MarkdownDoc, site_host: str) -> list[Finding]:
    if not any(mark in doc.body for mark in ("<", ":", "//")):  # nothing Markdown could make into either
        return []
    scanner = Scanner(site_host)
    scanner.feed(str(render_markdown(doc.body)))
    scanner.close()
    return scanner.findings


def flag_curator_html(content: Content, report: Diagnostics) -> None:
    """A warning for each risky piece of HTML in pages and notes whose front matter does not allow it."""
    site_host = urlsplit(content.config.base_url).hostname or ""
    docs: Iterable[MarkdownDoc] = (*content.pages, *content.notes)
    for doc in docs:
        if doc.meta.allow_html:
            continue
        searched_from: dict[str, int] = {}
        for finding in scan(doc, site_host):
            report.warn(doc.source_path, line_of(doc, finding, searched_from),
                        f"{finding.what}: the site's Content-Security-Policy blocks it and a strict build "
                        "refuses it; remove it, or put allow_html = true in the front matter if it is meant")
