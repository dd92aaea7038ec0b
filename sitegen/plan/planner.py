"""The page plan: every file the site will have, decided before anything is written.

Planning is where two pages claiming one file are caught: the build stops
with both named, before the first byte is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from sitegen.core.diagnostics import BuildError, Diagnostic, Severity
from sitegen.plan.export import Exporter
from sitegen.plan.markup import render_markdown, shorter_excerpt
from sitegen.core.models import Listing, Paper
from sitegen.plan.outputs import PlannedFile, plan_files
from sitegen.plan.present import Presenter, date_label, listing_label, long_date, plural
from sitegen.assemble.site import Group, Site
from sitegen.plan.urls import Urls
from sitegen.trends.pages import TrendPages
from sitegen.plan.views import (
    ArchiveView,
    ArticleView,
    Chrome,
    DaySummary,
    HomeView,
    IndexEntry,
    IndexView,
    Link,
    ListingRow,
    ListingView,
    Meta,
    SearchView,
)


@dataclass(frozen=True, slots=True)
class PlannedPage:
    url: str
    output_path: str
    template: str
    meta: Meta
    view: object
    source: str  # what asked for this page, for collision messages
    source_path: str = ""  # the content file behind it, if any


@dataclass(frozen=True)
class Plan:
    chrome: Chrome  # shared by every page
    pages: list[PlannedPage]
    files: list[PlannedFile]  # feeds, sitemap, robots.txt, JSON export


@dataclass(frozen=True)
class Assets:
    """Content-hashed file names of the stylesheet and script."""

    css: str
    js: str


class Planner:
    def __init__(self, site: Site, urls: Urls, assets: Assets):
        self.site, self.urls, self.config = site, urls, site.config
        self.present = self.presenter()
        self.pages: list[PlannedPage] = []
        self.export = Exporter(site, urls)
        self.feed = Link(urls.feed(), f"{self.config.title}: newest papers")
        about = [page for page in site.content.pages if page.slug == "about"]
        nav = [
            Link(urls.days(), "Days"),
            Link(urls.tags(), "Tags"),
            Link(urls.orgs(), "Organisations"),
            Link(urls.listings(), "Listings"),
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
        )

    def presenter(self) -> Presenter:
        return Presenter(self.site, self.urls)

    def add(self, url: str, template: str, view: object, heading: str, description: str, source: str,
            source_path: str = "", **meta) -> None:
        title = f"{heading} · {self.config.title}" if heading != self.config.title else heading
        meta.setdefault("feed", self.feed)
        self.pages.append(PlannedPage(
            url=url,
            output_path=self.urls.output_path(url),
            template=template,
            meta=Meta(title=title, heading=heading, description=description,
                      canonical=self.urls.absolute(url), **meta),
            view=view,
            source=source,
            source_path=source_path,
        ))

    def plan(self) -> list[PlannedPage]:
        self.trends = TrendPages(self)
        self.home()
        self.days()
        self.papers()
        self.groups()
        self.listings()
        self.articles()
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
        self.add(urls.home(), "home.html", view, self.config.title, self.config.description, "home page")

    def days(self) -> None:
        site, urls, present = self.site, self.urls, self.present
        archive = ArchiveView(present.calendar(), present.day_link(site.undated), len(site.days),
                              chart=self.trends.days_chart(), periods=self.trends.indexes())
        self.add(urls.days(), "archive.html", archive, "Day archive",
                 f"Every Daily Papers day in the archive: {plural(len(site.days), 'day')}.", "day archive")
        up = Link(urls.days(), "Day archive")
        days = list(site.days.values())
        for index, day in enumerate(days):
            self.day_pages(day, present.day_link(days[index - 1]) if index > 0 else None,
                           present.day_link(days[index + 1]) if index + 1 < len(days) else None, up)
        intro = "Papers that no listing gave a date for. They are kept here so that none is lost."
        for url, view in present.list_pages(site.undated, "Undated papers", intro, urls.undated, up, self.config.page_size):
            self.add(url, "list.html", view, "Undated papers", intro, "undated papers")

    def day_pages(self, day: Group, previous: Link | None, following: Link | None, up: Link) -> None:
        urls, present = self.urls, self.present
        heading = present.day_link(day).label
        for url, view in present.list_pages(day, heading, plural(len(day.paper_ids), "paper") + ", most upvoted first.",
                                            lambda n, k=day.key: urls.day(k), up, None,
                                            previous=previous, following=following,
                                            periods=self.trends.day_periods(day)):
            self.add(url, "list.html", view, heading, f"Papers of the Daily Papers listing of {heading}.", f"day {day.key}")

    def papers(self) -> None:
        site = self.site
        for group in [*site.days.values(), site.undated]:
            ids = group.paper_ids
            for index, paper_id in enumerate(ids):
                self.paper_page(site.papers[paper_id], ids[index - 1] if index > 0 else None,
                                ids[index + 1] if index + 1 < len(ids) else None)

    def paper_page(self, paper: Paper, previous: str | None, following: str | None) -> None:
        view = self.present.paper_view(paper, previous, following)
        self.add(view.card.url, "paper.html", view, paper.title, shorter_excerpt(view.card.excerpt, paper.abstract, 200),
                 f"paper {paper.id}", og_type="article", searchable=True, json_ld=self.export.article_facts(paper))

    def groups(self) -> None:
        site, urls, present, size = self.site, self.urls, self.present, self.config.page_size
        tags_up = Link(urls.tags(), "All tags")
        self.add(urls.tags(), "index.html", IndexView(
            "Tags", "Research topics, from the curated taxonomy.",
            tuple(IndexEntry(Link(urls.tag(g.key), g.name, len(g.paper_ids)), g.description, self.trends.tag_spark(g))
                  for g in site.tags),
        ), "Tags", "Research topics in the archive, with paper counts.", "tag index")
        for group in site.tags:
            intro = group.description or f"Papers tagged {group.name}."
            feed = Link(urls.tag_feed(group.key), f"{group.name}: newest papers")
            for url, view in present.list_pages(group, group.name, intro, lambda n, k=group.key: urls.tag(k, n),
                                                tags_up, size, feed=feed, chart=self.trends.tag_chart(group)):
                self.add(url, "list.html", view, f"Tag: {group.name}", intro, f"tag {group.key}", feed=feed)
        orgs_up = Link(urls.orgs(), "All organisations")
        self.add(urls.orgs(), "index.html", IndexView(
            "Organisations", "Organisations that published papers in the listings.",
            tuple(IndexEntry(Link(urls.org(g.key), g.name, len(g.paper_ids)), "") for g in site.orgs),
        ), "Organisations", "Organisations in the archive, with paper counts.", "organisation index")
        for group in site.orgs:
            intro = f"Papers published by {group.name}."
            feed = Link(urls.org_feed(group.key), f"{group.name}: newest papers")
            for url, view in present.list_pages(group, group.name, intro, lambda n, k=group.key: urls.org(k, n),
                                                orgs_up, size, feed=feed):
                self.add(url, "list.html", view, f"Organisation: {group.name}", intro, f"organisation {group.key}",
                         feed=feed)

    def listings(self) -> None:
        site, urls = self.site, self.urls
        up = Link(urls.listings(), "All listings")
        entries = []
        for listing in site.content.listings:
            label = listing_label(listing)
            entries.append(IndexEntry(Link(urls.listing(listing.id), label, len(listing.entries)), listing.id))
            rows = self.listing_rows(listing)
            saved = f"Saved {date_label(listing.saved_on)}" if listing.saved_on else "Save date unknown"
            view = ListingView(label, saved, listing.id, rows, up)
            self.add(urls.listing(listing.id), "listing.html", view, label,
                     f"The {plural(len(rows), 'paper')} of one saved Daily Papers listing, in its order.",
                     f"listing {listing.source_path}")
        self.add(urls.listings(), "index.html", IndexView(
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
            self.add(urls.page(page.slug), "article.html", ArticleView(heading, render_markdown(page.body)),
                     heading, page.meta.description or self.config.description, f"page {page.slug!r}",
                     source_path=str(page.source_path))
        intro = (f"Search the titles and abstracts of {plural(len(self.site.papers), 'paper')}; "
                 f"filter by tag, organisation and year.")
        search = SearchView("Search", intro, urls.pagefind(), Link(urls.days(), "day archive"), Link(urls.tags(), "tags"))
        self.add(urls.search(), "search.html", search, "Search",
                 "Full-text search over every paper in the archive.", "search page")
        self.add(urls.not_found(), "404.html", ArticleView("Page not found", Markup("")), "Page not found",
                 "This page does not exist.", "404 page", noindex=True)


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


def plan_site(site: Site, urls: Urls, assets: Assets, planner: Callable[[Site, Urls, Assets], Planner] = Planner,
              files_of: Callable[[Site, Urls, list[str]], list[PlannedFile]] = plan_files) -> Plan:
    """Every page and file; a preview passes a `planner` and `files_of` that reuse earlier work (preview/replan.py)."""
    planner = planner(site, urls, assets)
    pages = planner.plan()
    files = files_of(site, urls, [page.url for page in pages if not page.meta.noindex])
    check_collisions([*pages, *files])
    return Plan(planner.chrome, pages, files)
