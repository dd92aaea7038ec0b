"""Finding, citing and keeping papers, as a reader does it in Chromium: save buttons,
/saved/ (export, import, share link), the Copy BibTeX button and every keyboard key,
on the shipped listings served over real HTTP (static/saved.js, static/keys.js)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from browser.conftest import Served, build_and_serve, scripts_arrive_late, shipped_copy, watch_layout_shift
from browser.test_accessibility import violations

pytestmark = pytest.mark.browser

LIST = "tags/text-embeddings/"  # a page of many cards
DAY = "days/2023-10-04/"  # a day of three papers, with days before and after it
ARXIV_PAPER = "pointer-networks"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("reader-site")
    content = shipped_copy(folder)
    (content / "arxiv.toml").write_text(f'{ARXIV_PAPER} = {{ id = "1506.03134", class = "stat.ML" }}\n', encoding="utf-8")
    yield from build_and_serve(folder, content, search=False)


@pytest.fixture
def context(browser: Browser, console_errors: list[str]) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  permissions=["clipboard-read", "clipboard-write"])
    context.on("page", lambda page: (
        page.on("console", lambda message: message.type == "error" and console_errors.append(message.text)),
        page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))))
    yield context
    context.close()
    assert console_errors == []


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def card_ids(site: Served, page: Page, path: str = LIST) -> list[str]:
    page.goto(site.at(path))
    return page.locator("main .card").evaluate_all("cards => cards.map(card => card.dataset.paper)")


def saved_ids(site: Served, page: Page) -> list[str]:
    page.goto(site.at("saved/"))
    page.wait_for_selector("#saved[data-ready]")
    return page.locator("#saved-cards .card").evaluate_all("cards => cards.map(card => card.dataset.paper)")


def clipboard(page: Page) -> str:
    return page.evaluate("() => navigator.clipboard.readText()")


def test_save_buttons_are_hidden_without_javascript(browser: Browser, site: Served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in (LIST, f"papers/{ARXIV_PAPER}/"):
        page.goto(site.at(path))
        assert page.locator("[data-save]").count() > 0
        expect(page.locator("[data-save]:visible")).to_have_count(0)
        expect(page.locator(".copy-button:visible, .saved-nav:visible")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_buttons_appearing_move_nothing(browser: Browser, site: Served, width: int):
    # Save buttons and the Saved link are shown by script; their places are kept from the
    # first paint, so a reader who starts reading before the scripts run loses no line.
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    scripts_arrive_late(page)
    watch_layout_shift(page)
    for path in (f"papers/{ARXIV_PAPER}/", DAY, LIST):
        page.goto(site.at(path))
        expect(page.locator("main [data-save]").first).to_be_visible()
        page.wait_for_timeout(200)
        assert page.evaluate("window.__shift") < 0.01, path
    page.goto(site.at("saved/"))  # the notice gives way to the tools, and the list to "Nothing saved yet"
    page.wait_for_selector("#saved[data-ready]")
    expect(page.locator(".saved-empty")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("window.__shift") < 0.01, "saved/"
    context.close()


def test_a_saved_paper_shows_pressed_wherever_it_appears(site: Served, page: Page):
    first = card_ids(site, page)[0]
    button = page.locator(f"main .card[data-paper='{first}'] [data-save]")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    page.goto(site.at(f"papers/{first}/"))
    expect(page.locator(".paper-actions [data-save]")).to_have_attribute("aria-pressed", "true")
    page.goto(site.at(page.locator(".seen-in a").first.get_attribute("href")))  # its listing shows its card
    expect(page.locator(f".card[data-paper='{first}'] [data-save]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-save][aria-pressed=true]")).to_have_count(1)
    page.goto(site.at(f"papers/{first}/"))
    page.locator(".paper-actions [data-save]").click()
    expect(page.locator(".paper-actions [data-save]")).to_have_attribute("aria-pressed", "false")
    assert saved_ids(site, page) == []


def test_saved_lists_newest_first_from_each_papers_small_json(site: Served, page: Page):
    ids = card_ids(site, page)[:3]
    for paper_id in ids:
        page.goto(site.at(f"papers/{paper_id}/"))
        page.locator(".paper-actions [data-save]").click()
    fetched: list[tuple[str, int]] = []
    page.on("response", lambda response: fetched.append((response.url, len(response.body())))
            if response.request.resource_type == "fetch" else None)
    assert saved_ids(site, page) == ids[::-1]
    assert sorted(url for url, _ in fetched) == sorted(site.at(f"papers/{i}/paper.json") for i in ids)
    assert sum(size for _, size in fetched) < 3 * 4000  # a few kilobytes, not the archive's papers.json
    titles = page.locator("#saved-cards .card-title a").all_text_contents()
    page.goto(site.at(f"papers/{ids[-1]}/"))
    assert titles[0] == page.locator("h1").text_content()


def test_export_bibtex_and_json_then_import_merges(site: Served, page: Page, tmp_path: Path):
    ids = card_ids(site, page)[:2]
    page.locator(f"main .card[data-paper='{ids[0]}'] [data-save]").click()
    saved_ids(site, page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export BibTeX").click()
    library = bibtexparser.parse_string(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [entry.key for entry in library.entries] == [ids[0]] and library.failed_blocks == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Export JSON").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["format"] == "sitegen-saved" and [p["id"] for p in exported["papers"]] == [ids[0]]
    kept_time = exported["papers"][0]["saved"]
    # An export from elsewhere: the same paper saved at another time, one new paper, one bad entry.
    incoming = {**exported, "papers": [{"id": ids[0], "saved": "2000-01-01T00:00:00.000Z"},
                                        {"id": ids[1], "title": "x", "saved": "2001-01-01T00:00:00.000Z"},
                                        {"id": "../../etc/passwd"}]}
    (tmp_path / "in.json").write_text(json.dumps(incoming), encoding="utf-8")
    page.set_input_files("#saved-import", str(tmp_path / "in.json"))
    expect(page.locator(".saved-status")).to_contain_text("Imported 1 new papers")
    expect(page.locator("#saved-cards .card")).to_have_count(2)
    stored = page.evaluate("() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('sitegen-saved:'))[1])")
    assert {item["id"]: item["saved"] for item in stored} == {ids[0]: kept_time, ids[1]: "2001-01-01T00:00:00.000Z"}
    (tmp_path / "bad.json").write_text('{"papers": 1}', encoding="utf-8")
    page.set_input_files("#saved-import", str(tmp_path / "bad.json"))
    expect(page.locator(".saved-status")).to_contain_text("nothing was changed")


def test_share_link_opens_the_same_list_on_another_device(site: Served, page: Page, browser: Browser):
    ids = card_ids(site, page)[:3]
    for paper_id in ids:
        page.locator(f"main .card[data-paper='{paper_id}'] [data-save]").click()
    shown = saved_ids(site, page)
    page.get_by_role("button", name="Copy share link").click()
    link = page.locator(".share-link").get_attribute("href")
    assert clipboard(page) == link and link.endswith("#ids=" + ",".join(shown))
    other = browser.new_context()  # another device: nothing saved there
    elsewhere = other.new_page()
    elsewhere.goto(link)
    elsewhere.wait_for_selector("#saved[data-ready]")
    assert elsewhere.locator("#saved-cards .card").evaluate_all("c => c.map(x => x.dataset.paper)") == shown
    expect(elsewhere.locator(".saved-shared")).to_contain_text("3 papers")
    elsewhere.get_by_role("button", name="Keep them in my saved papers").click()
    expect(elsewhere.locator(".saved-status")).to_contain_text("Kept 3 new papers")
    elsewhere.goto(site.at(""))
    elsewhere.goto(site.at("saved/"))
    elsewhere.wait_for_selector("#saved[data-ready]")
    assert elsewhere.locator("#saved-cards .card").evaluate_all("c => c.map(x => x.dataset.paper)") == shown
    other.close()


def test_copy_button_copies_the_pages_bibtex(site: Served, page: Page):
    page.goto(site.at(f"papers/{ARXIV_PAPER}/"))
    expect(page.locator("details.bibtex")).not_to_have_attribute("open", "")
    page.locator("details.bibtex summary").click()
    page.get_by_role("button", name="Copy BibTeX").click()
    expect(page.locator(".copy-status")).to_have_text("Copied.")
    text = clipboard(page)
    assert text == page.locator("#bibtex").text_content()
    assert "eprint = {1506.03134}" in text and "primaryClass = {stat.ML}" in text
    assert page.locator("meta[name=citation_arxiv_id]").get_attribute("content") == "1506.03134"
    out = page.locator(".out-links a")
    assert out.first.get_attribute("href") == "https://arxiv.org/abs/1506.03134"
    assert all(rel == "noopener" for rel in out.evaluate_all("links => links.map(a => a.rel)"))


def focused_paper(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement.dataset.paper || null")


def test_j_k_move_between_cards_in_view_and_o_enter_open(site: Served, page: Page):
    ids = card_ids(site, page)
    page.keyboard.press("j")
    assert focused_paper(page) == ids[0]
    for _ in range(4):
        page.keyboard.press("j")
    assert focused_paper(page) == ids[4]
    assert page.evaluate("() => { const r = document.activeElement.getBoundingClientRect();"
                         " return r.top >= 0 && r.bottom <= innerHeight + 1; }")  # within a pixel: positions are fractional
    page.keyboard.press("k")
    assert focused_paper(page) == ids[3]
    page.keyboard.press("o")
    page.wait_for_url(site.at(f"papers/{ids[3]}/"))
    page.go_back()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(site.at(f"papers/{ids[0]}/"))


def test_s_saves_and_c_copies_the_focused_card(site: Served, page: Page):
    ids = card_ids(site, page)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("s")
    expect(page.locator(f"main .card[data-paper='{ids[1]}'] [data-save]")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("c")
    expect(page.locator(".key-status")).to_have_text("BibTeX copied.")
    assert clipboard(page).startswith(f"@misc{{{ids[1]},\n")
    page.goto(site.at(f"papers/{ids[2]}/"))
    page.keyboard.press("s")
    expect(page.locator(".paper-actions [data-save]")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("c")
    assert clipboard(page) == page.locator("#bibtex").text_content()


def test_brackets_go_to_the_previous_and_next_paper_and_day(site: Served, page: Page):
    ids = card_ids(site, page, DAY)
    assert len(ids) == 3
    previous_day = page.locator(".day-nav a[rel=prev]").get_attribute("href")
    page.keyboard.press("[")
    page.wait_for_url(site.at(previous_day))
    page.keyboard.press("]")
    page.wait_for_url(site.at(DAY))
    page.goto(site.at(f"papers/{ids[1]}/"))
    page.keyboard.press("]")
    page.wait_for_url(site.at(f"papers/{ids[2]}/"))
    page.keyboard.press("[")
    page.wait_for_url(site.at(f"papers/{ids[1]}/"))
    page.keyboard.press("[")
    page.wait_for_url(site.at(f"papers/{ids[0]}/"))


def test_slash_focuses_search_and_keys_never_fire_while_typing(site: Served, page: Page):
    card_ids(site, page)
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "site-search"
    page.keyboard.type("jks/?")
    assert page.locator("#site-search").input_value() == "jks/?"
    assert page.locator("dialog[open]").count() == 0 and focused_paper(page) is None


def test_question_mark_opens_an_accessible_dialog_that_traps_focus(site: Served, page: Page):
    card_ids(site, page)
    page.keyboard.press("j")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    for key in ("j", "k", "o", "Enter", "s", "c", "[", "]", "/", "?"):
        expect(dialog.locator("kbd", has_text=key).first).to_be_visible()
    for _ in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('dialog')")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => !!document.activeElement.closest('dialog')")
    page.keyboard.press("j")  # the page's keys wait while the dialog is open
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert focused_paper(page) is not None  # focus is back on the card it came from


def test_new_page_kinds_have_no_axe_violations(site: Served, browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    ids = card_ids(site, page)
    for paper_id in ids[:2]:
        page.locator(f"main .card[data-paper='{paper_id}'] [data-save]").click()
    saved_ids(site, page)
    assert violations(page) == []  # /saved/ with its cards
    page.goto(site.at(f"papers/{ARXIV_PAPER}/"))
    page.locator("details.bibtex summary").click()
    assert violations(page) == []  # links out and BibTeX open
    page.keyboard.press("?")
    assert violations(page) == []  # the keys dialog
    context.close()
