"""One search box over an index split into shards (tests/browser/conftest.py builds the
shipped listings with bundles of 100 papers), checked against the same site with one
bundle: the reader must not be able to tell them apart."""

from __future__ import annotations

import re
import pytest
from playwright.sync_api import Page, expect

from .test_search_page import RESULT_LINKS, TAG, TITLE, WORD, result_count, search, settled, shown_dates

pytestmark = pytest.mark.browser


def all_results(page: Page) -> list[str]:
    """Every result's link, pressing "Load more" until there is none."""
    settled(page)
    more = page.locator(".pagefind-ui__button", has_text="Load more")
    while more.count():
        more.click()
        settled(page)
    return page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => new URL(a.href).pathname)")


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
        found[site.url] = (result_count(page), sorted(all_results(page)))
    split, whole = found[sharded_site.url], found[search_site.url]
    assert split == whole and split[0] > 0
    if words == "learning":
        assert split[0] > 100  # more results than any one shard holds


def test_a_distinctive_word_finds_its_paper_first(page: Page, sharded_site):
    # A shard without the word answers with near misses, as one index does for
    # a word it lacks (test_search_page.py); they come after the paper itself.
    page.goto(sharded_site.at("search/"))
    search(page, WORD)
    expect(page.locator(RESULT_LINKS).first).to_have_text(TITLE)
    marked = page.locator(".pagefind-ui__result").evaluate_all(
        "rs => rs.map(r => [...r.querySelectorAll('mark')].map(m => m.textContent.toLowerCase()))")
    assert WORD.lower() in marked[0] and not any(WORD.lower() in words for words in marked[1:])


def test_filters_count_and_narrow_over_every_shard(page: Page, sharded_site, search_site):
    seen = []
    for site in (sharded_site, search_site):
        page.goto(site.at("search/?q=learning"))
        expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(r"results for learning$"))
        page.locator("summary.pagefind-ui__filter-name", has_text="Tag").click()
        label = page.locator("label", has_text=re.compile(rf"^{TAG} \(\d+\)$"))
        counted = int(label.inner_text().rsplit("(", 1)[1].rstrip(")"))
        page.get_by_label(re.compile(rf"^{TAG} \(\d+\)$")).check()
        expect(page.locator(".pagefind-ui__message")).to_have_text(f"{counted} results for learning")
        seen.append((counted, sorted(all_results(page))))
    assert seen[0] == seen[1]


def test_newest_first_is_in_date_order_across_shards(page: Page, sharded_site):
    page.goto(sharded_site.at("search/?q=learning&sort=date"))
    expect(page.locator(RESULT_LINKS).first).to_be_visible()
    all_results(page)
    _, dated = shown_dates(page)
    assert len(dated) > 100 and dated == sorted(dated, reverse=True)
