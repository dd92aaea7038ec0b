"""View structs of the trend pages and home-page sections (see plan/views.py for the rules they follow)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sitegen.plan.views import DaySummary, Link, PaperCard
from sitegen.trends.charts import Chart


@dataclass(frozen=True, slots=True)
class Rising:
    tag: Link
    recent: str  # "12% of papers (9)"
    before: str


@dataclass(frozen=True, slots=True)
class HomeTrends:
    week: DaySummary | None  # the newest week's link and its most upvoted papers
    month: DaySummary | None
    rising: tuple[Rising, ...]
    rising_rule: str  # the rule in words, with the windows' dates
    on_this_day: tuple[PaperCard, ...]
    on_this_day_label: str  # "Dec 3 in earlier years"
    periods: tuple[Link, ...]  # the week and month indexes, /stats/
    json_feed: Link  # /feed.json, announced in the home page's head


@dataclass(frozen=True, slots=True)
class StatsView:
    template: ClassVar[str] = "stats.html"
    heading: str
    intro: str
    per_month: Chart | None
    shares: tuple[Chart, ...]  # one per most used tag
    orgs: Chart | None
    links: tuple[Link, ...]
