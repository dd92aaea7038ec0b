"""Template-only view structs: exactly what a template shows, nothing more.

Each page's view names its template (`template`, a class attribute, so
not part of what a view compares or hashes by). Templates receive these and nothing else: text already formatted, URLs
already made, HTML already made safe (`Markup`). All are frozen and hashable,
so a page's context can be fingerprinted to skip re-rendering unchanged pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, ClassVar

from markupsafe import Markup

from sitegen.plan.markup import Linkified

if TYPE_CHECKING:
    from sitegen.plan.cite import CiteView
    from sitegen.plan.export import ArticleFacts
    from sitegen.trends.charts import Chart
    from sitegen.trends.views import HomeTrends


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Chrome:
    """What the base layout needs on every page."""

    site_title: str
    language: str
    home_url: str
    nav: tuple[Link, ...]
    search_url: str
    css_url: str
    js_url: str
    favicon_url: str
    feed_url: str
    data_url: str  # the JSON export
    base_url: str
    saved_url: str = ""  # /saved/, linked from the masthead once saved.js shows the link
    stylesheets: tuple[str, ...] = ()  # beside css_url: the reader's tools (static/cite.css)
    scripts: tuple[str, ...] = ()  # deferred on every page: saving papers, keyboard moves


@dataclass(frozen=True, slots=True)
class CardImage:
    """A page's social card (plan/cards.py): its PNG's absolute URL and what the picture shows."""

    url: str
    alt: str


@dataclass(frozen=True, slots=True)
class Meta:
    """The head of one page: title, description, canonical URL, social cards."""

    title: str  # as shown in <title>
    heading: str  # the page's own name, for social cards
    description: str
    canonical: str  # absolute
    og_type: str = "website"
    feed: Link | None = None  # rel="alternate" Atom feed
    json_ld: ArticleFacts | None = None  # shown as JSON through its __html__
    searchable: bool = False  # carries data-pagefind-body
    image: CardImage | None = None  # og:image and twitter:image
    updated: dt.date | None = None  # the newest save date of a listing behind the page: the sitemap's <lastmod>


@dataclass(frozen=True, slots=True)
class PaperCard:
    """A paper as shown in a list."""

    id: str
    url: str
    title: str
    date_label: str
    date_iso: str | None
    upvotes: int | None
    byline: Link | None  # an organisation links to its page; an author count has no URL
    tags: tuple[Link, ...]
    excerpt: str
    # Pages look a card's HTML up by the card itself (write/render.py), fifty times
    # on a list page: its hash is worked out once, not from every field each time.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash(card_values(self)))

    def __hash__(self) -> int:
        return self._hash


card_values = attrgetter(*(f.name for f in fields(PaperCard) if f.compare))  # what cards are equal by


@dataclass(frozen=True, slots=True)
class PaperView:
    template: ClassVar[str] = "paper.html"

    card: PaperCard
    abstract_html: Linkified  # shown as HTML through its __html__
    day: Link
    seen_in: tuple[Link, ...]
    related: tuple[PaperCard, ...]
    previous: Link | None
    next: Link | None
    note_html: Markup | None
    year: str  # for the search filter
    org: Link | None
    cite: CiteView | None = None  # links out, citation tags, BibTeX (plan/cite.py)


@dataclass(frozen=True, slots=True)
class Pagination:
    previous: Link | None
    next: Link | None
    pages: tuple[Link | None, ...]  # None marks skipped pages
    current: int


@dataclass(frozen=True, slots=True)
class ListView:
    """A day, a tag, an organisation or the undated papers: one page of cards."""

    template: ClassVar[str] = "list.html"
    heading: str
    intro: str
    cards: tuple[PaperCard, ...]
    pagination: Pagination | None
    previous: Link | None  # neighbouring day
    next: Link | None
    up: Link
    feed: Link | None
    total: int
    neighbours: str = "Neighbouring days"  # what previous and next are, for the navigation's label
    periods: tuple[Link, ...] = ()  # a day's ISO week and month
    chart: Chart | None = None  # a tag's papers per quarter, on its first page


@dataclass(frozen=True, slots=True)
class DaySummary:
    link: Link
    top: tuple[PaperCard, ...]


@dataclass(frozen=True, slots=True)
class HomeView:
    template: ClassVar[str] = "home.html"

    papers: int
    days: int
    tags: int
    listings: int
    recent: tuple[DaySummary, ...]
    top_tags: tuple[Link, ...]
    archive: Link
    undated: Link
    trends: HomeTrends | None = None  # newest week and month, rising tags, on this day


@dataclass(frozen=True, slots=True)
class CalendarMonth:
    label: str
    count: int
    weeks: tuple[tuple[Link | str | None, ...], ...]  # Link: a day with papers; str: a day without; None: padding


@dataclass(frozen=True, slots=True)
class CalendarYear:
    year: int
    count: int
    months: tuple[CalendarMonth, ...]


@dataclass(frozen=True, slots=True)
class YearEntry:
    link: Link  # to the year's page; its count is the year's papers
    days: int


@dataclass(frozen=True, slots=True)
class ArchiveView:
    """`/days/`: the years, each with its counts; a year's calendar is a page of its own."""

    template: ClassVar[str] = "archive.html"

    years: tuple[YearEntry, ...]
    undated: Link
    total_days: int
    chart: Chart | None = None  # papers per month
    periods: tuple[Link, ...] = ()  # the week and month indexes


@dataclass(frozen=True, slots=True)
class YearView:
    """`/days/YYYY/`: one year's calendar of days."""

    template: ClassVar[str] = "year.html"
    year: CalendarYear
    previous: Link | None  # the year before, if the archive has it
    next: Link | None
    up: Link


@dataclass(frozen=True, slots=True)
class IndexEntry:
    link: Link
    note: str
    chart: Chart | None = None  # a tag's papers per quarter, small


@dataclass(frozen=True, slots=True)
class IndexView:
    """A list of groups: the tag index, the organisation index, the listing index."""

    template: ClassVar[str] = "index.html"
    heading: str
    intro: str
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True, slots=True)
class ListingRow:
    anchor: str
    line: int
    card: PaperCard


@dataclass(frozen=True, slots=True)
class ListingView:
    template: ClassVar[str] = "listing.html"

    heading: str
    saved_label: str
    source_name: str
    rows: tuple[ListingRow, ...]
    up: Link


@dataclass(frozen=True, slots=True)
class ArticleView:
    """A Markdown page."""

    template: ClassVar[str] = "article.html"
    heading: str
    html: Markup


@dataclass(frozen=True, slots=True)
class SearchFacet:
    """One way to narrow search results: a Pagefind filter, and its key in the page's address."""

    key: str  # the address's parameter: ?tag=...&tag=... (several values: any of them)
    name: str  # the filter's name in the index (search/index.py)
    label: str
    findable: bool  # many values: the facet has a box to find one


@dataclass(frozen=True, slots=True)
class SearchView:
    """The search page: where Pagefind's files and the page's script are, its facets, and where
    to browse without JavaScript."""

    template: ClassVar[str] = "search.html"
    heading: str
    intro: str
    bundle_url: str  # Pagefind's folder, ends in "/"; its files keep their own names
    days: Link
    tags: Link
    orgs: Link
    facets: tuple[SearchFacet, ...]
    script_url: str
    style_url: str


@dataclass(frozen=True, slots=True)
class NotFoundView(ArticleView):
    template: ClassVar[str] = "404.html"


@dataclass(frozen=True, slots=True)
class SavedView:
    """/saved/: an empty frame that static/saved.js fills from this browser's saved papers."""

    template: ClassVar[str] = "saved.html"
    heading: str
    intro: str
    empty: str  # shown when nothing is saved
    json_pattern: str  # a paper's small JSON, with `{id}` in place of the paper id


# What a planned page shows: each view names the template that shows it.
View = HomeView | ArchiveView | ListView | PaperView | IndexView | ListingView | ArticleView | SearchView | SavedView | YearView
