"""The search page, used as a reader uses it: real Pagefind index, real HTTP, real Chromium.

Expected answers come from the listing files (a word that occurs in one paper only) or from
the site's `papers.json` (facet counts, orders), never from the search index.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import scripts_arrive_late, watch_layout_shift
from .search_ui import (BOX, MORE, STATUS, TITLES, all_results, box, choose, expected_counts, facet_counts,
                        matching, open_facet, papers_of, result_count, search, settled)

pytestmark = pytest.mark.browser

# "Cerebras" occurs in one paper of the shipped listings (grep content/listings), in its title.
WORD = "Cerebras"
TITLE = "Cerebras-GPT: Open Compute-Optimal Language Models Trained on the Cerebras Wafer-Scale Cluster"
TAG = "Reinforcement learning and robot learning"  # from content/tags.toml
OTHER_TAG = "Diffusion models"


def test_a_distinctive_word_finds_its_paper_first(page: Page, search_site):
    page.goto(search_site.at("search/"))
    search(page, WORD)
    expect(page.locator(TITLES).first).to_have_text(TITLE)
    # Seven other paper pages show this title, as a related paper or a neighbour: not indexed.
    assert result_count(page) == 1
    marks = page.locator("#search-results mark").all_inner_texts()
    assert marks and all(WORD.lower() in mark.lower() for mark in marks)


def test_results_are_paper_cards_twenty_at_a_time(page: Page, search_site):
    page.goto(search_site.at("search/"))
    search(page, "learning")
    total = result_count(page)
    assert total > 40
    expect(page.locator("#search-results > li")).to_have_count(20)
    first = page.locator("#search-results > li").first
    expect(first.locator(".card-meta")).to_be_visible()
    expect(first.locator(".card-excerpt")).not_to_be_empty()
    page.locator(MORE).click()
    settled(page)
    expect(page.locator("#search-results > li")).to_have_count(40)
    assert len(all_results(page)) == total
    expect(page.locator(MORE)).to_be_hidden()


def test_facet_counts_match_papers_json(page: Page, search_site):
    # An empty query with a facet chosen lists that facet's papers; every facet counts
    # over the other facets' choices.
    papers = papers_of(search_site.folder)
    for chosen in ({"tag": [TAG]}, {"tag": [TAG, OTHER_TAG], "date": ["Dated"]}, {"year": ["2025"], "org": ["Google", "Apple"]}):
        query = "&".join(f"{key}={value}" for key, values in chosen.items() for value in values)
        page.goto(search_site.at(f"search/?{query}"))
        settled(page)
        assert result_count(page) == len(matching(papers, chosen)) > 0, chosen
        for key in ("tag", "org", "year", "date"):
            shown = facet_counts(page, key)
            expected = expected_counts(papers, chosen, key)
            assert shown == {value: n for value, n in expected.items()}, (chosen, key)
            assert list(shown.values()) == sorted(shown.values(), reverse=True), key  # most first


def test_values_of_a_facet_combine_with_or_and_facets_with_and(page: Page, search_site):
    papers = papers_of(search_site.folder)
    page.goto(search_site.at("search/"))
    search(page, "learning")
    everything = {r["path"] for r in all_results(page)}
    choose(page, "tag", TAG)
    one = {r["path"] for r in all_results(page)}
    choose(page, "tag", OTHER_TAG)
    either = {r["path"] for r in all_results(page)}
    assert one < either <= everything
    by_path = {p.path: p for p in papers}
    assert all({TAG, OTHER_TAG} & by_path[path].tags for path in either)
    choose(page, "date", "Undated")
    both = {r["path"] for r in all_results(page)}
    assert both < either and all(by_path[path].date is None for path in both)
    # The tag facet still counts over the words and the other facet's choice.
    expected = expected_counts([by_path[path] for path in everything], {"date": ["Undated"]}, "tag")
    assert facet_counts(page, "tag") == dict(expected)


@pytest.mark.parametrize("order", ["date", "upvotes"])
def test_each_order_against_papers_json(page: Page, search_site, order):
    # Undated papers and papers without upvotes come last, never vanish. Of the 38
    # papers with this tag, 8 have upvotes and about half have a date.
    papers = matching(papers_of(search_site.folder), {"tag": ["Vision-language models"]})
    page.goto(search_site.at(f"search/?tag=Vision-language+models&sort={order}"))
    shown = all_results(page)
    assert sorted(r["path"] for r in shown) == sorted(p.path for p in papers)
    keys = [r[order] for r in shown]
    known = [k for k in keys if k is not None]
    assert keys == known + [None] * (len(keys) - len(known)) and None in keys and known
    assert known == sorted(known, reverse=True)
    expected = sorted((getattr(p, order) for p in papers if getattr(p, order) is not None), reverse=True)
    assert known == expected


def test_best_match_newest_and_most_upvoted_with_words(page: Page, search_site):
    page.goto(search_site.at("search/?q=model&sort=upvotes"))
    shown = all_results(page)
    upvotes = [r["upvotes"] for r in shown]
    known = [u for u in upvotes if u is not None]
    assert known == sorted(known, reverse=True) and upvotes[len(known):] == [None] * (len(upvotes) - len(known))
    page.locator("#search-sort").select_option(label="Newest first")
    dates = [r["date"] for r in all_results(page)]
    known = [d for d in dates if d is not None]
    assert known == sorted(known, reverse=True) and dates[len(known):] == [None] * (len(dates) - len(known))
    assert len(dates) == len(upvotes)


def test_the_address_is_the_state_with_back_and_forward(page: Page, search_site):
    page.goto(search_site.at("search/"))
    search(page, "learning")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["learning"]}
    everything = result_count(page)
    choose(page, "tag", TAG)
    narrowed = result_count(page)
    page.locator("#search-sort").select_option("date")
    settled(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["learning"], "tag": [TAG], "sort": ["date"]}
    order = [r["path"] for r in all_results(page)]

    page.go_back()  # the order undone
    settled(page)
    expect(page.locator("#search-sort")).to_have_value("")
    page.go_back()  # the tag undone
    settled(page)
    assert result_count(page) == everything
    expect(box(page, "tag", TAG)).not_to_be_checked()
    expect(page.locator(BOX)).to_have_value("learning")
    page.go_forward()
    page.go_forward()
    settled(page)
    assert result_count(page) == narrowed
    expect(page.locator("#search-sort")).to_have_value("date")

    shared = page.url  # a shared address shows the same results in a new page
    other = page.context.new_page()
    other.goto(shared)
    assert [r["path"] for r in all_results(other)] == order
    open_facet(other, "tag")
    expect(box(other, "tag", TAG)).to_be_checked()
    other.close()


def test_a_hostile_query_is_shown_as_text(page: Page, search_site):
    page.goto(search_site.at("search/"))
    for words in ('<img src=x onerror=alert(1)>', '"quoted" \'single\' </p><b>x', "diffusion " * 400):
        box = page.locator(BOX)
        box.fill(words)
        settled(page)
        status = page.locator(STATUS).inner_text()
        assert words.strip()[:100] in status
        assert page.locator("#search img, #search b, [onerror]").count() == 0
        assert parse_qs(urlsplit(page.url).query)["q"] == [words.strip()]
    # and the `page` fixture fails the test on any dialog (alert) or script error


def test_one_search_box_here_and_the_header_box_elsewhere_leads_here(page: Page, search_site):
    page.goto(search_site.at("days/"))
    page.locator("#site-search").fill(WORD)
    page.locator("#site-search").press("Enter")
    expect(page.locator(TITLES).first).to_have_text(TITLE)
    assert urlsplit(page.url).path == "/search/"
    expect(page.locator("#site-search")).to_be_hidden()
    assert page.locator("input[type=search]:visible").count() == 1


def test_keyboard_slash_arrows_and_enter(page: Page, search_site):
    page.goto(search_site.at("search/?q=diffusion"))
    settled(page)
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.locator(BOX)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(TITLES).nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(TITLES).nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator(TITLES).nth(0)).to_be_focused()
    title = page.locator(TITLES).nth(0).inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(title)


def test_the_count_is_announced(page: Page, search_site):
    page.goto(search_site.at("search/"))
    status = page.locator(STATUS)
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    search(page, WORD)
    expect(status).to_have_text(f"1 result for \u201c{WORD}\u201d")


def test_nothing_moves_as_the_page_loads(page: Page, search_site):
    # Every part of the interface has its place from the first paint (issue 22): the
    # layout shift Chromium measures stays at zero while the index loads and results come in.
    # The site's scripts arrive late, as on a busy CI machine or a slow phone, so the first paint
    # comes before they run (the Saved link appearing once rewrapped the header).
    scripts_arrive_late(page)
    watch_layout_shift(page)
    page.goto(search_site.at("search/?q=learning"))
    settled(page)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") < 0.01
    sheets = page.locator("link[rel=stylesheet]").evaluate_all("ls => ls.map(l => new URL(l.href).pathname)")
    assert not [s for s in sheets if "pagefind" in s]  # no stylesheet of Pagefind's UI blocks the first paint


def test_without_javascript_the_page_points_to_the_archives(browser, search_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(search_site.at("search/"))
    notice = page.locator(".notice", has_text="needs JavaScript")
    expect(notice).to_be_visible()
    assert notice.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "/tags/", "/orgs/", "/days/"]
    context.close()


def test_search_works_under_a_subfolder(page: Page, subfolder_site):
    page.goto(subfolder_site.at(f"search/?q={WORD}"))
    first = page.locator(TITLES).first
    expect(first).to_have_text(TITLE)
    assert first.get_attribute("href").startswith("/sub/papers/")
    assert all(href.startswith("/sub/") for href in page.locator("#search-results a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"))
    first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    page.locator("#site-search").fill("diffusion")
    page.locator("#site-search").press("Enter")
    expect(page.locator(STATUS)).to_have_text(re.compile("\\d+ results for \u201cdiffusion\u201d"))
    assert urlsplit(page.url).path == "/sub/search/"
    choose(page, "date", "Dated")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["diffusion"], "date": ["Dated"]}
    assert urlsplit(page.url).path == "/sub/search/"
    assert all(r["path"].startswith("/sub/papers/") and r["date"] for r in all_results(page))
