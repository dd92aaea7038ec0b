"""Paper pages keyed by their inputs (sitegen/cache/paper_pages.py): a page whose key is unchanged is
the same page, however the site around it changed.

The build cache links a kept paper page without planning it, so every input the page shows must be
in its key. Each test here changes one thing a paper page shows of the rest of the site, plans the
shipped site before and after in full, and checks every paper page: where its key stayed, its
planned view and meta stayed too; and some page did change, or the test would prove nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import partial
from pathlib import Path

import pytest

from sitegen.build import PROJECT_DIR, BuildOptions, Timer, assets_of, load, static_files
from sitegen.cache.keys import describe
from sitegen.cache.paper_pages import KeptPaperView, PaperPages, full
from sitegen.cache.store import Store
from sitegen.core.diagnostics import Diagnostics
from sitegen.plan.outputs import plan_files
from sitegen.plan.planner import plan_site
from sitegen.plan.urls import Urls
from sitegen.plan.views import PaperView
from sitegen.read.arxiv import ArxivRef
from sitegen.read.content import MarkdownDoc, NoteMeta
from sitegen.reuse import Fresh, Mode


@pytest.fixture(scope="module")
def shipped():
    _, site = load(BuildOptions(content_dir=PROJECT_DIR / "content"), Diagnostics(), Timer({}, None), Fresh(), Mode.EXACT)
    return site


@pytest.fixture(params=[False, True], ids=["day cards", "paper cards"])
def site(shipped, request):
    """The shipped site, with each paper page showing its day's social card (as shipped) or its own."""
    content = shipped.content
    config = content.config.model_copy(update={"paper_cards": request.param})
    return dataclasses.replace(shipped, content=dataclasses.replace(content, config=config))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "cache", lambda note: None) as store:
        yield store


def planned(site, store):
    """Each paper page's key and what it shows (its meta and view), by output path."""
    pages = PaperPages(store, PROJECT_DIR / "templates", {})
    plan = plan_site(site, Urls(site.config.base_url), assets_of(static_files(PROJECT_DIR / "static")),
                     steps=pages.steps)
    shown = {page.output_path: describe((page.meta, page.view), {}) for page in plan.pages
             if isinstance(page.view, PaperView)}
    assert shown.keys() == pages.pages.keys() and len(shown) == len(site.papers)
    return {path: (pages.pages[path], shown[path]) for path in shown}


def big_day(site):
    return max(site.days.values(), key=lambda day: len(day.paper_ids))


def retitled(site):  # the middle paper of a big day: its neighbours' links and its related cards elsewhere
    day = big_day(site)
    paper = site.papers[day.paper_ids[len(day.paper_ids) // 2]]
    return dataclasses.replace(site, papers={**site.papers, paper.id: paper.model_copy(update={"title": "Renamed"})})


def edited(site, field, value):  # a paper with another byline or upvote count: its card, wherever it is shown
    paper = next(paper for paper in site.papers.values() if getattr(paper, field) is not None)
    return dataclasses.replace(site, papers={**site.papers, paper.id: paper.model_copy(update={field: value(paper)})})


def rebylined(site):
    return edited(site, "authors", lambda paper: paper.authors + 1)


def upvoted(site):
    return edited(site, "upvotes", lambda paper: paper.upvotes + 1)


def renamed_org(site):
    return edited(site, "org", lambda paper: paper.org.model_copy(update={"name": paper.org.name + " Lab"}))


def shorter_day(site):  # a big day's last paper moved to another day: every page of both shows their counts
    day = big_day(site)
    other = next(group for group in site.days.values() if group is not day)
    *kept, moved = day.paper_ids
    return dataclasses.replace(site, days={**site.days, day.key: dataclasses.replace(day, paper_ids=tuple(kept)),
                                           other.key: dataclasses.replace(other, paper_ids=(*other.paper_ids, moved))})


def noted(site):
    paper_id = next(paper_id for paper_id in site.papers if paper_id not in site.notes)
    note = MarkdownDoc(Path("notes/x.md"), paper_id, NoteMeta(), "A note.", 4)
    return dataclasses.replace(site, notes={**site.notes, paper_id: note})


def on_arxiv(site):
    paper_id = next(paper_id for paper_id in site.papers if paper_id not in site.arxiv)
    return dataclasses.replace(site, arxiv={**site.arxiv, paper_id: ArxivRef(paper_id=paper_id, arxiv_id="2410.01234",
                                                                             source_path="notes/x.md", line=2)})


def retagged(site):  # a tag its day had not: the paper's card, the cards of it elsewhere, its day's social card
    day = next(day for day in site.days.values() if len(day.paper_ids) >= 3 and len(tags_of_day(site, day)) < 8)
    new_tag = next(group.key for group in site.tags if group.key not in tags_of_day(site, day))
    paper_id = day.paper_ids[0]
    return dataclasses.replace(site, tags_of={**site.tags_of, paper_id: (*site.tags_of[paper_id], new_tag)})


def tags_of_day(site, day):
    return {tag for paper_id in day.paper_ids for tag in site.tags_of[paper_id]}


def other_related(site):
    paper_id = next(iter(site.papers))
    return dataclasses.replace(site, related={**site.related, paper_id: site.related[paper_id][::-1]})


def resaved(site):  # a listing's save date: the label of its entries' "seen in" links, and their pages' dates
    content = site.content
    listing = content.listings[0]
    moved = listing.model_copy(update={"saved_on": (listing.saved_on or dt.date(2024, 1, 1)) + dt.timedelta(days=1)})
    return dataclasses.replace(site, content=dataclasses.replace(content, listings=(moved, *content.listings[1:])))


CHANGES = [retitled, rebylined, renamed_org, upvoted, shorter_day, noted, on_arxiv, retagged, other_related, resaved]
SHOWN_IN_JSON = {retitled, rebylined, renamed_org, upvoted, on_arxiv, retagged}  # what a paper's record shows


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_paper_page_whose_key_is_unchanged_shows_the_same(site, store, change):
    before, after = planned(site, store), planned(change(site), store)
    stale = [path for path in before if before[path][0] == after[path][0] and before[path][1] != after[path][1]]
    assert not stale, f"{len(stale)} page(s) kept under an unchanged key show something else, e.g. {stale[0]}"
    assert any(before[path][1] != after[path][1] for path in before)  # the change shows somewhere
    assert sum(before[path][0] == after[path][0] for path in before) > len(before) / 2  # and most pages are kept


def json_files(site, store):
    """Each paper's JSON file: its key and its bytes, by output path."""
    pages, urls = PaperPages(store, PROJECT_DIR / "templates", {}), Urls(site.config.base_url)
    made = {file.output_path: file.render() for file in plan_files(site, urls, [], json_step=partial(pages.paper_json, site, urls))
            if file.output_path.endswith("/paper.json")}
    keys = pages.json_keys
    assert keys.keys() == made.keys() and len(made) == len(site.papers)
    return {path: (keys[path], made[path]) for path in made}


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_paper_json_whose_key_is_unchanged_holds_the_same_bytes(shipped, store, change):
    before, after = json_files(shipped, store), json_files(change(shipped), store)
    stale = [path for path in before if before[path][0] == after[path][0] and before[path][1] != after[path][1]]
    assert not stale, f"{len(stale)} paper JSON file(s) kept under an unchanged key hold other bytes, e.g. {stale[0]}"
    changed = sum(before[path][0] != after[path][0] for path in before)
    assert (changed > 0) == (change in SHOWN_IN_JSON) and changed < len(before) / 2


def test_a_kept_page_is_planned_without_its_view_and_made_in_full_when_asked(site, store, tmp_path):
    pages = PaperPages(store, PROJECT_DIR / "templates", {})
    urls, assets = Urls(site.config.base_url), assets_of(static_files(PROJECT_DIR / "static"))
    plan_site(site, urls, assets, steps=pages.steps)
    some = sorted(pages.pages.items())[:3]
    for _, key in some:  # as if an earlier build had rendered these three
        written = tmp_path / key
        written.write_bytes(b"<html></html>")
        store.keep_page(key, str(written))
    kept = PaperPages(store, PROJECT_DIR / "templates", {})
    plan = plan_site(site, urls, assets, steps=kept.steps)
    held = {page.output_path: page for page in plan.pages if isinstance(page.view, KeptPaperView)}
    assert sorted(held) == [path for path, _ in some] and kept.kept == 3
    fresh = {page.output_path: page for page in plan_site(site, urls, assets).pages}
    for path, page in held.items():
        assert full(page) == fresh[path] and page.view.card == fresh[path].view.card
        # What a build reads of a page it does not render: the sitemap's address and date, the search index's flag.
        shown = lambda page: (page.url, page.output_path, page.template, page.meta.canonical, page.meta.updated,
                              page.meta.searchable)
        assert shown(page) == shown(fresh[path])
