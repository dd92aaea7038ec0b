"""The site's charts: which numbers each one draws, and the sentence that gives their gist."""

from __future__ import annotations

from sitegen.assemble.site import Group, Site
from sitegen.plan.present import MONTHS, plural
from sitegen.plan.urls import Urls
from sitegen.plan.views import Link
from sitegen.trends import charts
from sitegen.trends.charts import Chart
from sitegen.trends.numbers import Shape

TOP_ORGS = 10


def month_label(month: tuple[int, int]) -> str:
    return f"{MONTHS[month[1]]} {month[0]}"


def quarter_label(quarter: tuple[int, int]) -> str:
    return f"Q{quarter[1]} {quarter[0]}"


def ticks(periods: list[tuple[int, int]], label) -> dict[int, str]:
    """A label at the first period of each year (the year), and at the first column if far from one."""
    found = {i: str(p[0]) for i, p in enumerate(periods) if p[1] == 1}
    step = (charts.WIDTH - charts.PAD_LEFT - charts.PAD_RIGHT) / max(1, len(periods))
    if periods and 0 not in found and min(found, default=len(periods)) * step >= 75:  # room for "Jun 2024"
        found[0] = label(periods[0])
    if len(found) > 8:  # a long archive: every other year
        found = {i: text for n, (i, text) in enumerate(sorted(found.items())) if n % 2 == 0}
    return found


def gist(what: str, counts: list[tuple[tuple[int, int], float]], label, unit: str = "", noun: str = "") -> str:
    """What a reader should take from a chart of `counts`: its span, its peak and its latest value."""
    if not counts:
        return f"{what}: no dated papers yet."
    peak = max(counts, key=lambda c: (c[1], c[0]))
    fmt = (lambda v: f"{charts.number(v)}{unit}") if unit else (lambda v: plural(int(v), noun))
    return (f"{what}, {label(counts[0][0])} to {label(counts[-1][0])}: the most was {fmt(peak[1])} "
            f"in {label(peak[0])}; the latest, {label(counts[-1][0])}, had {fmt(counts[-1][1])}.")


class Figures:
    def __init__(self, site: Site, urls: Urls, shape: Shape):
        self.site, self.urls, self.shape = site, urls, shape

    def per_month(self, chart_id: str) -> Chart | None:
        counts = self.shape.per_month()
        if not counts:
            return None
        total = sum(n for _, n in counts)
        title = "Papers per month"
        description = gist(f"{plural(total, 'dated paper')} in {plural(len(counts), 'month')}", counts,
                           month_label, noun="paper")
        months = [m for m, _ in counts]
        svg = charts.columns(chart_id, title, description, [n for _, n in counts], ticks(months, month_label))
        rows = tuple((Link(self.urls.month(f"{y}-{m:02d}") if n else "", month_label((y, m))), str(n))
                     for (y, m), n in counts)
        return Chart(chart_id, title, description, svg, ("Month", "Papers"), rows)

    def tag_quarters(self, group: Group, chart_id: str, small: bool = False) -> Chart | None:
        counts = self.shape.group_per_quarter(group)
        if not counts:
            return None
        title = f"Papers tagged {group.name} per quarter"
        description = gist(f"{plural(sum(n for _, n in counts), 'dated paper')} tagged {group.name}",
                           counts, quarter_label, noun="paper")
        values = [n for _, n in counts]
        quarters = [q for q, _ in counts]
        svg = (charts.spark(chart_id, title, description, values) if small
               else charts.columns(chart_id, title, description, values, ticks(quarters, quarter_label)))
        # A small chart's table, one of dozens on the tags index, lists only the quarters with papers:
        # every quarter of every tag made that page 240 KB and 8,900 elements on the shipped listings.
        rows = tuple((Link("", quarter_label(q)), str(n)) for q, n in counts if n or not small)
        return Chart(chart_id, f"{title} (quarters with papers)" if small else title, description, svg,
                     ("Quarter", "Papers"), rows)

    def tag_shares(self, group: Group, chart_id: str) -> Chart | None:
        counts = self.shape.group_per_quarter(group)
        totals = self.shape.per_quarter()
        if not counts:
            return None
        shares = [(q, round(100 * n / totals[q], 1) if totals[q] else 0.0) for q, n in counts]
        title = f"Share of papers tagged {group.name}, per quarter"
        description = gist(f"The share of dated papers tagged {group.name}", shares, quarter_label, unit="%")
        svg = charts.columns(chart_id, title, description, [s for _, s in shares],
                             ticks([q for q, _ in shares], quarter_label), unit="%")
        rows = tuple((Link("", quarter_label(q)), f"{charts.number(s)}% ({n} of {totals[q]})")
                     for (q, s), (_, n) in zip(shares, counts))
        return Chart(chart_id, title, description, svg, ("Quarter", "Share of papers"), rows)

    def top_orgs(self, chart_id: str) -> Chart | None:
        orgs = sorted(self.site.orgs, key=lambda g: (-len(g.paper_ids), g.key))[:TOP_ORGS]
        if not orgs:
            return None
        title = f"The {plural(len(orgs), 'organisation')} with most papers"
        description = (f"{orgs[0].name} has most papers, {len(orgs[0].paper_ids)}; "
                       f"number {len(orgs)}, {orgs[-1].name}, has {len(orgs[-1].paper_ids)}.")
        svg = charts.rows(chart_id, title, description, [(g.name, len(g.paper_ids)) for g in orgs])
        rows = tuple((Link(self.urls.org(g.key), g.name), str(len(g.paper_ids))) for g in orgs)
        return Chart(chart_id, title, description, svg, ("Organisation", "Papers"), rows)
