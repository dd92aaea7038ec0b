"""The site graph, presented: papers and groups turned into view structs.

Formatting decisions live here (how a date or a byline reads), so templates
only lay out what they are given.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from itertools import groupby

from sitegen.plan.bibtex import Bibliography
from sitegen.plan.cite import cite_view
from sitegen.plan.markup import Linkified, excerpt, render_markdown
from sitegen.core.models import Paper
from sitegen.assemble.site import Group, Site
from sitegen.core.slugs import slugify
from sitegen.plan.urls import Urls
from sitegen.plan.views import (
    CalendarMonth,
    CalendarYear,
    Link,
    ListView,
    Pagination,
    PaperCard,
    PaperView,
)

MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def date_label(date: dt.date | None) -> str:
    return f"{MONTHS[date.month]} {date.day}, {date.year}" if date else "Undated"


def long_date(date: dt.date) -> str:
    return f"{calendar.day_name[date.weekday()]}, {MONTH_NAMES[date.month]} {date.day}, {date.year}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def byline(paper: Paper, urls: Urls) -> Link | None:
    if paper.org:
        return Link(urls.org(slugify(paper.org.handle)), paper.org.name)
    if paper.authors is not None:
        return Link("", plural(paper.authors, "author"))
    return None


class Presenter:
    """Builds view structs for one site; cards are made once and shared by every list.

    So are the links many papers show alike (their day, their organisation),
    and the date labels of each day: a site has far fewer days and
    organisations than papers.
    """

    def __init__(self, site: Site, urls: Urls, card: Callable[[Presenter, Paper], PaperCard] | None = None,
                 new_day_link: Callable[[Presenter, Group], Link] | None = None):
        """`card` and `new_day_link` stand in for the methods of those names: a preview passes
        versions that remember their results (preview/replan.py)."""
        self.site = site
        self.urls = urls
        self.make_day_link = new_day_link or Presenter.new_day_link
        card = card or Presenter._card
        tag_names = {group.key: group.name for group in site.tags}
        self.tag_links = {key: Link(urls.tag(key), name) for key, name in tag_names.items()}
        self.bylines: dict[tuple[str, str] | int | None, Link | None] = {}  # by (org handle, name), else author count
        self.dates: dict[dt.date | None, tuple[str, str | None]] = {}  # date -> (label, ISO date)
        self.day_links: dict[str, Link] = {}  # by day key
        self.paper_days: dict[dt.date | None, Link] = {}  # a paper's day link, by its date
        self.cards = {paper_id: card(self, paper) for paper_id, paper in site.papers.items()}
        self.listing_labels = {listing.id: listing_label(listing) for listing in site.content.listings}
        self.bibliography = Bibliography(site, urls)

    def _card(self, paper: Paper) -> PaperCard:
        org = paper.org
        shown = (org.handle, org.name) if org else paper.authors  # all that a byline shows
        if shown not in self.bylines:
            self.bylines[shown] = byline(paper, self.urls)
        date = paper.date
        dates = self.dates.get(date)
        if dates is None:
            dates = self.dates[date] = (date_label(date), date.isoformat() if date else None)
        return PaperCard(
            id=paper.id,
            url=self.urls.paper(paper.id),
            title=paper.title,
            date_label=dates[0],
            date_iso=dates[1],
            upvotes=paper.upvotes,
            byline=self.bylines[shown],
            tags=tuple(map(self.tag_links.__getitem__, self.site.tags_of[paper.id])),
            excerpt=excerpt(paper.abstract),
        )

    def day_link(self, group: Group) -> Link:
        link = self.day_links.get(group.key)
        if link is None:
            link = self.day_links[group.key] = self.make_day_link(self, group)
        return link

    def new_day_link(self, group: Group) -> Link:
        if group is self.site.undated:
            return Link(self.urls.undated(), "Undated papers", len(group.paper_ids))
        date = dt.date.fromisoformat(group.key)
        return Link(self.urls.day(group.key), long_date(date), len(group.paper_ids))

    def paper_day(self, paper: Paper) -> Link:
        """The link to a paper's day; looked up by date, which is cheaper than by ISO date."""
        link = self.paper_days.get(paper.date)
        if link is None:
            link = self.paper_days[paper.date] = self.day_link(self.site.day_of(paper))
        return link

    def paper_view(self, paper: Paper, previous: str | None, following: str | None) -> PaperView:
        site, urls, cards = self.site, self.urls, self.cards
        seen_in = tuple(
            Link(urls.listing_entry(seen.listing, seen.line), f"{self.listing_labels[seen.listing]}, line {seen.line}")
            for seen in paper.seen_in
        )
        note = site.notes.get(paper.id)
        card = cards[paper.id]
        before, after = previous and cards[previous], following and cards[following]
        return PaperView(
            card=card,
            abstract_html=Linkified(paper.abstract),
            day=self.paper_day(paper),
            seen_in=seen_in,
            related=tuple(map(cards.__getitem__, site.related[paper.id])),
            previous=Link(before.url, before.title) if before else None,
            next=Link(after.url, after.title) if after else None,
            note_html=render_markdown(note.body) if note else None,
            year=str(paper.date.year) if paper.date else "Undated",
            org=card.byline if paper.org else None,
            cite=cite_view(paper, site.arxiv.get(paper.id), self.bibliography.entry(paper.id),
                           urls.absolute(card.url), urls.paper_json(paper.id)),
        )

    def list_pages(self, group: Group, heading: str, intro: str, page_url, up: Link,
                   page_size: int | None, feed: Link | None = None,
                   previous: Link | None = None, following: Link | None = None, neighbours: str = "Neighbouring days",
                   periods: tuple[Link, ...] = (), chart=None) -> list[tuple[str, ListView]]:
        """One ListView per page of `group`; `page_url(n)` gives page n's URL; `chart` goes on the first."""
        ids = group.paper_ids
        size = page_size or max(1, len(ids))
        count = max(1, -(-len(ids) // size))
        pages = tuple(Link(page_url(n), str(n)) for n in range(1, count + 1))
        result = []
        for number in range(1, count + 1):
            chunk = ids[(number - 1) * size : number * size]
            pagination = None
            if count > 1:
                pagination = Pagination(
                    previous=pages[number - 2] if number > 1 else None,
                    next=pages[number] if number < count else None,
                    pages=page_window(pages, number),
                    current=number,
                )
            view = ListView(
                heading=heading,
                intro=intro,
                cards=tuple(map(self.cards.__getitem__, chunk)),
                pagination=pagination,
                previous=previous,
                next=following,
                up=up,
                feed=feed,
                total=len(ids),
                neighbours=neighbours,
                periods=periods,
                chart=chart if number == 1 else None,
            )
            result.append((pages[number - 1].url, view))
        return result

    def calendar(self) -> tuple[CalendarYear, ...]:
        """Years (newest first) -> months -> a Monday-first grid of days."""
        days = {dt.date.fromisoformat(key): group for key, group in self.site.days.items()}
        years = []
        for year, in_year in groupby(sorted(days, reverse=True), key=lambda d: d.year):
            in_year = list(in_year)
            months = []
            for month, in_month in groupby(in_year, key=lambda d: d.month):
                in_month = list(in_month)
                weeks = []
                for week in calendar.Calendar().monthdatescalendar(year, month):
                    weeks.append(tuple(
                        None if d.month != month
                        else Link(self.urls.day(d.isoformat()), str(d.day), len(days[d].paper_ids)) if d in days
                        else str(d.day)
                        for d in week
                    ))
                months.append(CalendarMonth(
                    label=f"{MONTH_NAMES[month]} {year}",
                    count=sum(len(days[d].paper_ids) for d in in_month),
                    weeks=tuple(weeks),
                ))
            years.append(CalendarYear(year, sum(m.count for m in months), tuple(months)))
        return tuple(years)


def page_window(pages: tuple[Link, ...], current: int, reach: int = 2) -> tuple[Link | None, ...]:
    """The first, last and nearby page links; None stands for a gap of skipped pages."""
    # Only the pages near `current` are looked at: a tag of 600 pages must not cost 600 steps per page.
    near = range(max(1, current - reach), min(len(pages), current + reach) + 1)
    shown = sorted({1, len(pages), *near}) if pages else []
    window: list[Link | None] = []
    for n in shown:
        if window and n - int(window[-1].label) > 1:
            window.append(None)
        window.append(pages[n - 1])
    return tuple(window)


def listing_label(listing) -> str:
    if listing.saved_on:
        return f"Listing saved {date_label(listing.saved_on)}"
    return f"Listing {listing.id} (save date unknown)"
