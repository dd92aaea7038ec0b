"""The search page as a reader sees it (static/search.js), and the answers expected of it,
worked out from the site's own `papers.json`, never from the search index."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

BOX = "#search-input"
STATUS = "#search-status"
TITLES = "#search-results .card-title a"
MORE = "#search-more"


def search(page: Page, words: str) -> None:
    """Type into the page's box and wait for the results of exactly these words."""
    box = page.locator(BOX)
    box.fill("")
    box.press_sequentially(words)
    expect(page.locator(STATUS)).to_have_text(re.compile(rf"results? for \u201c{re.escape(words)}\u201d$"))
    settled(page)


def settled(page: Page) -> None:
    """Wait until the latest search, or "More results", has drawn its cards."""
    page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")


def result_count(page: Page) -> int:
    text = page.locator(STATUS).inner_text()
    return 0 if text.startswith("No ") else int(text.split()[0].replace(",", ""))


def all_results(page: Page) -> list[dict]:
    """Every result card as shown, pressing "More results" until there is none."""
    settled(page)
    more = page.locator(MORE)
    while more.is_visible():
        more.click()
        settled(page)
    return page.locator("#search-results > li").evaluate_all("""items => items.map(li => ({
        path: new URL(li.querySelector('.card-title a').href).pathname,
        title: li.querySelector('.card-title a').textContent,
        date: (li.querySelector('time') || {}).dateTime || null,
        upvotes: li.querySelector('.upvotes') ? parseInt(li.querySelector('.upvotes').textContent) : null,
    }))""")


def facet_counts(page: Page, key: str) -> dict[str, int]:
    """A facet's values and counts as listed (closed facets too), in the order shown."""
    items = page.locator(f'.facet[data-key="{key}"] .facet-values label').evaluate_all(
        "labels => labels.map(l => [l.querySelector('.facet-value').textContent, l.querySelector('.count').textContent])")
    return {value: int(count.strip(" ()")) for value, count in items}


def open_facet(page: Page, key: str) -> None:
    summary = page.locator(f'.facet[data-key="{key}"] > summary')
    if page.locator(f'.facet[data-key="{key}"][open]').count() == 0:
        summary.click()


def choose(page: Page, key: str, value: str) -> None:
    """Tick a facet's value and wait for the search it starts."""
    open_facet(page, key)
    box(page, key, value).check()
    settled(page)


def box(page: Page, key: str, value: str):
    """A facet value's checkbox."""
    return page.locator(f'.facet[data-key="{key}"] label', has=page.locator(".facet-value", has_text=re.compile(
        f"^{re.escape(value)}$"))).locator("input")


@dataclass(frozen=True)
class Paper:
    path: str
    title: str
    date: str | None
    upvotes: int | None
    tags: frozenset[str]
    org: str | None

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    def facet(self, key: str) -> list[str]:
        if key == "tag":
            return sorted(self.tags)
        if key == "org":
            return [self.org] if self.org else []
        if key == "year":
            return [self.year] if self.year else []
        return ["Dated" if self.date else "Undated"]


def papers_of(site_folder: Path) -> list[Paper]:
    export = json.loads((site_folder / "papers.json").read_text(encoding="utf-8"))
    names = export["tags"]
    return [Paper(path="/" + p["url"].split("/", 3)[3], title=p["title"], date=p["date"], upvotes=p["upvotes"],
                  tags=frozenset(names[t] for t in p["tags"]), org=p["org_name"] or p["org"]) for p in export["papers"]]


def matching(papers: list[Paper], chosen: dict[str, list[str]]) -> list[Paper]:
    """Papers with any chosen value of each facet that has a choice (OR within, AND across)."""
    return [p for p in papers if all(set(p.facet(key)) & set(values) for key, values in chosen.items() if values)]


def expected_counts(papers: list[Paper], chosen: dict[str, list[str]], key: str) -> Counter:
    """A facet's counts: over the papers the other facets' choices leave."""
    others = {k: v for k, v in chosen.items() if k != key}
    return Counter(value for p in matching(papers, others) for value in p.facet(key))
