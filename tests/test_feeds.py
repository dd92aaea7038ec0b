"""Atom feeds, read back from a real build as a feed reader reads them."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from built_site import HOSTILE_TITLE, build, file_for, html_pages, make_content
from sitegen.plan import feeds

BASE = "https://example.org/archive/"
SITE_TOML = f'title = "Test Archive"\nbase_url = "{BASE}"\nfeed_size = 10\n'
A = "{http://www.w3.org/2005/Atom}"
CONTROL = re.compile("[\x00-\x1f]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds")
    out = build(make_content(root, SITE_TOML), root / "out")
    return out, html_pages(out, BASE)


def timestamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)  # RFC 3339 with "Z": Python 3.11 reads it


def read_atom(path: Path) -> tuple[ET.Element, list[ET.Element]]:
    """Parse a feed (it must be well-formed XML) and check what RFC 4287 requires of it."""
    feed = ET.parse(path).getroot()
    assert feed.tag == A + "feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(A + name)) == 1, name
    self_links = [link for link in feed.findall(A + "link") if link.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("href").startswith(BASE)
    assert feed.findtext(f"{A}author/{A}name"), "a feed-level author covers entries without one"
    entries = feed.findall(A + "entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(A + name)) == 1, name
        assert entry.findtext(A + "id").startswith(BASE)
        assert [link.get("rel") for link in entry.findall(A + "link")] == ["alternate"]
        assert timestamp(entry.findtext(A + "updated")) <= timestamp(feed.findtext(A + "updated"))
    assert len({entry.findtext(A + "id") for entry in entries}) == len(entries)
    return feed, entries


def entry_url(entry: ET.Element) -> str:
    return entry.find(A + "link").get("href")


def paper_dates(pages) -> dict[str, str | None]:
    return {url: page.facts_date for url, page in pages.items() if url.startswith(BASE + "papers/")}


def test_archive_feed_has_the_newest_dated_papers(built):
    out, pages = built
    feed, entries = read_atom(out / "feed.xml")
    dates = paper_dates(pages)
    dated = {url: date for url, date in dates.items() if date}
    assert len(entries) == min(10, len(dated))
    in_feed = [entry_url(entry) for entry in entries]
    for entry, url in zip(entries, in_feed):
        page = pages[url]
        assert CONTROL.sub("", page.h1) == entry.findtext(A + "title")
        assert entry.findtext(A + "updated")[:10] == dated[url]
    assert [dated[url] for url in in_feed] == sorted((dated[url] for url in in_feed), reverse=True)
    left_out = [date for url, date in dated.items() if url not in in_feed]
    assert min(dated[url] for url in in_feed) >= max(left_out)
    assert feed.findtext(A + "updated")[:10] == dated[in_feed[0]]


def tag_paper_urls(out: Path, pages, slug: str) -> list[str]:
    """The papers a tag's pages show, in their order, across all its pages."""
    folder = out / "tags" / slug
    numbered = sorted(folder.glob("page/*/index.html"), key=lambda p: int(p.parent.name))
    urls: list[str] = []
    for path in [folder / "index.html", *numbered]:
        page = pages[BASE + path.parent.relative_to(out).as_posix() + "/"]
        for tag, attribute, value in page.links:
            url = page.resolve(value)
            if tag == "a" and url.startswith(BASE + "papers/") and url not in urls:
                urls.append(url)
    return urls


@pytest.mark.parametrize("slug", ["language-models", "diffusion", "neural-databases"])
def test_each_tag_page_links_its_feed_of_the_newest_papers_it_shows(built, slug):
    out, pages = built
    tag_page = pages[f"{BASE}tags/{slug}/"]
    alternates = [link for link in tag_page.link_rels if link.get("type") == "application/atom+xml"]
    assert [tag_page.resolve(link["href"]) for link in alternates] == [f"{BASE}tags/{slug}/feed.xml"]
    visible = [tag_page.resolve(value) for tag, _, value in tag_page.links if tag == "a"]
    assert f"{BASE}tags/{slug}/feed.xml" in visible

    feed, entries = read_atom(out / "tags" / slug / "feed.xml")
    dates = paper_dates(pages)
    shown = tag_paper_urls(out, pages, slug)
    assert shown, "the tag has papers"
    assert [entry_url(entry) for entry in entries] == [url for url in shown if dates[url]][:10]
    for entry in entries:
        assert slug in [category.get("term") for category in entry.findall(A + "category")]
    if not entries:  # the tag's only paper is undated: an empty feed, still dated
        assert slug == "neural-databases"
        assert timestamp(feed.findtext(A + "updated"))


def test_every_page_links_one_feed_that_exists(built):
    out, pages = built
    for url, page in pages.items():
        alternates = [link for link in page.link_rels if link.get("type") == "application/atom+xml"]
        assert len(alternates) == 1, url
        assert file_for(out, BASE, page.resolve(alternates[0]["href"])), url


def test_listing_text_stays_text_in_the_feed(built):
    out, _ = built
    raw = (out / "feed.xml").read_bytes()
    assert b"<script>" not in raw and b"<b>" not in raw and b"\x01" not in raw
    _, entries = read_atom(out / "feed.xml")
    hostile = next(e for e in entries if "Breaking" in e.findtext(A + "title"))
    assert hostile.findtext(A + "title") == HOSTILE_TITLE.replace("\x01", "")
    assert "markup like <b>bold</b> & ampersands]]> in" in hostile.findtext(A + "summary")
    feed, _ = read_atom(out / "tags" / "diffusion" / "feed.xml")
    assert feed.findtext(A + "title").startswith("Diffusion & <models>")


def test_the_feed_author_is_the_site_and_an_organisation_only_a_contributor(built):
    out, _ = built
    for path in [out / "feed.xml", out / "new.xml", *sorted((out / "tags").glob("*/feed.xml"))]:
        feed, entries = read_atom(path)
        authors = feed.findall(A + "author")
        assert [author.findtext(A + "name") for author in authors] == ["Test Archive"], path
        assert authors[0].findtext(A + "uri") == BASE
        for entry in entries:
            assert entry.findall(A + "author") == [], "an entry inherits the site as author, never an organisation"
            assert len(entry.findall(A + "contributor")) <= 1
    _, entries = read_atom(out / "new.xml")
    contributors = {entry.findtext(f"{A}contributor/{A}name") for entry in entries} - {None}
    assert contributors, "the shipped listings name organisations, and they stand as contributors"


def test_new_feed_holds_every_paper_newest_listing_first_undated_ones_too(built):
    out, pages = built
    _, entries = read_atom(out / "new.xml")
    dates = paper_dates(pages)
    assert sorted(entry_url(entry) for entry in entries) == sorted(dates)
    assert any(date is None for date in dates.values())
    received = [entry.findtext(A + "updated")[:10] for entry in entries]
    assert received == sorted(received, reverse=True)
    # Entries are dated by the save date (the file name's date) of the first listing that held them.
    saved = sorted(path.name[:10] for path in (out.parent / "content" / "listings").glob("20*.txt"))
    assert received[0] == saved[-1]
    # Papers only a listing without a save date held (so undated) come last, dated 1970-01-01.
    assert set(received) <= {*saved, "1970-01-01"}


def atom_by_element_tree(feed: feeds.Feed) -> bytes:
    """The feed as ElementTree builds and writes it: what `feeds.atom` puts together as text."""
    root = ET.Element("feed", {"xmlns": feeds.ATOM_NAMESPACE, "xml:lang": feeds.xml_text(feed.language)})
    child = feeds.child
    child(root, "title", feed.title)
    child(root, "subtitle", feed.subtitle)
    child(root, "link", rel="self", type="application/atom+xml", href=feed.url)
    child(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    child(root, "id", feed.url)
    child(root, "updated", feeds.timestamp(feed.updated))
    author = child(root, "author")
    child(author, "name", feed.author)
    child(author, "uri", feed.author_uri)
    child(root, "generator", "sitegen")
    for entry in feed.entries:
        item = child(root, "entry")
        child(item, "title", entry.title, type="text")
        child(item, "link", rel="alternate", type="text/html", href=entry.url)
        child(item, "id", entry.url)
        child(item, "published", feeds.timestamp(entry.date))
        child(item, "updated", feeds.timestamp(entry.date))
        if entry.contributor:
            child(child(item, "contributor"), "name", entry.contributor)
        for term, label in entry.categories:
            child(item, "category", term=term, label=label)
        child(item, "summary", entry.summary, type="text")
    return feeds.xml_document(root)


# Text with everything XML escapes or forbids: markup, quotes, line breaks, tabs, controls, lone surrogates.
TEXT = st.text(alphabet=st.sampled_from(list("ab <>&\"'\r\n\t\x00\x0b\x1f\ud800\ufffe\u00e9\U0001f600 ")), max_size=12)
ENTRIES = st.builds(feeds.Entry, url=TEXT, title=TEXT, date=st.dates(), summary=TEXT,
                    contributor=st.none() | TEXT, categories=st.lists(st.tuples(TEXT, TEXT), max_size=2).map(tuple))


@given(st.builds(feeds.Feed, url=TEXT, page_url=TEXT, title=TEXT, subtitle=TEXT, language=TEXT, author=TEXT,
                 author_uri=TEXT, updated=st.dates(), entries=st.lists(ENTRIES, max_size=3).map(tuple)))
def test_a_feed_is_written_byte_for_byte_as_element_tree_writes_it(feed):
    assert feeds.atom(feed) == atom_by_element_tree(feed)
