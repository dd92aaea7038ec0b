"""Week and month pages, their indexes, /stats/, and the trend parts of the home, day and tag pages.

The planner (plan/planner.py) asks this for what it adds to its own pages and
calls `plan()` for the pages of its own. Weeks and months are groups like
days and tags (assemble/site.py), so their pages are list pages like theirs.
"""

from __future__ import annotations

import datetime as dt

from sitegen.assemble.members import month_key, week_key
from sitegen.assemble.site import Group
from sitegen.plan.present import MONTH_NAMES, MONTHS, date_label, plural
from sitegen.plan.views import DaySummary, IndexEntry, IndexView, Link
from sitegen.trends.charts import Chart
from sitegen.trends.figures import Figures
from sitegen.trends.numbers import RISING_FLOOR, WINDOW_DAYS, Shape
from sitegen.trends.views import HomeTrends, Rising, StatsView

HOME_TOP = 5  # papers of the newest week and month on the home page
SHARE_TAGS = 6  # tags whose shares over time /stats/ draws
TIES = "most upvoted first; ties newest first, then by title"


def week_span(key: str) -> tuple[dt.date, dt.date]:
    year, week = key.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + dt.timedelta(days=6)


def span_label(first: dt.date, last: dt.date) -> str:
    if first.year != last.year:
        return f"{date_label(first)} – {date_label(last)}"
    return f"{MONTHS[first.month]} {first.day} – {MONTHS[last.month]} {last.day}, {last.year}"


def week_label(key: str) -> str:
    return f"Week {key}"


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTH_NAMES[int(month)]} {year}"


def share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}% ({plural(count, 'paper')})" if total else "none"


class TrendPages:
    def __init__(self, planner):
        self.planner = planner
        self.site, self.urls, self.present = planner.site, planner.urls, planner.present
        self.shape = Shape(self.site)
        self.figures = Figures(self.site, self.urls, self.shape)
        self.tag_charts: dict[str, Chart | None] = {}

    # Parts of the planner's own pages.

    def day_periods(self, day: Group) -> tuple[Link, ...]:
        date = dt.date.fromisoformat(day.key)
        week, month = week_key(date), month_key(date)
        return (Link(self.urls.week(week), f"{week_label(week)} ({span_label(*week_span(week))})"),
                Link(self.urls.month(month), month_label(month)))

    def indexes(self) -> tuple[Link, ...]:
        urls = self.urls
        return (Link(urls.weeks(), "Papers by week"), Link(urls.months(), "Papers by month"),
                Link(urls.stats(), "Statistics"))

    def days_chart(self) -> Chart | None:
        return self.figures.per_month("chart-months")

    def tag_chart(self, group: Group) -> Chart | None:
        if group.key not in self.tag_charts:
            self.tag_charts[group.key] = self.figures.tag_quarters(group, f"chart-tag-{group.key}")
        return self.tag_charts[group.key]

    def tag_spark(self, group: Group) -> Chart | None:
        return self.figures.tag_quarters(group, f"chart-tag-{group.key}", small=True)

    def home(self) -> HomeTrends:
        site, cards = self.site, self.present.cards
        week = month = None
        if site.weeks:
            key, group = next(reversed(site.weeks.items()))
            week = DaySummary(Link(self.urls.week(key), f"{week_label(key)}, {span_label(*week_span(key))}",
                                  len(group.paper_ids)), tuple(cards[i] for i in group.paper_ids[:HOME_TOP]))
        if site.months:
            key, group = next(reversed(site.months.items()))
            month = DaySummary(Link(self.urls.month(key), month_label(key), len(group.paper_ids)),
                              tuple(cards[i] for i in group.paper_ids[:HOME_TOP]))
        rising = tuple(Rising(Link(self.urls.tag(t.key), t.name), share(t.recent, t.recent_total),
                              share(t.before, t.before_total)) for t in self.shape.rising_tags())
        windows = self.shape.windows()
        rule = (f"Tags whose share of the papers of the archive's last {WINDOW_DAYS} days "
                f"({span_label(*windows[0])}) is higher than their share of the {WINDOW_DAYS} days before "
                f"({span_label(*windows[1])}), with at least {RISING_FLOOR} papers in the last {WINDOW_DAYS} days; "
                f"most percentage points gained first.") if windows else ""
        newest = self.shape.newest
        on_this_day = sorted(self.shape.on_this_day(), key=lambda i: (-(site.papers[i].upvotes or 0), i))[:HOME_TOP]
        return HomeTrends(week, month, rising, rule, tuple(cards[i] for i in on_this_day),
                          f"{MONTH_NAMES[newest.month]} {newest.day} in earlier years" if newest else "",
                          self.indexes(), Link(self.urls.json_feed(), f"{self.planner.config.title}: newest papers"))

    # Pages of their own.

    def plan(self) -> None:
        urls, size = self.urls, self.planner.config.page_size
        self.periods(self.site.weeks, "week", urls.weeks(), urls.week, week_label, "Neighbouring weeks",
                     lambda key: f"dated {span_label(*week_span(key))} (ISO week {int(key[-2:])} of {key[:4]})", size)
        self.periods(self.site.months, "month", urls.months(), urls.month, month_label, "Neighbouring months",
                     lambda key: f"dated {month_label(key)}", size)
        self.stats()

    def periods(self, groups: dict[str, Group], noun: str, index_url: str, url_of, label_of, neighbours: str,
                dated, size: int) -> None:
        planner, present = self.planner, self.present
        title = f"Papers by {noun}"
        up = Link(index_url, title)
        keys = list(groups)
        links = {key: Link(url_of(key), label_of(key), len(groups[key].paper_ids)) for key in keys}
        for index, key in enumerate(keys):
            group = groups[key]
            heading = label_of(key)
            intro = f"{plural(len(group.paper_ids), 'paper')} {dated(key)}, {TIES}."
            image = planner.group_card(url_of(key), noun.capitalize(), heading, group)
            updated = planner.fresh.of(group.paper_ids)
            for url, view in present.list_pages(group, heading, intro, lambda n, k=key: url_of(k, n), up, size,
                                                previous=links[keys[index - 1]] if index > 0 else None,
                                                following=links[keys[index + 1]] if index + 1 < len(keys) else None,
                                                neighbours=neighbours):
                planner.add(url, view, heading, f"The papers {dated(key)}, {TIES}.", f"{noun} {key}",
                            image=image, updated=updated)
        feed = Link(getattr(self.urls, f"{noun}s_feed")(), f"{title}: top 10 of each {noun} (Atom)")
        entries = tuple(IndexEntry(links[key], span_label(*week_span(key)) if noun == "week" else "")
                        for key in reversed(keys))
        intro = (f"Each {noun} of the archive, newest first, with its papers ranked by upvotes. "
                 f"Papers without a date belong to no {noun}; they are on the undated page.")
        planner.add(index_url, IndexView(title, intro, entries), title,
                    f"Every {noun} of the archive, with paper counts.", f"{noun} index", feed=feed)

    def stats(self) -> None:
        site, figures = self.site, self.figures
        top = sorted(site.tags, key=lambda g: (-len(g.paper_ids), g.key))[:SHARE_TAGS]
        shares = tuple(c for c in (figures.tag_shares(g, f"chart-share-{g.key}") for g in top) if c)
        dated = len(site.papers) - len(site.undated.paper_ids)
        intro = (f"The archive's shape: {plural(dated, 'dated paper')} and "
                 f"{plural(len(site.undated.paper_ids), 'undated paper')}, which no chart counts.")
        view = StatsView("Statistics", intro, figures.per_month("chart-months"), shares,
                         figures.top_orgs("chart-orgs"), self.indexes()[:2])
        self.planner.add(self.urls.stats(), view, "Statistics",
                         "Papers per month, tags' shares over time and the organisations with most papers.",
                         "statistics page")
