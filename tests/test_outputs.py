"""The sitemap, robots.txt and planning of non-HTML files, checked against what a build writes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from built_site import build, html_pages, make_content, page_url
from sitegen.build import BuildOptions
from sitegen.build import build as build_in_process
from sitegen.core.diagnostics import BuildError
from sitegen.plan.outputs import PlannedFile, plan_files, urlset
from sitegen.plan.planner import PlannedPage, check_collisions
from sitegen.plan.urls import Urls

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def built_html_urls(out: Path, base_url: str) -> set[str]:
    """URLs of every HTML file on disk, except the 404 page (served for missing paths, never indexed)
    and /saved/ (each browser's own list, nothing for a search engine), and the search page (empty until used)."""
    return {page_url(out, path, base_url) for path in out.rglob("*.html")
            if path.relative_to(out).as_posix() not in ("404.html", "saved/index.html", "search/index.html")}


def sitemap_locations(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == S + "urlset"
    return [url.findtext(S + "loc") for url in root.findall(S + "url")]


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/sub/archive/"])
def test_sitemap_lists_exactly_the_built_html_pages(tmp_path, base_url):
    out = build(make_content(tmp_path), tmp_path / "out", "--base-url", base_url)
    locations = sitemap_locations(out / "sitemap.xml")
    assert len(locations) == len(set(locations))
    assert set(locations) == built_html_urls(out, base_url)
    assert len(locations) > 700
    robots = (out / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {base_url}sitemap.xml" in robots


def test_a_large_site_gets_a_sitemap_index_of_parts_that_together_list_every_page(tmp_path):
    content = make_content(tmp_path)
    result = build_in_process(BuildOptions(content_dir=content, out_dir=tmp_path / "out"))
    urls = Urls(result.site.config.base_url)
    pages = [page.url for page in result.plan.pages]
    located = [(url, None) for url in pages]
    files = {planned.output_path: planned for planned in plan_files(result.site, urls, located, sitemap_limit=300)}
    index = ET.fromstring(files["sitemap.xml"].render())
    assert index.tag == S + "sitemapindex"
    parts = [entry.findtext(S + "loc") for entry in index.findall(S + "sitemap")]
    assert len(parts) == -(-len(pages) // 300) > 1
    listed = []
    for location in parts:
        part = ET.fromstring(files[urls.output_path(location.removeprefix(urls.origin))].render())
        in_part = [url.findtext(S + "loc") for url in part.findall(S + "url")]
        assert 0 < len(in_part) <= 300
        listed += in_part
    assert listed == [urls.absolute(url) for url in pages]


def test_a_file_that_would_overwrite_a_page_stops_the_build_naming_both():
    page = PlannedPage("/feed.xml", "feed.xml", "article.html", None, None, "page 'feed'", "content/pages/feed.md")
    planned = PlannedFile("/feed.xml", "feed.xml", lambda: b"", "archive feed")
    with pytest.raises(BuildError) as caught:
        check_collisions([planned, page])
    message = str(caught.value)
    # The curator's file is the one named, since it is the one they can rename.
    assert message == ("content/pages/feed.md: error: page 'feed' would write feed.xml, "
                       "which the archive feed writes already; rename the file")


@pytest.mark.parametrize("locations", [
    [],
    ["https://example.org/"],
    ["https://example.org/a?x=1&y=<2>", "https://example.org/caf\u00e9/\u00fcber/", "https://example.org/t\x01ab\x0b/"],
])
def test_a_sitemap_is_what_elementtree_writes_and_parses_back(tmp_path, locations):
    # ElementTree, building and serialising the tree, is the reference the text-built sitemap must match.
    root = ET.Element("urlset", {"xmlns": S[1:-1]})
    for location in locations:
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = location.replace("\x01", "").replace("\x0b", "")
    ET.indent(root)
    reference = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    assert urlset([(location, None) for location in locations]) == reference
    (tmp_path / "sitemap.xml").write_bytes(urlset([(location, None) for location in locations]))
    assert sitemap_locations(tmp_path / "sitemap.xml") == [loc.replace("\x01", "").replace("\x0b", "") for loc in locations]


def test_sitemap_lastmod_is_the_newest_save_date_of_a_listing_behind_each_page(tmp_path):
    base_url = "https://example.org/"
    out = build(make_content(tmp_path), tmp_path / "out", "--base-url", base_url, "--no-search")
    root = ET.parse(out / "sitemap.xml").getroot()
    lastmod = {url.findtext(S + "loc"): url.findtext(S + "lastmod") for url in root.findall(S + "url")}
    assert base_url + "search/" not in lastmod
    pages = html_pages(out, base_url)
    saved_dates = [path.name[:10] for path in (tmp_path / "content" / "listings").glob("20*.txt")]

    def listing_saved(url: str) -> str | None:  # a listing's id starts with its file's save date, if it has one
        name = url.removeprefix(base_url + "listings/").split("/")[0]
        return name[:10] if name[:10] in saved_dates else None

    def papers_of(page) -> set[str]:
        return {url.split("#")[0] for url in (page.resolve(value) for tag, _, value in page.links if tag == "a")
                if url.startswith(base_url + "papers/")}

    paper_dates = {}
    for url, page in pages.items():
        if url.startswith(base_url + "papers/"):
            held = {listing_saved(page.resolve(value)) for tag, _, value in page.links
                    if tag == "a" and "#line-" in value}
            paper_dates[url] = max(held - {None}, default=None)
            assert lastmod.get(url) == paper_dates[url], url
    checked = 0
    for url, page in pages.items():
        if re.fullmatch(re.escape(base_url) + r"days/\d{4}-\d\d-\d\d/", url):  # a day lists all its papers on one page
            assert lastmod[url] == max({paper_dates[paper] for paper in papers_of(page)} - {None}), url
            checked += 1
        elif url.startswith(base_url + "listings/") and url != base_url + "listings/":
            assert lastmod.get(url) == listing_saved(url), url
    assert checked > 100
    assert lastmod[base_url] == max(saved_dates)
