"""The shipped content, built for real, checked the way a reader would browse it."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from conftest import REPO, SHIPPED_CONTENT


@functools.cache
def parsed_papers() -> list[dict]:
    """Papers as `sitegen parse --json` reports them: the parser's view, not the site's."""
    run = subprocess.run([sys.executable, "-m", "sitegen", "parse", "--json", "--content", str(SHIPPED_CONTENT)],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return [json.loads(line) for line in run.stdout.splitlines()]


class Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.title_parts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title_parts.append(data)


@functools.cache
def anchors(page: Path) -> Anchors:
    parser = Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def page_file(site: Path, url: str) -> Path:
    path = urlsplit(url).path.lstrip("/")
    return site / path / "index.html" if not path or path.endswith("/") else site / path


def paper_links(site: Path, url: str) -> set[str]:
    return {urlsplit(h).path for h in anchors(page_file(site, url)).hrefs if h.startswith("/papers/")}


def follow_pagination(site: Path, first_url: str) -> list[str]:
    """The URLs of every page of a paginated list, found by following its page links."""
    pattern = re.compile(re.escape(first_url) + r"page/\d+/$")
    seen, todo = {first_url}, [first_url]
    while todo:
        for href in anchors(page_file(site, todo.pop())).hrefs:
            if pattern.match(href) and href not in seen:
                seen.add(href)
                todo.append(href)
    return sorted(seen)


def test_every_paper_has_exactly_one_page(shipped_site):
    papers = parsed_papers()
    assert len(papers) == 472  # the merged count, checked independently in test_parser
    pages = sorted(p.name for p in (shipped_site / "papers").iterdir() if (p / "index.html").is_file())
    assert pages == sorted(p["id"] for p in papers)


def test_paper_page_shows_the_paper(shipped_site):
    paper = next(p for p in parsed_papers() if p["title"].startswith("Deciphering Cross-Modal Alignment"))
    html = page_file(shipped_site, f"/papers/{paper['id']}/").read_text()
    assert "Deciphering Cross-Modal Alignment in Large Vision-Language Models with Modality Integration Rate" in html
    assert '<time datetime="2024-10-09">Oct 9, 2024</time>' in html
    assert "9 authors" in html
    assert '<a href="https://github.com/shikiw/Modality-Integration-Rate" rel="nofollow noopener">' in html
    assert 'href="/days/2024-10-09/"' in html
    assert "Listing saved Nov 13, 2025, line" in html


def test_every_paper_is_reachable_from_the_day_archive(shipped_site):
    archive = anchors(page_file(shipped_site, "/days/")).hrefs
    years = [h for h in archive if re.fullmatch(r"/days/\d{4}/", h)]  # /days/ lists the years, each has its calendar
    day_urls = [h for year in years for h in anchors(page_file(shipped_site, year)).hrefs
                if re.fullmatch(r"/days/\d{4}-\d{2}-\d{2}/", h)]
    reached: set[str] = set()
    for day in day_urls:
        reached |= paper_links(shipped_site, day)
    assert "/days/undated/" in archive
    for page in follow_pagination(shipped_site, "/days/undated/"):
        reached |= paper_links(shipped_site, page)
    assert reached == {f"/papers/{p['id']}/" for p in parsed_papers()}


def test_day_pages_hold_papers_of_their_own_date_most_upvoted_first(shipped_site):
    by_id = {p["id"]: p for p in parsed_papers()}
    for day_dir in (shipped_site / "days").iterdir():
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day_dir.name):
            continue
        html = (day_dir / "index.html").read_text()
        ids = [m for m in re.findall(r'<h2 class="card-title"><a href="/papers/([^/"]+)/">', html)]
        assert ids, day_dir
        assert {by_id[i]["date"] for i in ids} == {day_dir.name}
        votes = [by_id[i]["upvotes"] or 0 for i in ids]
        assert votes == sorted(votes, reverse=True)


def test_every_paper_is_reachable_from_each_of_its_tags_and_listings(shipped_site):
    papers = parsed_papers()
    for paper in papers:
        page = page_file(shipped_site, f"/papers/{paper['id']}/")
        links = anchors(page).hrefs
        url = f"/papers/{paper['id']}/"
        # The paper's own tags, not those of the related papers listed below it.
        own_tags = re.search(r'<section aria-labelledby="tags-heading">(.*?)</section>', page.read_text(), re.S)
        tag_urls = set(re.findall(r'href="(/tags/[a-z0-9-]+/)"', own_tags.group(1))) if own_tags else set()
        for tag in tag_urls:
            assert any(url in paper_links(shipped_site, p) for p in follow_pagination(shipped_site, tag)), (url, tag)
        listing_urls = {urlsplit(h).path for h in links if h.startswith("/listings/") and "#line-" in h}
        assert len(listing_urls) == len({s["listing"] for s in paper["seen_in"]})
        for listing in listing_urls:
            assert url in paper_links(shipped_site, listing)


def test_every_page_has_a_title_and_lang(shipped_site):
    for page in shipped_site.rglob("*.html"):
        text = page.read_text()
        assert text.startswith("<!doctype html>\n<html lang=\"en\">"), page
        assert "".join(anchors(page).title_parts).strip(), page
