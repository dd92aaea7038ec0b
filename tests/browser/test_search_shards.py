"""One search box over an index split into bundles (tests/browser/conftest.py builds the
shipped listings with bundles of 100 papers), checked against the same site with one
bundle: the reader must not be able to tell them apart, even while a bundle loads slowly."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .search_ui import STATUS, TITLES, all_results, choose, facet_counts, result_count, search, settled
from .test_search_page import TAG, TITLE, WORD

pytestmark = pytest.mark.browser


def test_the_index_is_split(sharded_site, search_site):
    bundles = sorted(p.name for p in sharded_site.folder.iterdir() if re.fullmatch(r"pagefind(-\d+)?", p.name))
    assert bundles == ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4", "pagefind-5"]  # 472 papers
    assert sorted(p.name for p in search_site.folder.iterdir() if p.name.startswith("pagefind")) == ["pagefind"]


@pytest.mark.parametrize("words", ["learning", "diffusion"])
def test_a_search_finds_what_one_index_finds(page: Page, sharded_site, search_site, words):
    found = {}
    for site in (sharded_site, search_site):
        page.goto(site.at("search/"))
        search(page, words)
        found[site.url] = (result_count(page), sorted(r["path"] for r in all_results(page)), facet_counts(page, "tag"))
    split, whole = found[sharded_site.url], found[search_site.url]
    assert split == whole and split[0] > 0
    if words == "learning":
        assert split[0] > 100  # more results than any one bundle holds


def test_a_distinctive_word_finds_its_paper_first(page: Page, sharded_site):
    page.goto(sharded_site.at("search/"))
    search(page, WORD)
    # A bundle without the word answers with near misses, as one index does for a word it
    # lacks; they come after the paper itself, and none of them has the word marked.
    expect(page.locator(TITLES).first).to_have_text(TITLE)
    marked = page.locator("#search-results > li").evaluate_all(
        "rs => rs.map(r => [...r.querySelectorAll('mark')].map(m => m.textContent.toLowerCase()))")
    assert WORD.lower() in " ".join(marked[0]) and not any(WORD.lower() in " ".join(words) for words in marked[1:])


def test_facets_count_and_narrow_over_every_bundle(page: Page, sharded_site, search_site):
    seen = []
    for site in (sharded_site, search_site):
        page.goto(site.at("search/?q=learning"))
        settled(page)
        counted = facet_counts(page, "tag")[TAG]
        choose(page, "tag", TAG)
        assert result_count(page) == counted
        seen.append((counted, sorted(r["path"] for r in all_results(page)), facet_counts(page, "year")))
    assert seen[0] == seen[1]


def test_newest_first_is_in_date_order_across_bundles(page: Page, sharded_site):
    page.goto(sharded_site.at("search/?q=learning&sort=date"))
    dates = [r["date"] for r in all_results(page)]
    dated = [d for d in dates if d]
    assert len(dated) > 100 and dated == sorted(dated, reverse=True)
    assert dates == dated + [None] * (len(dates) - len(dated))


@pytest.mark.parametrize("address, key", [("?q=learning&sort=date", "date"), ("?q=learning&sort=upvotes", "upvotes"),
                                          (f"?tag={TAG}", "date"), (f"?tag={TAG}&sort=upvotes", "upvotes")])
def test_sorted_results_come_in_the_order_one_index_gives(page: Page, sharded_site, search_site, address, key):
    # Each bundle holds a stretch of the archive by date and Pagefind scores a sorted
    # result by its position in its own bundle: the page must put them in order itself.
    found = {}
    for site in (sharded_site, search_site):
        page.goto(site.at("search/" + address))
        results = all_results(page)
        found[site.url] = (result_count(page), [r[key] for r in results], sorted(r["path"] for r in results))
    split, whole = found[sharded_site.url], found[search_site.url]
    assert split == whole and split[0] >= 10
    values = [v for v in split[1] if v is not None]
    assert values == sorted(values, reverse=True)
    assert len(set(values)) > 2 or address.startswith("?tag")  # the tag's papers have no upvotes
    assert split[1] == values + [None] * (len(split[1]) - len(values))  # undated or unknown: last


@pytest.mark.parametrize("bundle", ["pagefind-3/", "pagefind/filter/"])
def test_a_query_typed_while_a_bundle_loads_counts_every_bundle(page: Page, sharded_site, search_site, bundle):
    # Issue 15, item 15: a bundle (or the filters) held back as on a slow network; the
    # words typed meanwhile must still be searched in every bundle once it arrives.
    page.goto(search_site.at("search/"))
    search(page, "learning")
    expected = (result_count(page), facet_counts(page, "tag"))
    with sharded_site.holding(bundle) as release:
        page.goto(sharded_site.at("search/"))
        page.locator("#search-input").press_sequentially("learning")
        expect(page.locator(STATUS)).to_have_text("Loading the search index\u2026")
        page.wait_for_timeout(500)
        expect(page.locator(STATUS)).to_have_text("Loading the search index\u2026")  # no partial count meanwhile
        release.set()
        expect(page.locator(STATUS)).to_have_text(re.compile("results for"))
        settled(page)
        assert (result_count(page), facet_counts(page, "tag")) == expected


@pytest.mark.parametrize("address", ["?q=sitegenanchor", "?q=sitegenanchor&sort=date", "?q=sitegenanchor&sort=upvotes"])
def test_no_search_shows_a_bundles_anchor_record(page: Page, sharded_site, address):
    # Every bundle holds one record besides its papers (search/index.py's ANCHOR), found
    # by its one word but never shown: the page asks for dated or undated papers only.
    page.goto(sharded_site.at("search/" + address))
    expect(page.locator(STATUS)).to_have_text("No results for \u201csitegenanchor\u201d")
