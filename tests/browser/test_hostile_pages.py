"""Hostile listing text opened in a real browser: the pages and the search
results show it as text, no script of it runs and no dialog opens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hostile import TITLES as TITLES_OF_PAPERS, write_hostile_content

from .conftest import build_and_serve
from .search_ui import TITLES, open_facet, settled

pytestmark = pytest.mark.browser

INJECTED = "img, iframe, textarea, b, i, [onerror], [onload], [onmouseover], a[href^='javascript' i]"
WORDS = ["Zanzibarite", "Quillfeather", "Marblewick"]  # one per hostile paper, in its title


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-browser")
    yield from build_and_serve(folder, write_hostile_content(folder))


def assert_inert(page: Page) -> None:
    page.wait_for_load_state("load")
    assert page.locator(INJECTED).count() == 0  # and the `page` fixture fails the test on any dialog (alert)


def test_pages_show_the_payloads_as_text(page: Page, hostile_site):
    papers = hostile_site.folder / "papers"
    paths = ["", "days/", "tags/", "tags/language-models/", "orgs/", "listings/"]
    paths += [f"papers/{paper.name}/" for paper in sorted(papers.iterdir())]
    for path in paths:
        page.goto(hostile_site.at(path))
        assert_inert(page)
    headings = set()
    for paper in sorted(papers.iterdir()):
        page.goto(hostile_site.at(f"papers/{paper.name}/"))
        headings.add(page.locator("h1").inner_text())
    assert headings == {" ".join(title.split()) for title in TITLES_OF_PAPERS}


@pytest.mark.parametrize("word", WORDS)
def test_search_results_show_the_payloads_as_text(page: Page, hostile_site, word):
    page.goto(hostile_site.at(f"search/?q={word}"))
    settled(page)
    result = page.locator(TITLES)
    expect(result).to_have_count(1)
    expect(result).to_have_text(re.compile(re.escape(word)))
    title = next(title for title in TITLES_OF_PAPERS if word in title)
    assert result.inner_text() == " ".join(title.split())
    assert_inert(page)


def test_search_filters_show_hostile_names_as_text(page: Page, hostile_site):
    page.goto(hostile_site.at("search/?q=language"))
    settled(page)
    expect(page.locator(TITLES)).to_have_count(3)
    open_facet(page, "tag")
    expect(page.locator("#search-facets")).to_contain_text("Language <script>alert(16)</script> models")
    assert_inert(page)
