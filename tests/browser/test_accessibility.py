"""axe-core (Deque's WCAG checker) finds no WCAG 2.1 A or AA violation on one page
of every kind, in light and dark colour schemes, with JavaScript on and off.

axe needs JavaScript itself (and hangs where it is disabled), so the no-JS view
is the served HTML with its scripts removed and its <noscript> content shown,
checked in a JavaScript-on page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from checkers import AXE_JS, tool

from .search_ui import open_facet, settled

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {  # one page of each kind in the shipped site
    "home": "",
    "day archive": "days/",
    "day": "days/2025-10-23/",
    "undated": "days/undated/",
    "paper": "papers/cerebras-gpt-open-compute-optimal-language-models-trained-on-the-cerebras-wafer/",
    "tag index": "tags/",
    "tag": "tags/reinforcement-learning/",
    "organisation": "orgs/google/",
    "listing": "listings/2025-11-21-2ee11794b9e97e9a/",
    "search": "search/?q=language",
    "search, no query": "search/",
    "about": "about/",
    "saved": "saved/",  # empty here; tests/browser/test_reader_tools.py checks it with saved papers
    "404": "404.html",
    "statistics": "stats/",  # issue 20's pages: charts, week and month pages and indexes
    "week index": "weeks/",
    "week": "weeks/2025-W43/",
    "month index": "months/",
    "month": "months/2025-10/",
}
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
NOSCRIPT_TAG = re.compile(r"</?noscript>", re.IGNORECASE)


def without_scripts(html: str) -> str:
    """The page a reader without JavaScript gets: no scripts, <noscript> content shown."""
    return NOSCRIPT_TAG.sub("", SCRIPT.sub("", html))


@pytest.fixture(params=["light", "dark"])
def scheme_page(request, browser: Browser) -> Iterator[Page]:
    # axe is injected as an inline script: the site's CSP forbids those, rightly, so it is bypassed here.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=request.param, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(tool(AXE_JS)))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
                          WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(node["html"][:160] for node in v["nodes"][:5])
            for v in found]


@pytest.mark.parametrize("kind", PAGES)
def test_no_violations_with_javascript(kind, scheme_page: Page, search_site):
    scheme_page.goto(search_site.at(PAGES[kind]))
    if kind.startswith("search"):  # the results, and the facets opened, are part of the page
        settled(scheme_page)
        if kind == "search":
            scheme_page.wait_for_selector("#search-results .card-title a")
        open_facet(scheme_page, "tag")
        open_facet(scheme_page, "org")
    assert violations(scheme_page) == []


@pytest.mark.parametrize("kind", PAGES)
def test_no_violations_without_javascript(kind, scheme_page: Page, search_site):
    url = search_site.at(PAGES[kind])

    def serve_without_scripts(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=without_scripts(response.text()))

    scheme_page.route(url, serve_without_scripts)
    scheme_page.goto(url)
    assert scheme_page.locator("script").count() == 0
    assert violations(scheme_page) == []
