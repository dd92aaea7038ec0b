"""Test helpers: a content folder made from the shipped dumps, a build of it,
and the built pages read back the way a browser or a crawler reads them.

Nothing here uses sitegen's own URL rules or view code: pages are found by
walking the output folder and read with the standard library's HTML parser,
so a test compares sitegen's output with what is really on disk.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = PROJECT / "content"

# Three tags: a big one (several pages), one whose name needs escaping, and
# one whose only paper is undated (so its feed has no entries).
TAGS_TOML = """\
[language-models]
name = "Language models"
phrases = ["language model", "llm"]

[diffusion]
name = "Diffusion & <models>"
description = "Papers on \\"diffusion\\" & friends."
phrases = ["diffusion"]

[neural-databases]
name = "Neural databases"
phrases = ["neural databases", "neuraldb"]
"""

# A dump whose text tries to break out of HTML, XML and JSON.
HOSTILE_TITLE = 'Breaking </script><script>alert(1)</script> & "Quotes" ]]> <EOS> language models'
HOSTILE_DUMP = f"""Daily Papers

Nov 20

{HOSTILE_TITLE}

We study markup like <b>bold</b> & ampersands]]> in a large language model, with control characters dropped at reading (tests/test_hardening_input.py).

  • 3 authors

·

Nov 19, 2025 42
"""

# A paper dated after the day its listing was saved: a warning (so --strict fails), not an error.
LATE_DATE_DUMP = """Daily Papers

Nov 13

A Paper From The Future

An abstract long enough to read as one, about a paper dated after its listing was saved.

Nov 14, 2025 3
"""


def make_content(root: Path, site_toml: str = "", tags: str = TAGS_TOML, hostile: bool = True) -> Path:
    """A content folder: the shipped dumps and pages, plus test tags and settings."""
    content = root / "content"
    shutil.copytree(SHIPPED, content)
    (content / "tags.toml").write_text(tags, encoding="utf-8")
    if site_toml:
        (content / "site.toml").write_text(site_toml, encoding="utf-8")
    if hostile:
        (content / "listings" / "2025-11-20-hostile.txt").write_text(HOSTILE_DUMP, encoding="utf-8")
    return content


def run_sitegen(*args: str | Path, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    """`sitegen ARGS` as a user runs it, in a separate process."""
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def build(content: Path, out: Path, *args: str) -> Path:
    result = run_sitegen("build", "--content", content, "--out", out, *args)
    assert result.returncode == 0, result.stderr
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Page:
    """One built HTML page, as parsed by html.parser."""

    url: str
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    meta: dict[str, str] = field(default_factory=dict)  # name or property -> content
    link_rels: list[dict[str, str]] = field(default_factory=list)  # attributes of each <link>
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)  # (attributes, text)
    ids: set[str] = field(default_factory=set)
    h1: str = ""
    times: list[str] = field(default_factory=list)  # datetime of each <time>
    facts_date: str | None = None  # a paper page's own date: the <time> in its facts list

    @property
    def canonical(self) -> str:
        return next(link["href"] for link in self.link_rels if link.get("rel") == "canonical")

    def json_ld(self) -> list[str]:
        return [text for attrs, text in self.scripts if attrs.get("type") == "application/ld+json"]

    def resolve(self, href: str) -> str:
        return urljoin(self.url, href)


class PageReader(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_script: dict[str, str] | None = None
        self.script_text: list[str] = []
        self.in_h1 = False
        self.in_facts = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        for name in ("href", "src", "action"):
            if name in attributes:
                self.page.links.append((tag, name, attributes[name]))
        if tag == "meta" and "content" in attributes:
            self.page.meta[attributes.get("property") or attributes.get("name", "")] = attributes["content"]
        elif tag == "link":
            self.page.link_rels.append(attributes)
        elif tag == "script":
            self.in_script, self.script_text = attributes, []
        elif tag == "h1":
            self.in_h1 = True
        elif tag == "time":
            self.page.times.append(attributes.get("datetime", ""))
            if self.in_facts:
                self.page.facts_date = attributes.get("datetime")
        elif tag == "dl" and "paper-facts" in attributes.get("class", "").split():
            self.in_facts = True

    def handle_endtag(self, tag):
        if tag == "script" and self.in_script is not None:
            self.page.scripts.append((self.in_script, "".join(self.script_text)))
            self.in_script = None
        elif tag == "h1":
            self.in_h1 = False
        elif tag == "dl":
            self.in_facts = False

    def handle_data(self, data):
        if self.in_script is not None:
            self.script_text.append(data)
        elif self.in_h1:
            self.page.h1 += data


def read_page(path: Path, url: str) -> Page:
    page = Page(url)
    reader = PageReader(page)
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return page


def page_url(out: Path, path: Path, base_url: str) -> str:
    """The URL a static host serves `path` at: folder/index.html at folder/."""
    relative = path.relative_to(out).as_posix()
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return base_url + relative


def html_pages(out: Path, base_url: str) -> dict[str, Page]:
    """Every built HTML page by URL."""
    return {page_url(out, path, base_url): read_page(path, page_url(out, path, base_url))
            for path in sorted(out.rglob("*.html"))}


def file_for(out: Path, base_url: str, url: str) -> Path | None:
    """The output file a URL of the site is served from, or None if it is outside the site or missing."""
    if not url.startswith(base_url):
        return None
    relative = urlsplit(url).path[len(urlsplit(base_url).path):]
    target = out / relative
    if relative == "" or relative.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def pagefind_fragments(site: Path) -> list[dict]:
    """The index's paper records, as Pagefind's own client reads them (gzip, a signature, then JSON):
    every record but the bundle's one anchor record, which no search of the page finds
    (sitegen/search/index.py's ANCHOR; tests/browser/ check that no search shows it)."""
    signature = b"pagefind_dcd"
    records, anchors = [], 0
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(signature)
        record = json.loads(data[len(signature):])
        if record["content"] == "sitegenanchor" and record["url"] == "/search/":
            anchors += 1
        else:
            records.append(record)
    assert anchors == 1
    return records
