"""The reload script and error overlay in a real browser (Chromium), against `sitegen serve`."""

from __future__ import annotations

import shutil

from sitegen.preview.overlay import inject
from tests.edits import LISTING, NEW_BLOCK, NEW_TITLE
from tests.live import REPO, start_serve

# `browser`: the one headless Chromium of this pytest process (tests/conftest.py).


def test_an_open_page_reloads_after_a_change_and_shows_then_clears_a_build_error(browser, tmp_path):
    content = shutil.copytree(REPO / "content", tmp_path / "content")
    listing = content / "listings" / LISTING
    page = browser.new_page()
    served = start_serve(content, tmp_path)
    try:
        page.goto(served.url + "listings/" + LISTING.removesuffix(".txt") + "/")
        page.wait_for_function("() => document.querySelector('script[data-epoch]') !== null")
        page.evaluate("() => { window.notReloaded = true; }")
        assert page.get_by_text(NEW_TITLE).count() == 0

        good = listing.read_bytes() + NEW_BLOCK.encode("utf-8")
        listing.write_bytes(good)

        page.wait_for_function("() => window.notReloaded === undefined", timeout=30_000)
        page.get_by_text(NEW_TITLE).first.wait_for()

        bad_line = good.count(b"\n") + 1
        listing.write_bytes(good + b"Broken \xff bytes\n")
        overlay = page.locator("#sitegen-error")
        overlay.wait_for(timeout=30_000)
        assert f"{listing}:{bad_line}: error: not valid UTF-8" in overlay.inner_text()
        assert overlay.evaluate("box => getComputedStyle(box).position") == "fixed"
        assert page.get_by_text(NEW_TITLE).count() >= 1  # the last good page stays underneath

        page.evaluate("() => { window.notReloaded = true; }")
        listing.write_bytes(good)
        page.wait_for_function("() => window.notReloaded === undefined", timeout=30_000)
        overlay.wait_for(state="detached")
    finally:
        served.stop()
        page.close()


def test_the_overlay_is_escaped_text_in_the_browser(browser):
    html = inject(b"<!doctype html><html><body><p>page</p></body></html>", "e-1",
                  ("x.txt:3: error: <img src=x onerror=\"window.pwned=1\">",))
    page = browser.new_page()
    page.set_content(html.decode("utf-8"))
    assert "<img src=x" in page.locator("#sitegen-error").inner_text()
    assert page.locator("#sitegen-error img").count() == 0
    assert page.evaluate("() => window.pwned") is None
    page.close()
