"""Issue 15, item 13: `sitegen serve` sends the security headers netlify.toml gives every path,
CSP included, so what production's CSP breaks breaks in the preview too; its own reload script
still works under that CSP. A real server process, real HTTP, a real Chromium."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from tests.live import REPO, fetch, start_serve

TINY = Path(__file__).parent / "data" / "tiny_site" / "content"


def netlify_every_path_headers() -> dict[str, str]:
    rules = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))["headers"]
    (rule,) = [rule for rule in rules if rule["for"] == "/*"]
    return rule["values"]


def test_every_response_carries_netlify_tomls_headers(tmp_path):
    wanted = netlify_every_path_headers()
    assert "Content-Security-Policy" in wanted
    served = start_serve(shutil.copytree(TINY, tmp_path / "content"), tmp_path)
    try:
        responses = {path: served.get(path) for path in ("/", "/about/", "/no-such-page/", "/about",
                                                         "/__sitegen/reload.js", "/static/favicon.svg")}
        responses["HEAD /__sitegen/events"] = fetch(served.url, "/__sitegen/events", method="HEAD")
    finally:
        served.stop()
    assert {path: response.status for path, response in responses.items()} == {
        "/": 200, "/about/": 200, "/no-such-page/": 404, "/about": 301, "/__sitegen/reload.js": 200,
        "/static/favicon.svg": 200, "HEAD /__sitegen/events": 200}
    for path, response in responses.items():
        sent = {name: response.headers.get(name.lower()) for name in wanted}
        assert sent == wanted, path
        assert response.headers.get("cache-control") == ("no-store" if response.status != 301 else None), path


def test_production_csp_stops_an_allowed_inline_script_and_the_page_still_reloads(browser, tmp_path):
    content = shutil.copytree(TINY, tmp_path / "content")
    page_file = content / "pages" / "embed.md"
    text = '+++\ntitle = "Embed"\nallow_html = true\n+++\n{}\n\n<script>window.inlineRan = true;</script>\n'
    page_file.write_text(text.format("First version."), encoding="utf-8")
    served = start_serve(content, tmp_path)
    page = browser.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
            else None)
    try:
        page.goto(served.url + "embed/")
        page.get_by_text("First version.").wait_for()
        page.wait_for_function("() => document.querySelector('script[data-epoch]') !== null")
        assert page.evaluate("() => window.inlineRan") is None  # as on the deployed site: the CSP refused it
        page.evaluate("() => { window.notReloaded = true; }")

        page_file.write_text(text.format("Second version."), encoding="utf-8")
        page.wait_for_function("() => window.notReloaded === undefined", timeout=30_000)  # the reload script ran
        page.get_by_text("Second version.").wait_for()
        assert page.evaluate("() => window.inlineRan") is None
    finally:
        page.close()
        served.stop()
    assert blocked and all("inline script" in line.lower() or "script-src" in line for line in blocked), blocked
    assert not any("__sitegen" in line for line in blocked), blocked
