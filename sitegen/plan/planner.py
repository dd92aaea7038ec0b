"""The page plan: every file the site will have, decided before anything is written.

Planning is where two pages claiming one file are caught: the build stops
with both named, before the first byte is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup

from sitegen.core.diagnostics import BuildError, Diagnostic, Severity
from sitegen.plan.cards import Cards
from sitegen.plan.freshness import Freshness
from sitegen.plan.export import Exporter
from sitegen.plan.markup import render_markdown, shorter_excerpt
from sitegen.core.models import Listing, Paper
from sitegen.plan.outputs import PlannedFile, plan_files
from sitegen.plan.present import Presenter, date_label, listing_label, long_date, plural
from sitegen.assemble.site import Group, Site
from sitegen.plan.search_page import search_view
from sitegen.plan.urls import Urls
from sitegen.trends.pages import TrendPages
from sitegen.plan.views import (
    ArchiveView,
    ArticleView,
    CardImage,
    Chrome,
    DaySummary,
    HomeView,
    IndexEntry,
    IndexView,
    Link,
    ListingRow,
    ListingView,
    Meta,
    NotFoundView,
    PaperCard,
    SavedView,
    View,
    YearEntry,
    YearView,
)

if TYPE_CHECKING:
    from sitegen.read.arxiv import ArxivRef
    from sitegen.read.content import MarkdownDoc


@dataclass(frozen=True, slots=True)
class PlannedPage:
    url: str
    output_path: str
    template: str  # the view's, looked up once when the page is planned
    meta: Meta
    view: View
    source: str  # what asked for this page, for collision messages
    source_path: str = ""  # the content file behind it, if any


@dataclass(frozen=True)
class Plan:
    chrome: Chrome  # shared by every page
    pages: list[PlannedPage]
    files: list[PlannedFile]  # feeds, sitemap, robots.txt, JSON export, social cards


@dataclass(frozen=True)
class Assets:
    """Content-hashed file names of the stylesheet and script."""

    css: str
    js: str
    search_js: str = "search.js"  # the search page's own (plan/search_page.py)
    search_css: str = "search.css"
    stylesheets: tuple[str, ...] = ()  # more hashed files, on every page
    scripts: tuple[str, ...] = ()


class Planner:
    def __init__(self, site: Site, urls: Urls, assets: Assets, steps: PlanSteps | None = None):
        self.site, self.urls, self.config = site, urls, site.config
        self.steps = steps = steps or PURE_STEPS
        self.assets = assets
        self.present = Presenter(site, urls, steps.card, steps.new_day_link)
        self.pages: list[PlannedPage] = []
        self.export = Exporter(site, urls)
        self.fresh = Freshness(site)
        labels = self.present.listing_labels
        self.listing_texts = {listing.id: f"{labels[listing.id]}\0{listing.saved_on}" for listing in site.content.listings}
        self.cards = Cards(self.config.title, urls)
        self.site_card = self.cards.card(urls.home(), "Archive", self.config.description,
                                         (plural(len(site.papers), "paper"), plural(len(site.days), "day")))
        self.day_cards: dict[str, CardImage] = {}  # by day key: a paper page shows its day's unless paper cards are on
        self.feed = Link(urls.feed(), f"{self.config.title}: newest papers")
        about = [page for page in site.content.pages if page.slug == "about"]
        nav = [
            Link(urls.days(), "Days"),
            Link(urls.tags(), "Tags"),
            Link(urls.orgs(), "Organisations"),
            Link(urls.listings(), "Listings"),
            Link(urls.stats(), "Stats"),
        ] + [Link(urls.page("about"), "About")] * bool(about)
        self.chrome = Chrome(
            site_title=self.config.title,
            language=self.config.language,
            home_url=urls.home(),
            nav=tuple(nav),
            search_url=urls.search(),
            css_url=urls.asset(assets.css),
            js_url=urls.asset(assets.js),
            favicon_url=urls.asset("favicon.svg"),
            feed_url=urls.feed(),
            data_url=urls.papers_json(),
            base_url=self.config.base_url,
            saved_url=urls.saved(),
            stylesheets=tuple(map(urls.asset, assets.stylesheets)),
            scripts=tuple(map(urls.asset, assets.scripts)),
        )

    def add(self, url: str, view: View, heading: str, description: str, source: str,
            source_path: str = "", **meta) -> None:
        self.pages.append(self.page(url, view, heading, description, source, source_path, **meta))

    def page(self, url: str, view: View, heading: str, description: str, source: str,
             source_path: str = "", **meta) -> PlannedPage:
        title = f"{heading} · {self.config.title}" if heading != self.config.title else heading
        meta.setdefault("feed", self.feed)
        meta.setdefault("image", self.site_card)
        meta.setdefault("updated", self.fresh.newest)
        return PlannedPage(
            url=url,
            output_path=self.urls.output_path(url),
            template=view.template,
            meta=Meta(title=title, heading=heading, description=description,
                      canonical=self.urls.absolute(url), **meta),
            view=view,
            source=source,
            source_path=source_path,
        )

    def plan(self) -> list[PlannedPage]:
        self.trends = TrendPages(self)
        self.home()
        self.days()
        self.papers()
        self.groups()
        self.listings()
        self.articles()
        self.saved()
        self.trends.plan()
        return self.pages

    def home(self) -> None:
        site, urls = self.site, self.urls
        newest = list(site.days.values())[::-1][: self.config.home_days]
        top_tags = sorted(site.tags, key=lambda g: (-len(g.paper_ids), g.key))[: self.config.home_tags]
        view = HomeView(
            papers=len(site.papers),
            days=len(site.days),
            tags=len(site.tags),
            listings=len(site.content.listings),
            recent=tuple(
                DaySummary(self.present.day_link(day), tuple(self.present.cards[i] for i in day.paper_ids[:3]))
                for day in newest
            ),
            top_tags=tuple(Link(urls.tag(g.key), g.name, len(g.paper_ids)) for g in top_tags),
            archive=Link(urls.days(), "All days"),
            undated=self.present.day_link(site.undated),
            trends=self.trends.home(),
        )
        self.add(urls.home(), view, self.config.title, self.config.description, "home page")

    def days(self) -> None:
        site, urls, present = self.site, self.urls, self.present
        calendar = present.calendar()  # newest year first
        days_in = Counter(int(key[:4]) for key in site.days)  # keys are ISO dates
        years = tuple(YearEntry(Link(urls.year(year.year), str(year.year), year.count), days_in[year.year])
                      for year in calendar)
        archive = ArchiveView(years, present.day_link(site.undated), len(site.days),
                              chart=self.trends.days_chart(), periods=self.trends.indexes())
        self.add(urls.days(), archive, "Day archive",
                 f"Every Daily Papers day in the archive: {plural(len(site.days), 'day')}, by year.", "day archive")
        up = Link(urls.days(), "Day archive")
        for index, year in enumerate(calendar):
            newer, older = years[index - 1].link if index > 0 else None, years[index + 1].link if index + 1 < len(years) else None
            self.add(urls.year(year.year), YearView(year, older, newer, up), f"Days of {year.year}",
                     f"The Daily Papers days of {year.year}: {plural(years[index].days, 'day')}, "
                     f"{plural(year.count, 'paper')}.", f"year {year.year}",
                     image=self.cards.card(urls.year(year.year), "Year", str(year.year),
                                           (plural(year.count, "paper"), plural(years[index].days, "day"))),
                     updated=self.fresh.of(paper_id for key, day in site.days.items() if key[:4] == str(year.year)
                                           for paper_id in day.paper_ids))
        days = list(site.days.values())
        day_pages = self.steps.day_pages
        for index, day in enumerate(days):
            self.day_cards[day.key] = image = self.group_card(urls.day(day.key), "Day", present.day_link(day).label, day)
            self.pages.extend(day_pages(self, day, present.day_link(days[index - 1]) if index > 0 else None,
                                        present.day_link(days[index + 1]) if index + 1 < len(days) else None, up,
                                        image, self.fresh.of(day.paper_ids)))
        intro = "Papers that no listing gave a date for. They are kept here so that none is lost."
        undated = self.day_cards[site.undated.key] = self.group_card(urls.undated(), "Archive", "Undated papers",
                                                                     site.undated)
        for url, view in present.list_pages(site.undated, "Undated papers", intro, urls.undated, up, self.config.page_size):
            self.add(url, view, "Undated papers", intro, "undated papers", image=undated,
                     updated=self.fresh.of(site.undated.paper_ids))

    def group_card(self, url: str, kind: str, title: str, group: Group) -> CardImage:
        """The card of a day, tag or organisation: its name, its paper count and its papers' most common tags."""
        return self.cards.card(url, kind, title, (plural(len(group.paper_ids), "paper"),), self.steps.group_tags(self, group))

    def group_tags(self, group: Group) -> tuple[str, ...]:
        """The names of the tags most common among a group's papers, its own aside, most common first."""
        tags = Counter(tag for paper_id in group.paper_ids for tag in self.site.tags_of[paper_id])
        return tuple(self.present.tag_links[key].label for key, _ in tags.most_common(8) if key != group.key)

    def paper_card(self, paper: Paper) -> CardImage:
        """A paper's own card where `paper_cards` is on in site.toml, else its day's."""
        if not self.config.paper_cards:
            return self.day_cards[self.site.day_of(paper).key]
        card = self.present.cards[paper.id]
        facts = (card.date_label, *([plural(paper.upvotes, "upvote")] if paper.upvotes is not None else []),
                 *([paper.org.name] if paper.org else []))
        return self.cards.card(card.url, "Paper", paper.title, facts, tuple(tag.label for tag in card.tags))

    def day_pages(self, day: Group, previous: Link | None, following: Link | None, up: Link,
                  image: CardImage, updated: dt.date | None) -> list[PlannedPage]:
        urls, present = self.urls, self.present
        heading = present.day_link(day).label
        return [self.page(url, view, heading, f"Papers of the Daily Papers listing of {heading}.", f"day {day.key}",
                          image=image, updated=updated)
                for url, view in present.list_pages(day, heading,
                                                    plural(len(day.paper_ids), "paper") + ", most upvoted first.",
                                                    lambda n, k=day.key: urls.day(k), up, None,
                                                    previous=previous, following=following,
                                                    periods=self.trends.day_periods(day))]

    def papers(self) -> None:
        site, paper_page, add = self.site, self.steps.paper_page, self.pages.append
        for group in [*site.days.values(), site.undated]:
            ids = group.paper_ids
            for index, paper_id in enumerate(ids):
                add(paper_page(self, site.papers[paper_id], ids[index - 1] if index > 0 else None,
                               ids[index + 1] if index + 1 < len(ids) else None))

    def paper_page_inputs(self, paper: Paper, previous: str | None, following: str | None) -> PaperPageInputs:
        cards, site = self.present.cards, self.site
        return PaperPageInputs(
            paper, cards[paper.id], self.present.paper_day(paper), tuple(map(cards.__getitem__, site.related[paper.id])),
            previous and cards[previous], following and cards[following], site.notes.get(paper.id),
            site.arxiv.get(paper.id), self.paper_card(paper), tuple([self.listing_texts[seen.listing] for seen in paper.seen_in]))

    def paper_page(self, paper: Paper, previous: str | None, following: str | None) -> PlannedPage:
        return self.paper_page_of(paper, self.present.paper_view(paper, previous, following))

    def paper_page_of(self, paper: Paper, view: View, image: CardImage | None = None) -> PlannedPage:
        """The page of `paper` showing `view` (the build cache passes one it holds rendered: cache/paper_pages.py),
        and `image`, its `paper_card` (made here unless the caller made it already)."""
        card = self.present.cards[paper.id]
        return self.page(card.url, view, paper.title, shorter_excerpt(card.excerpt, paper.abstract, 200),
                         f"paper {paper.id}", og_type="article", searchable=True, json_ld=self.export.article_facts(paper),
                         image=image or self.paper_card(paper), updated=self.fresh.changed[paper.id])

    def groups(self) -> None:
        site, urls, present, size = self.site, self.urls, self.present, self.config.page_size
        tags_up = Link(urls.tags(), "All tags")
        self.add(urls.tags(), IndexView(
            "Tags", "Research topics, from the curated taxonomy.",
            tuple(IndexEntry(Link(urls.tag(g.key), g.name, len(g.paper_ids)), g.description, self.trends.tag_spark(g))
                  for g in site.tags),
        ), "Tags", "Research topics in the archive, with paper counts.", "tag index")
        for group in site.tags:
            intro = group.description or f"Papers tagged {group.name}."
            feed = Link(urls.tag_feed(group.key), f"{group.name}: newest papers")
            image, updated = self.group_card(urls.tag(group.key), "Tag", group.name, group), self.fresh.of(group.paper_ids)
            for url, view in present.list_pages(group, group.name, intro, lambda n, k=group.key: urls.tag(k, n),
                                                tags_up, size, feed=feed, chart=self.trends.tag_chart(group)):
                self.add(url, view, f"Tag: {group.name}", intro, f"tag {group.key}", feed=feed,
                         image=image, updated=updated)
        orgs_up = Link(urls.orgs(), "All organisations")
        self.add(urls.orgs(), IndexView(
            "Organisations", "Organisations that published papers in the listings.",
            tuple(IndexEntry(Link(urls.org(g.key), g.name, len(g.paper_ids)), "") for g in site.orgs),
        ), "Organisations", "Organisations in the archive, with paper counts.", "organisation index")
        for group in site.orgs:
            intro = f"Papers published by {group.name}."
            image = self.group_card(urls.org(group.key), "Organisation", group.name, group)
            updated = self.fresh.of(group.paper_ids)
            feed = Link(urls.org_feed(group.key), f"{group.name}: newest papers")
            for url, view in present.list_pages(group, group.name, intro, lambda n, k=group.key: urls.org(k, n),
                                                orgs_up, size, feed=feed):
                self.add(url, view, f"Organisation: {group.name}", intro, f"organisation {group.key}",
                         feed=feed, image=image, updated=updated)

    def listings(self) -> None:
        site, urls = self.site, self.urls
        up = Link(urls.listings(), "All listings")
        entries = []
        for listing in site.content.listings:
            label = listing_label(listing)
            entries.append(IndexEntry(Link(urls.listing(listing.id), label, len(listing.entries)), listing.id))
            rows = self.steps.listing_rows(self, listing)
            saved = f"Saved {date_label(listing.saved_on)}" if listing.saved_on else "Save date unknown"
            view = ListingView(label, saved, listing.id, rows, up)
            self.add(urls.listing(listing.id), view, label,
                     f"The {plural(len(rows), 'paper')} of one saved Daily Papers listing, in its order.",
                     f"listing {listing.source_path}", updated=listing.saved_on)
        self.add(urls.listings(), IndexView(
            "Listings", "Each saved listing dump, as it was saved.", tuple(entries),
        ), "Listings", "The saved Daily Papers listings this archive is built from.", "listing index")

    def listing_rows(self, listing: Listing) -> tuple[ListingRow, ...]:
        return tuple(
            ListingRow(anchor=f"line-{entry.line}", line=entry.line, card=self.present.cards[paper_id])
            for entry, paper_id in zip(listing.entries, self.site.listing_papers[listing.id])
        )

    def articles(self) -> None:
        urls = self.urls
        for page in self.site.content.pages:
            heading = page.meta.title or page.slug.replace("-", " ").capitalize()
            self.add(urls.page(page.slug), ArticleView(heading, render_markdown(page.body)),
                     heading, page.meta.description or self.config.description, f"page {page.slug!r}",
                     source_path=str(page.source_path), updated=None)  # edited by hand: the listings do not say when
        search = search_view(urls, len(self.site.papers), self.assets.search_js, self.assets.search_css)
        self.add(urls.search(), search, "Search",
                 "Full-text search over every paper in the archive.", "search page")
        self.add(urls.not_found(), NotFoundView("Page not found", Markup("")), "Page not found",
                 "This page does not exist.", "404 page")  # the host answers it with status 404: never indexed


    def saved(self) -> None:
        view = SavedView("Saved papers", "Papers you saved with their Save button, newest saved first. They are kept "
                         "in this browser only: export them, or copy a share link, to take them elsewhere.",
                         "Nothing saved yet: press Save on any paper, or s on a focused one.",
                         self.urls.paper_json("{id}"))
        self.add(self.urls.saved(), view, "Saved papers", "The papers you saved in this browser.",
                 "saved papers page")


class PaperPageInputs(NamedTuple):
    """What a paper's page (its view, meta and social card) is made from, besides the settings, the
    taxonomy, the chrome and the templates: a preview compares them with its last build's
    (preview/replan.py), the build cache keys the page by them (cache/paper_pages.py)."""

    paper: Paper
    card: PaperCard  # and so its tags, as the page shows them
    day: Link
    related: tuple[PaperCard, ...]
    previous: PaperCard | None  # the neighbours, as the page links them
    following: PaperCard | None
    note: MarkdownDoc | None
    arxiv: ArxivRef | None
    image: CardImage  # its social card, which making the inputs registers to be drawn
    listings: tuple[str, ...]  # the label and save date of each listing it was seen in (the lines are the paper's)


@dataclass(frozen=True)
class PlanSteps:
    """The planner's steps done once per paper, day, group or listing, each a function of the planner's
    site and its arguments: a preview's rebuild passes versions that remember their results by
    their inputs (preview/replan.py), so that an unchanged paper's page is the very object of the
    last plan."""

    card: Callable[[Presenter, Paper], PaperCard] = Presenter._card
    new_day_link: Callable[[Presenter, Group], Link] = Presenter.new_day_link
    paper_page: Callable[[Planner, Paper, str | None, str | None], PlannedPage] = Planner.paper_page
    day_pages: Callable[[Planner, Group, Link | None, Link | None, Link, CardImage, dt.date | None], list[PlannedPage]] = (
        Planner.day_pages)
    listing_rows: Callable[[Planner, Listing], tuple[ListingRow, ...]] = Planner.listing_rows
    group_tags: Callable[[Planner, Group], tuple[str, ...]] = Planner.group_tags


PURE_STEPS = PlanSteps()


def check_collisions(pages: list[PlannedPage | PlannedFile]) -> None:
    owners: dict[str, PlannedPage | PlannedFile] = {}
    clashes = []
    for page in pages:
        other = owners.setdefault(page.output_path, page)
        if other is not page:
            # Blame the one a curator can rename: the page from a content file.
            culprit, owner = (page, other) if page.source_path or not other.source_path else (other, page)
            clashes.append(Diagnostic(culprit.source_path or culprit.output_path, 0, Severity.ERROR,
                                      f"{culprit.source} would write {culprit.output_path}, which the "
                                      f"{owner.source} writes already; rename the file"))
    if clashes:
        raise BuildError(clashes)


def plan_site(site: Site, urls: Urls, assets: Assets, steps: PlanSteps | None = None,
              files_of: Callable[..., list[PlannedFile]] = plan_files) -> Plan:
    """Every page and file; a preview passes `steps` and `files_of` that reuse earlier work (preview/replan.py)."""
    planner = Planner(site, urls, assets, steps)
    pages = planner.plan()
    # The search and saved pages show nothing until used, and the 404 page stands in for what is
    # missing: none is a page for the sitemap. They carry no robots noindex: a crawler that finds
    # them sees a short page (the 404 comes with status 404), and Lighthouse's SEO audit scores
    # a noindex page 66 (issue 22).
    unlisted = {urls.search(), urls.saved(), urls.not_found()}
    indexed = [(page.url, page.meta.updated) for page in pages if page.url not in unlisted]
    files = files_of(site, urls, indexed, planner.cards.texts, bibliography=planner.present.bibliography,
                     freshness=planner.fresh)
    check_collisions([*pages, *files])
    return Plan(planner.chrome, pages, files)
