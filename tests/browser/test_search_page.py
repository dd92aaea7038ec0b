"""The search page, used as a reader uses it: real Pagefind index, real HTTP, real Chromium.

Expected answers come from the listing files themselves (a word that occurs in
one paper only, the tags that paper's page shows), never from the index.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# "Cerebras" occurs in one paper of the shipped listings (grep content/listings), in its title.
WORD = "Cerebras"
TITLE = "Cerebras-GPT: Open Compute-Optimal Language Models Trained on the Cerebras Wafer-Scale Cluster"
TAG = "Reinforcement learning and robot learning"  # from content/tags.toml
RESULT_LINKS = ".pagefind-ui__result-link"


def search(page: Page, words: str) -> None:
    """Type into Pagefind's box and wait for the results of exactly these words."""
    box = page.locator(".pagefind-ui__search-input")
    box.fill("")
    box.press_sequentially(words)
    expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(rf"results? for {re.escape(words)}$"))
    settled(page)


def settled(page: Page) -> None:
    """Wait until every shown result has loaded its title, excerpt and meta."""
    page.wait_for_function("() => !document.querySelector('#search .pagefind-ui__loading')")


def result_count(page: Page) -> int:
    message = page.locator(".pagefind-ui__message").inner_text()
    return 0 if message.startswith("No results") else int(message.split()[0])


def search_and_tick_tag(page: Page, words: str) -> tuple[int, int]:
    """Search `words`, tick TAG's filter, wait for the narrowed results: (all results, narrowed)."""
    search(page, words)
    everything = result_count(page)
    page.locator("summary.pagefind-ui__filter-name", has_text="Tag").click()
    page.get_by_label(re.compile(rf"^{TAG} \(\d+\)$")).check()
    expect(page.locator(".pagefind-ui__message")).not_to_have_text(f"{everything} results for {words}")
    settled(page)
    return everything, result_count(page)


def shown_dates(page: Page) -> tuple[list[str], list[datetime]]:
    """Each shown result's date tag ("" where it has none), and the dates parsed."""
    dates = page.locator(".pagefind-ui__result").evaluate_all(
        "rs => rs.map(r => (r.querySelector('[data-pagefind-ui-meta=date]') || {}).textContent || '')")
    return dates, [datetime.strptime(d.split(":", 1)[1].strip(), "%b %d, %Y") for d in dates if d]


def test_a_distinctive_word_finds_its_paper_first(page: Page, search_site):
    page.goto(search_site.at("search/"))
    search(page, WORD)
    expect(page.locator(RESULT_LINKS).first).to_have_text(TITLE)
    # Seven other paper pages show this title, as a related paper or a neighbour: not indexed.
    assert result_count(page) == 1


def test_words_only_around_the_paper_find_nothing(page: Page, search_site):
    page.goto(search_site.at("search/"))
    # The footer, and labels and links beside undated papers: no listing has these words.
    # Pagefind answers a word it lacks with near misses ("sitegen" -> "SiT"), so
    # look at what it highlights: never the word itself.
    for word in ("sitegen", "undated", "upvotes"):
        search(page, word)
        marked = [m.lower() for m in page.locator("#search mark").all_inner_texts()]
        assert not [m for m in marked if m.startswith(word)], word


def test_a_tag_filter_narrows_the_results(page: Page, search_site):
    page.goto(search_site.at("search/"))
    everything, narrowed = search_and_tick_tag(page, "learning")
    assert 0 < narrowed < everything
    for href in page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.href)"):
        html = page.request.get(href).text()
        article = html[html.index('<article class="paper"'):html.index("</article>")]
        assert f">{TAG}</a>" in article, href  # the paper itself carries the tag, not a related card


def filter_panel(page: Page) -> list[str]:
    """Every filter the panel offers and every value with its count, as shown."""
    labels = page.locator(".pagefind-ui__filter-group-label, .pagefind-ui__filter-label").all_text_contents()
    return [label.strip() for label in labels]  # text_contents: a closed filter's labels are hidden


def test_words_typed_while_filters_load_still_get_every_filter(page: Page, search_site):
    # A search can end before every filter has arrived: the panel must still
    # come to offer them all, counted for the words searched. A shared link
    # searches only once the filters are in, so it shows what the panel must.
    page.goto(search_site.at("search/?q=learning"))
    expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(r"results for learning$"))
    settled(page)
    expected, groups = filter_panel(page), page.locator(".pagefind-ui__filter-group-label").count()
    assert "tag" in expected and any(label.startswith(f"{TAG} (") for label in expected)
    chunks = sorted(p.name for p in (search_site.folder / "pagefind" / "filter").iterdir())
    assert chunks
    opened = page.locator("details[open] > .pagefind-ui__filter-group .pagefind-ui__filter-group-label")
    for chunk in chunks:  # whichever filter arrives last
        with search_site.holding(chunk) as release:
            page.goto(search_site.at("search/"))
            search(page, "learning")
            tag_shown = page.locator(".pagefind-ui__filter-group-label").all_text_contents().count("tag")
            if tag_shown:  # the reader opens Tag before the last filter arrives
                page.locator("summary.pagefind-ui__filter-name", has_text="Tag").click()
            release.set()
            expect(page.locator(".pagefind-ui__filter-group-label")).to_have_count(groups)
            assert filter_panel(page) == expected, chunk
            assert opened.all_text_contents() == (["tag"] if tag_shown else []), chunk


def test_clicking_a_result_opens_the_paper(page: Page, search_site):
    page.goto(search_site.at("search/"))
    search(page, WORD)
    page.locator(RESULT_LINKS).first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    assert urlsplit(page.url).path.startswith("/papers/")


def test_the_address_carries_the_query_both_ways(page: Page, search_site):
    page.goto(search_site.at(f"search/?q={WORD}"))
    expect(page.locator(RESULT_LINKS).first).to_have_text(TITLE)
    expect(page.locator(".pagefind-ui__search-input")).to_have_value(WORD)
    expect(page.locator("#site-search")).to_have_value(WORD)
    search(page, "diffusion")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["diffusion"]  # shareable as it stands
    page.reload()
    expect(page.locator(".pagefind-ui__search-input")).to_have_value("diffusion")


def test_the_header_box_on_any_page_leads_to_search(page: Page, search_site):
    page.goto(search_site.at("days/"))
    page.locator("#site-search").fill(WORD)
    page.locator("#site-search").press("Enter")
    expect(page.locator(RESULT_LINKS).first).to_have_text(TITLE)
    assert urlsplit(page.url).path == "/search/"


def test_most_upvoted_order(page: Page, search_site):
    page.goto(search_site.at("search/"))
    search(page, "model")
    page.locator("#search-sort").select_option(label="Most upvoted")
    expect(page.locator(".pagefind-ui__result-tag", has_text="Upvotes").first).to_be_visible()
    settled(page)
    tags = page.locator(".pagefind-ui__result").evaluate_all(
        "rs => rs.map(r => (r.querySelector('[data-pagefind-ui-meta=upvotes]') || {}).textContent || '')")
    upvotes = [int(t.split(":")[1]) for t in tags if t]
    assert upvotes == sorted(upvotes, reverse=True) and upvotes[0] > 0
    assert parse_qs(urlsplit(page.url).query) == {"q": ["model"], "sort": ["upvotes"]}
    expect(page.locator(".pagefind-ui__search-input")).to_have_value("model")


def test_a_new_order_keeps_the_words_and_the_ticked_filter(page: Page, search_site):
    page.goto(search_site.at("search/"))
    everything, narrowed = search_and_tick_tag(page, "learning")
    assert 0 < narrowed < everything
    page.locator("#search-sort").select_option(label="Newest first")
    page.wait_for_url(re.compile(r"sort=date"))
    expect(page.locator(".pagefind-ui__message")).to_have_text(f"{narrowed} results for learning")
    settled(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["learning"], "sort": ["date"], "filter": [f"tag:{TAG}"]}
    expect(page.get_by_label(re.compile(rf"^{TAG} \(\d+\)$"))).to_be_checked()
    dates, dated = shown_dates(page)
    assert dated == sorted(dated, reverse=True)


def test_newest_first_puts_undated_papers_last(page: Page, search_site):
    # "robot" matches a handful of papers, dated and undated (grep content/listings).
    page.goto(search_site.at("search/?q=robot&sort=date"))
    expect(page.locator(RESULT_LINKS).first).to_be_visible()
    settled(page)
    dates, dated = shown_dates(page)
    assert dated == sorted(dated, reverse=True)
    assert dates[len(dated):] == [""] * (len(dates) - len(dated)) and len(dated) < len(dates)


def test_without_javascript_the_page_points_to_the_archives(browser, search_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(search_site.at("search/"))
    notice = page.locator(".notice", has_text="needs JavaScript")
    expect(notice).to_be_visible()
    assert notice.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))") == ["/days/", "/tags/"]
    context.close()


def test_search_works_under_a_subfolder(page: Page, subfolder_site):
    page.goto(subfolder_site.at("search/"))
    search(page, WORD)
    first = page.locator(RESULT_LINKS).first
    expect(first).to_have_text(TITLE)
    assert first.get_attribute("href").startswith("/sub/papers/")
    first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    page.locator("#site-search").fill("diffusion")
    page.locator("#site-search").press("Enter")
    expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(r"\d+ results for diffusion"))
    assert urlsplit(page.url).path == "/sub/search/"


def test_a_shared_link_shows_results_with_working_filters(page: Page, search_site):
    # Opened straight from the address: the facets must belong to these results
    # (counts within them) and narrow them, not wait for a keystroke.
    page.goto(search_site.at("search/?q=learning"))
    expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(r"^\d+ results for learning$"))
    settled(page)
    everything = result_count(page)
    page.locator("summary.pagefind-ui__filter-name", has_text="Tag").click()
    label = page.locator("label.pagefind-ui__filter-label", has_text=re.compile(rf"^{TAG} \(\d+\)$"))
    expect(label).to_be_visible()
    counted = int(label.inner_text().rsplit("(", 1)[1].rstrip(")"))
    assert 0 < counted < everything
    page.get_by_label(label.inner_text()).check()
    expect(page.locator(".pagefind-ui__message")).to_have_text(f"{counted} results for learning")
    expect(page.locator(".pagefind-ui__search-input")).to_have_value("learning")
