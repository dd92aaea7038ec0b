"""/days/ lists the years; each year's calendar is a page of its own that links every day of that year."""

from __future__ import annotations

import re

from built_site import build, html_pages, make_content

BASE = "https://example.org/"


def test_days_lists_years_whose_pages_link_every_day_of_their_year(tmp_path):
    out = build(make_content(tmp_path), tmp_path / "out", "--base-url", BASE, "--no-search")
    pages = html_pages(out, BASE)
    day_urls = {url for url in pages if re.fullmatch(re.escape(BASE) + r"days/\d{4}-\d\d-\d\d/", url)}
    archive = pages[BASE + "days/"]
    linked = [archive.resolve(value) for tag, _, value in archive.links if tag == "a"]
    year_urls = [url for url in linked if re.fullmatch(re.escape(BASE) + r"days/\d{4}/", url)]
    assert year_urls == sorted(year_urls, reverse=True), "newest year first"
    assert {url[-5:-1] for url in year_urls} == {url[-11:-7] for url in day_urls}
    assert not day_urls & set(linked), "/days/ stays light: the days are on the year pages"
    text = (out / "days" / "index.html").read_text(encoding="utf-8")
    for url in year_urls:
        year = url[-5:-1]
        in_year = {url for url in day_urls if url[-11:-7] == year}
        page = pages[url]
        assert page.h1.startswith(f"Days of {year}")
        shown = {page.resolve(value) for tag, _, value in page.links if tag == "a"}
        assert in_year <= shown and not (day_urls - in_year) & shown, year
        assert re.search(rf">{year}</a> <span class=\"count\">\d+ papers?, {len(in_year)} days?</span>", text), year
