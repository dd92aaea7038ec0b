"""Hostile listing text stays text in every output: HTML pages, feeds, the JSON
export, JSON-LD and the Pagefind index. Nothing in it becomes an element, an
attribute or a link target, and all of it is still shown, exactly as written."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen.build import BuildOptions, build

from built_site import pagefind_fragments
from hostile import ABSTRACTS, TAGS_TOML, TITLES, write_hostile_content

SITE_URL = "http://127.0.0.1:8000/"
INJECTED_TAGS = {"img", "svg", "iframe", "b", "i", "textarea"}  # in the listings, never in the templates
OWN_SCRIPT_FOLDERS = ("/static/", "/pagefind/")
ESCAPED_LINKS = {"https://evil.example/a", "https://evil.example/b", "https://evil.example/c"}
# A paper page's title searches (plan/cite.py): the title only ever inside a percent-encoded query.
TITLE_SEARCH_HOSTS = {"arxiv.org", "huggingface.co", "www.semanticscholar.org", "scholar.google.com"}
ENCODED_URL = re.compile(r"https://[a-z.]+/[a-z/]*\?[A-Za-z0-9%+._~&=-]*")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    out = root / "public"
    build(BuildOptions(content_dir=write_hostile_content(root), out_dir=out, strict=True))
    return out


class Census(HTMLParser):
    """Every element with its attributes, the page's text, its h1 and its JSON-LD, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.h1: list[str] = []
        self.json_ld: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        self.open.append("ld" if attributes.get("type") == "application/ld+json" else tag)
        if self.open[-1] == "ld":
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        if self.open and self.open[-1] == "ld":
            self.json_ld[-1] += data
        elif "h1" in self.open:
            self.h1.append(data)
        if not self.open or self.open[-1] not in ("script", "ld", "style"):
            self.text.append(data)


def census(path: Path) -> Census:
    parser = Census()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_no_page_gains_an_element_attribute_or_link(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        for tag, attributes in census(page).elements:
            where = f"{page.relative_to(site)}: <{tag} {attributes}>"
            if tag == "svg" and attributes.get("class", "").startswith("chart-svg ") and attributes.get("role") == "img":
                continue  # a chart sitegen draws (sitegen/trends/charts.py); its texts are checked as text
            assert tag not in INJECTED_TAGS, where
            assert not any(name.startswith("on") for name in attributes), where
            assert attributes.get("class") != "x", where  # from `<div class=x`
            for name in ("href", "src", "action", "formaction", "content"):
                scheme = "".join(attributes.get(name, "").split()).lower()
                assert not scheme.startswith(("javascript:", "data:text")), where
            if tag == "script":
                assert attributes.get("type") == "application/ld+json" or urlsplit(attributes.get("src", "")).path.startswith(OWN_SCRIPT_FOLDERS), where
            if tag == "a" and urlsplit(attributes["href"]).netloc in TITLE_SEARCH_HOSTS:
                assert ENCODED_URL.fullmatch(attributes["href"]), where
            elif tag == "a" and urlsplit(attributes["href"]).netloc not in ("", "127.0.0.1:8000"):
                assert attributes["href"] in ESCAPED_LINKS, where


def test_every_title_abstract_and_byline_is_shown_verbatim(site):
    shown = {}
    for page in (site / "papers").glob("*/index.html"):
        parsed = census(page)
        shown[flat("".join(parsed.h1))] = flat("".join(parsed.text))
    assert set(shown) == {flat(title) for title in TITLES}
    for title, abstract in zip(TITLES, ABSTRACTS):
        assert flat(abstract) in shown[flat(title)]
    # A byline is an organisation's handle (its URL) and then its display name.
    assert '<img src=x onerror=alert(14)> "Evil" Corp' in shown[flat(TITLES[0])]
    assert "\"'><script>alert(15)</script> Labs" in shown[flat(TITLES[2])]
    tag_page = flat("".join(census(site / "tags" / "language-models" / "index.html").text))
    assert "Language <script>alert(16)</script> models" in tag_page


def test_json_ld_is_json_that_cannot_close_its_script(site):
    for page in sorted(site.rglob("*.html")):
        for raw in census(page).json_ld:
            assert "</" not in raw and "<!--" not in raw, page
            json.loads(raw)
    headlines = set()
    for page in (site / "papers").glob("*/index.html"):
        document = json.loads(census(page).json_ld[0])
        headlines.add(document["headline"])
    assert headlines == set(TITLES)


def test_feeds_are_well_formed_and_carry_the_text_as_text(site):
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted(site.rglob("feed.xml"))
    assert site / "tags" / "language-models" / "feed.xml" in feeds
    digests = [site / "weeks" / "feed.xml", site / "months" / "feed.xml"]  # an entry per period, not per paper
    for feed in feeds:
        root = ElementTree.parse(feed).getroot()
        assert {element.tag.split("}")[0] + "}" for element in root.iter()} == {atom}, feed  # no injected elements
        entries = root.findall(f"{atom}entry")
        if feed in digests:
            # The content is HTML, as text: each title in it escaped once, read back exactly.
            listed = [html.unescape(t) for e in entries
                      for t in re.findall(r'<a href="[^"]*">([^<]*)</a>', e.findtext(f"{atom}content"))]
            assert set(listed) == set(TITLES), feed
            continue
        titles = {entry.findtext(f"{atom}title") for entry in entries}
        if feed.parent.parent.name == "orgs":  # an organisation's feed: its own papers
            assert titles and titles < set(TITLES), feed
        else:
            assert titles == set(TITLES), feed
        for entry in entries:
            summary = entry.find(f"{atom}summary")
            assert summary.get("type", "text") == "text"
            assert flat(summary.text) in {flat(abstract) for abstract in ABSTRACTS}


def test_json_export_keeps_the_text_exactly(site):
    export = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    assert {paper["title"] for paper in export["papers"]} == set(TITLES)
    assert {flat(paper["abstract"]) for paper in export["papers"]} == {flat(abstract) for abstract in ABSTRACTS}
    assert export["tags"] == {"language-models": "Language <script>alert(16)</script> models"}
    assert 'name = "Language <script>alert(16)</script> models"' in TAGS_TOML


def test_the_search_index_holds_the_text_and_internal_urls_only(site):
    records = pagefind_fragments(site)
    assert {record["meta"]["title"] for record in records} == set(TITLES)
    for record in records:
        assert urlsplit(record["url"]).path.startswith("/papers/") and not urlsplit(record["url"]).scheme
        title = record["meta"]["title"]
        abstract = ABSTRACTS[TITLES.index(title)]
        # The record is the text as written: the search page (static/search.js) shows it
        # as text, never as HTML (tests/browser/test_hostile_pages.py), and makes its own
        # excerpts, so Pagefind's HTML excerpt is never used.
        assert flat(abstract) in flat(record["content"])
        assert record["content"].startswith(" ".join(title.split()))
