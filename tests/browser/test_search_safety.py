"""Search on small hand-made sites: hostile names in facets, and a build without an index."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import build_and_serve
from .search_ui import STATUS, TITLES, choose, facet_counts, open_facet, settled

pytestmark = pytest.mark.browser

HOSTILE_ORG = 'AT&T <img src=x onerror=alert(1)> &amp; "Labs"'
LISTING = f"""Daily Papers

Sparse Attention for Tiny Robots

We study sparse attention for very small robots with reinforcement learning. Our method halves the memory use.

evil<b>corp</b> {HOSTILE_ORG}
·
Oct 9, 2024 7

Dense Retrieval Without Labels

We propose a dense retriever for very small robots trained without any labels. It matches supervised baselines.

  • 3 authors
·
Oct 9, 2024 12
"""
HOSTILE_TAG = "RL & <i>friends</i>"
TAGS = f'[rl]\nname = "{HOSTILE_TAG}"\nphrases = ["reinforcement learning"]\n'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    content = folder / "content"
    (content / "listings").mkdir(parents=True)
    (content / "listings" / "2025-11-13-a.txt").write_text(LISTING, encoding="utf-8")
    (content / "tags.toml").write_text(TAGS, encoding="utf-8")
    yield from build_and_serve(folder, content)


def test_names_from_listings_show_as_text_in_the_facets(page: Page, hostile_site):
    page.goto(hostile_site.at("search/?q=robots"))
    expect(page.locator(STATUS)).to_have_text("2 results for \u201crobots\u201d")
    for facet in ("org", "tag"):
        open_facet(page, facet)
    assert facet_counts(page, "org") == {HOSTILE_ORG: 1}
    assert facet_counts(page, "tag") == {HOSTILE_TAG: 1}
    assert page.locator("#search img, #search i, #search b").count() == 0
    choose(page, "org", HOSTILE_ORG)  # the name as written still filters
    expect(page.locator(STATUS)).to_have_text("1 result for \u201crobots\u201d")
    expect(page.locator(TITLES)).to_have_text("Sparse Attention for Tiny Robots")
    expect(page.locator("#search-results .byline")).to_have_text(HOSTILE_ORG)
    page.reload()  # and from the address
    settled(page)
    expect(page.locator(TITLES)).to_have_text("Sparse Attention for Tiny Robots")


def test_a_build_without_search_says_so(page: Page, console_errors, tmp_path):
    content = tmp_path / "content"
    (content / "listings").mkdir(parents=True)
    (content / "listings" / "2025-11-13-a.txt").write_text(LISTING, encoding="utf-8")
    for site in build_and_serve(tmp_path, content, search=False):
        assert not (site.folder / "pagefind").exists()
        page.goto(site.at("search/"))
        notice = page.locator("#search-unavailable")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("built without its search index")
        expect(page.locator("#search")).to_be_hidden()
    # The browser reports the missing Pagefind files; nothing else may go wrong.
    assert all(re.search(r"404|Failed to load resource", error) for error in console_errors), console_errors
    console_errors.clear()
