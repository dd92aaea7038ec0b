"""Internal link integrity of a built site: every href, src and #fragment resolves.

Reads the output folder the way a browser would follow it: root-relative and
relative links are resolved against the page's own URL, `/x/` means
`/x/index.html`, and a `#fragment` must name an element id on the target page.
Absolute URLs under the site's base URL (canonical links, feed and sitemap
entries) are internal too; other external links are not followed.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.core.diagnostics import Diagnostic, Severity

LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action", "iframe": "src", "source": "src"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class PageLinks:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str]] = field(default_factory=list)  # (line, url)


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        wanted = LINK_ATTRIBUTES.get(tag)
        if wanted and values.get(wanted) is not None:
            self.page.links.append((self.getpos()[0], values[wanted]))
        if tag == "meta" and values.get("property") == "og:url" and values.get("content"):
            self.page.links.append((self.getpos()[0], values["content"]))


def collect(path: Path) -> PageLinks:
    collector = LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


def xml_links(path: Path) -> PageLinks:
    """The links of an Atom feed (`<link href>`) or a sitemap (`<loc>`); line 0, as
    ElementTree keeps no line numbers."""
    page = PageLinks()
    for element in ElementTree.parse(path).iter():
        if element.tag == f"{ATOM}link" and element.get("href"):
            page.links.append((0, element.get("href")))
        elif element.tag == f"{SITEMAP}loc" and element.text:
            page.links.append((0, element.text.strip()))
    return page


def page_url(out_dir: Path, path: Path, base_path: str) -> str:
    relative = path.relative_to(out_dir).as_posix()
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return base_path + relative


def target_file(out_dir: Path, url_path: str, base_path: str) -> Path | None:
    if not url_path.startswith(base_path):
        return None
    relative = unquote(url_path[len(base_path):])
    candidate = out_dir / relative
    if relative == "" or relative.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(out_dir: Path, base_url: str = "/", unchecked: tuple[str, ...] = (),
               only: list[Path] | None = None) -> list[Diagnostic]:
    """Every broken internal link and missing fragment target, as diagnostics.

    `base_url` is the URL the site is served from: a path (`/`, `/sub/`) or an
    absolute URL, whose links are then internal as well. Links to paths
    starting with one of `unchecked` (a part not built) are skipped. With
    `only`, just the links on those pages are checked (a strict build's)."""
    base = urlsplit(base_url)
    origin, base_path = (base.scheme, base.netloc), base.path or "/"
    pages = {path: collect(path) for path in sorted(out_dir.rglob("*.html") if only is None else only)}
    sources = dict(pages)
    if only is None:
        sources.update({path: xml_links(path) for path in sorted(out_dir.rglob("*.xml"))})
    problems: list[Diagnostic] = []
    for path, page in sources.items():
        here = page_url(out_dir, path, base_path)
        where = str(path.relative_to(out_dir))
        for line, link in page.links:
            parts = urlsplit(link)
            if (parts.scheme or parts.netloc) and (parts.scheme, parts.netloc) != origin:
                continue  # external
            target_path = posixpath.normpath(posixpath.join(posixpath.dirname(here), parts.path)) if parts.path else here
            if parts.path.endswith("/") and not target_path.endswith("/"):
                target_path += "/"
            if target_path.startswith(unchecked):
                continue
            target = path if not parts.path else target_file(out_dir, target_path, base_path)
            if target is None:
                problems.append(Diagnostic(where, line, Severity.ERROR, f"broken link {link!r}: no such page"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else collect(target).ids
                if fragment not in ids:
                    problems.append(Diagnostic(where, line, Severity.ERROR, f"broken link {link!r}: no element with id {fragment!r}"))
    return problems
