"""Which papers belong to each day, ISO week, month, tag, organisation and listing line: the site graph's groups.

`Members` gathers them paper by paper and sorts each group once. A full build
fills a fresh one; `sitegen serve` keeps one across rebuilds and moves only
the papers that changed (`update_to`): a paper that is the very object of
the last build, with the same tags, sits where it sat, and a group none of
whose papers moved keeps its sorted order. Orders are total (ties end in the
paper id), so a group's order never depends on the order papers came in.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter, defaultdict
from collections.abc import Callable

from sitegen.core.models import Listing, Paper
from sitegen.core.slugs import slugify



class GroupKind(enum.Enum):
    """What gathers a group's papers."""

    DAY = "day"
    UNDATED = "undated"  # the papers no listing dates; shown as a day, sorted by title
    WEEK = "week"  # an ISO week
    MONTH = "month"
    TAG = "tag"
    ORG = "org"
def week_key(date: dt.date) -> str:
    """The ISO 8601 week a date falls in, as `2025-W07`: its year is the ISO year,
    so Dec 30, 2024 is in 2025-W01 and Jan 1, 2021 in 2020-W53."""
    year, week, _ = date.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(date: dt.date) -> str:
    return f"{date.year}-{date.month:02d}"


Order = Callable[[Paper], tuple]
Tags = dict[str, tuple[str, ...]]  # paper id -> tag slugs (or related paper ids)


class Members:
    def __init__(self) -> None:
        self.days: dict[str, dict[str, Paper]] = defaultdict(dict)  # ISO date -> papers by id
        self.undated: dict[str, Paper] = {}
        self.weeks: dict[str, dict[str, Paper]] = defaultdict(dict)  # ISO week ("2025-W07") -> papers by id
        self.months: dict[str, dict[str, Paper]] = defaultdict(dict)  # "2025-02" -> papers by id
        self.tags: dict[str, dict[str, Paper]] = defaultdict(dict)  # tag slug -> papers by id
        self.orgs: dict[str, dict[str, Paper]] = defaultdict(dict)  # organisation key -> papers by id
        self.org_names: dict[str, Counter] = defaultdict(Counter)  # organisation key -> how often each name
        self.lines: dict[str, dict[int, str]] = defaultdict(dict)  # listing id -> line -> paper id
        self.org_keys: dict[str, str] = {}  # handle -> key: a few organisations post most papers
        self.placed: dict[str, tuple[Paper, tuple[str, ...]]] = {}  # paper id -> (paper, tags) as placed
        self.sorted: dict[tuple[GroupKind, str], tuple[str, ...]] = {}  # (kind, key) -> sorted ids, while unchanged
        self.listed: dict[str, tuple[Listing, tuple[str, ...]]] = {}  # listing id -> (listing, paper id per entry)

    @classmethod
    def of(cls, papers: list[Paper], tags_of: Tags) -> Members:
        return cls().update_to(papers, tags_of)

    def update_to(self, papers: list[Paper], tags_of: Tags) -> Members:
        """Move the papers that differ from those placed last time; returns self."""
        placed = self.placed
        now = {paper.id: paper for paper in papers}
        for paper_id, (paper, tags) in list(placed.items()):
            if now.get(paper_id) is not paper or tags_of[paper_id] != tags:
                self.move(paper, tags, remove=True)
                del placed[paper_id]
        for paper in papers:
            if paper.id not in placed:
                self.move(paper, tags_of[paper.id], remove=False)
                placed[paper.id] = (paper, tags_of[paper.id])
        return self

    def move(self, paper: Paper, tags: tuple[str, ...], remove: bool) -> None:
        if paper.date:
            self.place(self.days, GroupKind.DAY, paper.date.isoformat(), paper, remove)
            self.place(self.weeks, GroupKind.WEEK, week_key(paper.date), paper, remove)
            self.place(self.months, GroupKind.MONTH, month_key(paper.date), paper, remove)
        else:
            self.sorted.pop((GroupKind.UNDATED, ""), None)
            self.undated.pop(paper.id) if remove else self.undated.__setitem__(paper.id, paper)
        for tag in tags:
            self.place(self.tags, GroupKind.TAG, tag, paper, remove)
        if org := paper.org:
            key = self.org_keys.get(org.handle) or self.org_keys.setdefault(org.handle, slugify(org.handle))
            self.place(self.orgs, GroupKind.ORG, key, paper, remove)
            names = self.org_names[key]
            names[org.name] += -1 if remove else 1
            if not names[org.name]:
                del names[org.name]
                if not names:
                    del self.org_names[key]
        for seen in paper.seen_in:
            self.listed.pop(seen.listing, None)
            lines = self.lines[seen.listing]
            lines.pop(seen.line) if remove else lines.__setitem__(seen.line, paper.id)

    def place(self, groups: dict[str, dict[str, Paper]], kind: GroupKind, key: str, paper: Paper, remove: bool) -> None:
        self.sorted.pop((kind, key), None)
        if not remove:
            groups[key][paper.id] = paper
            return
        group = groups[key]
        del group[paper.id]
        if not group:
            del groups[key]

    def sorted_ids(self, kind: GroupKind, key: str, order: Order) -> tuple[str, ...]:
        """The ids of a group's papers by `order`, sorted again only when a paper moved."""
        known = self.sorted.get((kind, key))
        if known is None:
            group = self.undated if kind is GroupKind.UNDATED else self.by_kind(kind)[key]
            known = self.sorted[(kind, key)] = tuple(paper.id for paper in sorted(group.values(), key=order))
        return known

    def by_kind(self, kind: GroupKind) -> dict[str, dict[str, Paper]]:
        return {GroupKind.DAY: self.days, GroupKind.WEEK: self.weeks, GroupKind.MONTH: self.months,
                GroupKind.TAG: self.tags, GroupKind.ORG: self.orgs}[kind]

    def listing_papers(self, listing: Listing) -> tuple[str, ...]:
        """The paper id of each entry of `listing`, in order."""
        known = self.listed.get(listing.id)
        if known is None or known[0] is not listing:
            lines = self.lines[listing.id]
            known = self.listed[listing.id] = (listing, tuple(lines[entry.line] for entry in listing.entries))
        return known[1]
