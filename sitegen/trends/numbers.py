"""The archive's shape in numbers: papers per month and quarter, tags' shares, rising tags.

Everything is relative to the newest dated paper, never to the build clock,
so two builds of the same content agree. Undated papers are in no count here:
they belong to no month, quarter or window.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sitegen.assemble.site import Group, Site

WINDOW_DAYS = 90  # the "recent" window of rising tags, and the window before it
RISING_FLOOR = 5  # papers a tag needs in the recent window before it can be rising: one paper is not a trend
RISING_SHOWN = 8


def month_of(date: dt.date) -> tuple[int, int]:
    return date.year, date.month


def quarter_of(date: dt.date) -> tuple[int, int]:
    return date.year, (date.month - 1) // 3 + 1


def period_range(first: tuple[int, int], last: tuple[int, int], per_year: int) -> list[tuple[int, int]]:
    """Every (year, month) or (year, quarter) from `first` to `last`: periods without papers count as 0,
    not as missing."""
    periods, (year, number) = [], first
    while (year, number) <= last:
        periods.append((year, number))
        year, number = (year + 1, 1) if number == per_year else (year, number + 1)
    return periods


@dataclass(frozen=True)
class RisingTag:
    key: str
    name: str
    recent: int  # papers in the last WINDOW_DAYS days of the archive
    before: int  # papers in the WINDOW_DAYS days before those
    recent_total: int  # dated papers of the archive in the same window
    before_total: int

    @property
    def recent_share(self) -> float:
        return self.recent / self.recent_total

    @property
    def before_share(self) -> float:
        return self.before / self.before_total

    @property
    def rise(self) -> float:
        """Percentage points gained: the rule's ranking."""
        return 100 * (self.recent_share - self.before_share)


class Shape:
    """Counts of one site's dated papers, worked out once and shared by every chart and home-page list."""

    def __init__(self, site: Site):
        self.site = site
        dates = [dt.date.fromisoformat(key) for key in site.days]  # oldest first
        self.first, self.newest = (dates[0], dates[-1]) if dates else (None, None)
        self.per_day = {date: len(group.paper_ids) for date, group in zip(dates, site.days.values())}
        # Each dated paper's quarter, by id, from its day: a day's papers share one.
        self.paper_quarters = {paper_id: quarter_of(date) for date, group in zip(dates, site.days.values())
                               for paper_id in group.paper_ids}
        self.counted: dict[tuple[str, str], list[tuple[tuple[int, int], int]]] = {}

    def per_month(self) -> list[tuple[tuple[int, int], int]]:
        if self.newest is None:
            return []
        counts = Counter()
        for date, count in self.per_day.items():
            counts[month_of(date)] += count
        return [(month, counts[month]) for month in period_range(month_of(self.first), month_of(self.newest), 12)]

    def quarters(self) -> list[tuple[int, int]]:
        return period_range(quarter_of(self.first), quarter_of(self.newest), 4) if self.newest else []

    def per_quarter(self) -> Counter:
        counts = Counter()
        for date, count in self.per_day.items():
            counts[quarter_of(date)] += count
        return counts

    def group_per_quarter(self, group: Group) -> list[tuple[tuple[int, int], int]]:
        """A tag's (or organisation's) dated papers per quarter, over the whole archive's quarters.
        Counted once per group: a tag's page, its line in the tag index and /stats/ all draw it."""
        found = self.counted.get((group.kind, group.key))
        if found is None:
            quarter = self.paper_quarters
            counts = Counter(map(quarter.get, group.paper_ids))
            found = self.counted[(group.kind, group.key)] = [(q, counts[q]) for q in self.quarters()]
        return found

    def windows(self) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]] | None:
        """(first, last) day of the recent window and of the one before it, both inclusive."""
        if self.newest is None:
            return None
        recent_start = self.newest - dt.timedelta(days=WINDOW_DAYS - 1)
        before_end = recent_start - dt.timedelta(days=1)
        return (recent_start, self.newest), (before_end - dt.timedelta(days=WINDOW_DAYS - 1), before_end)

    def rising_tags(self, floor: int = RISING_FLOOR, shown: int = RISING_SHOWN) -> list[RisingTag]:
        """Tags whose share of the last 90 days' papers is higher than their share of the 90 days
        before, with at least `floor` papers in the last 90 days; most percentage points gained first.
        None when the archive has no papers in the earlier window to compare with."""
        windows = self.windows()
        if windows is None:
            return []
        (recent_start, newest), (before_start, before_end) = windows
        totals = [sum(n for d, n in self.per_day.items() if start <= d <= end)
                  for start, end in ((recent_start, newest), (before_start, before_end))]
        if not all(totals):
            return []
        papers, rising = self.site.papers, []
        for tag in self.site.tags:
            dates = [papers[i].date for i in tag.paper_ids]
            recent = sum(1 for d in dates if d and recent_start <= d <= newest)
            before = sum(1 for d in dates if d and before_start <= d <= before_end)
            found = RisingTag(tag.key, tag.name, recent, before, totals[0], totals[1])
            if recent >= floor and found.rise > 0:
                rising.append(found)
        rising.sort(key=lambda t: (-t.rise, t.key))
        return rising[:shown]

    def on_this_day(self) -> list[str]:
        """Ids of papers dated the newest day's month and day in earlier years, newest year first."""
        if self.newest is None:
            return []
        found = []
        for key, group in reversed(self.site.days.items()):
            date = dt.date.fromisoformat(key)
            if (date.month, date.day) == (self.newest.month, self.newest.day) and date.year < self.newest.year:
                found.extend(group.paper_ids)
        return found
