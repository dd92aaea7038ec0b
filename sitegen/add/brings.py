"""What a new listing brings to the archive: the site before it, against the site after it.

Papers are matched across the two by their sightings (listing, line), not by
id: a paper's id may change when a new listing brings a namesake or a more
common spelling of its title, and that change is one of the facts reported.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, ConfigDict

from sitegen.assemble.merge import fold
from sitegen.assemble.site import Group, Site
from sitegen.core.models import Listing, Paper

Fact = str | int | None


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Change(Frozen):
    before: Fact
    after: Fact


class PaperBrought(Frozen):
    """A paper of the new listing; `changes` are facts of an already known paper that it changed."""

    id: str
    title: str
    date: str | None
    changes: dict[str, Change] = {}


class Conflict(Frozen):
    """A paper of the new listing that shares its title with other papers (other abstracts)."""

    id: str
    title: str
    others: tuple[str, ...]


class GroupGain(Frozen):
    """A day, tag or organisation that gains papers; `papers` is how many it has after."""

    key: str
    name: str
    gained: int
    papers: int


class Brings(Frozen):
    entries: int  # paper blocks in the listing
    papers_before: int
    papers_after: int
    new: tuple[PaperBrought, ...]
    known: tuple[PaperBrought, ...]
    others_changed: tuple[PaperBrought, ...]  # papers not in the listing whose facts (their id) changed
    same_title: tuple[Conflict, ...]
    days: tuple[GroupGain, ...]
    tags: tuple[GroupGain, ...]
    orgs: tuple[GroupGain, ...]


def facts(paper: Paper) -> dict[str, Fact]:
    return {
        "id": paper.id,
        "title": paper.title,
        "date": paper.date.isoformat() if paper.date else None,
        "upvotes": paper.upvotes,
        "abstract": len(paper.abstract),  # characters: the longest abstract wins, so it only grows
    }


def changes(before: Paper, after: Paper) -> dict[str, Change]:
    old, new = facts(before), facts(after)
    return {name: Change(before=old[name], after=new[name]) for name in old if old[name] != new[name]}


def brought(paper: Paper, found: dict[str, Change] | None = None) -> PaperBrought:
    return PaperBrought(id=paper.id, title=paper.title, date=paper.date.isoformat() if paper.date else None,
                        changes=found or {})


def gains(before: tuple[Group, ...], after: tuple[Group, ...], earlier_id: dict[str, str | None]) -> tuple[GroupGain, ...]:
    """Groups of `after` holding papers that their namesake in `before` did not hold."""
    held = {group.key: set(group.paper_ids) for group in before}
    found = []
    for group in after:
        old = held.get(group.key, set())
        gained = sum(1 for paper_id in group.paper_ids if earlier_id.get(paper_id) not in old)
        if gained:
            found.append(GroupGain(key=group.key, name=group.name, gained=gained, papers=len(group.paper_ids)))
    return tuple(found)


def compare(before: Site, after: Site, listing: Listing) -> Brings:
    listing_id = listing.id
    by_sighting = {(seen.listing, seen.line): paper for paper in before.papers.values() for seen in paper.seen_in}
    earlier: dict[str, Paper | None] = {}  # id after -> the same paper before, None if new
    new, known, others, mine = [], [], [], []
    for paper in after.papers.values():
        older = [seen for seen in paper.seen_in if seen.listing != listing_id]
        previous = by_sighting[(older[0].listing, older[0].line)] if older else None
        earlier[paper.id] = previous
        in_listing = len(older) < len(paper.seen_in)
        if in_listing:
            mine.append(paper)
        if previous is None:
            new.append(brought(paper))
        elif in_listing:
            known.append(brought(paper, changes(previous, paper)))
        elif found := changes(previous, paper):
            others.append(brought(paper, found))

    by_title = defaultdict(list)
    for paper in after.papers.values():
        by_title[fold(paper.title)].append(paper.id)
    conflicts = tuple(Conflict(id=p.id, title=p.title, others=tuple(i for i in by_title[fold(p.title)] if i != p.id))
                      for p in mine if len(by_title[fold(p.title)]) > 1)

    earlier_id = {paper_id: (paper.id if paper else None) for paper_id, paper in earlier.items()}
    return Brings(
        entries=len(listing.entries),
        papers_before=len(before.papers),
        papers_after=len(after.papers),
        new=tuple(new), known=tuple(known), others_changed=tuple(others), same_title=conflicts,
        days=gains((*before.days.values(), before.undated), (*after.days.values(), after.undated), earlier_id),
        tags=gains(before.tags, after.tags, earlier_id),
        orgs=gains(before.orgs, after.orgs, earlier_id),
    )
