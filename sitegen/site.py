"""Papers + content -> the site graph: who belongs to which day, tag and organisation.

Everything here is derived data in frozen containers. Orderings are decided
here, once, so every page and feed agrees on them:
- a day lists its papers most upvoted first, then by title;
- tag and organisation pages list papers newest first (undated last).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sitegen import related
from sitegen.content import Content, MarkdownDoc
from sitegen.diagnostics import Diagnostics
from sitegen.forked import forked_map
from sitegen.members import Members, Order, Tags
from sitegen.models import Listing, Paper
from sitegen.taxonomy import Tag, TagMatcher, words_of

PARALLEL_PAPERS = 2000  # below this, forking costs more than it saves


@dataclass(frozen=True)
class Group:
    """Papers gathered under one key: a day, a tag or an organisation."""

    kind: str  # "day", "tag" or "org"
    key: str
    name: str
    description: str
    paper_ids: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    content: Content
    papers: dict[str, Paper]  # by id, in id order
    tags_of: dict[str, tuple[str, ...]]  # paper id -> tag slugs
    related: dict[str, tuple[str, ...]]  # paper id -> related paper ids, best first
    days: dict[str, Group]  # ISO date -> day, oldest first
    undated: Group
    tags: tuple[Group, ...]  # by slug
    orgs: tuple[Group, ...]  # by key
    listing_papers: dict[str, tuple[str, ...]]  # listing id -> paper id of each entry, in order
    notes: dict[str, MarkdownDoc]  # paper id -> note

    @property
    def config(self):
        return self.content.config

    def day_of(self, paper: Paper) -> Group:
        return self.days[paper.date.isoformat()] if paper.date else self.undated


def day_order(paper: Paper) -> tuple:
    return (-(paper.upvotes or 0), paper.title.casefold(), paper.id)


def newest_first(paper: Paper) -> tuple:
    return (-(paper.date.toordinal() if paper.date else 0), -(paper.upvotes or 0), paper.id)


Match = Callable[[str, str], tuple[str, ...]]  # title, abstract -> tag slugs
TagsAndRelated = tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]


def assign_tags(papers: list[Paper], content: Content, notes: dict[str, MarkdownDoc],
                match: Match | None = None) -> dict[str, tuple[str, ...]]:
    match = match or TagMatcher(content.taxonomy).match_paper
    tags_of = {}
    for paper in papers:
        found = set(match(paper.title, paper.abstract))
        if paper.id in notes:
            found.update(notes[paper.id].meta.tags)
        tags_of[paper.id] = tuple(sorted(found))
    return tags_of


def undated_order(paper: Paper) -> tuple:
    return (paper.title.casefold(), paper.id)


def group_papers(kind: str, members: Members, names: dict[str, str], descriptions: dict[str, str],
                 order: Order) -> tuple[Group, ...]:
    return tuple(Group(kind, key, names[key], descriptions.get(key, ""), members.sorted_ids(kind, key, order))
                 for key in sorted(names))


def term_counts_of(paper: Paper) -> dict[str, int]:
    return related.term_counts(words_of(paper.title), words_of(paper.abstract))


def related_ids(papers: list[Paper], similar: list[tuple[int, ...]]) -> dict[str, tuple[str, ...]]:
    return {paper.id: tuple(papers[i].id for i in found) for paper, found in zip(papers, similar)}


def text_passes(content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc]) -> TagsAndRelated:
    """Each paper's tags and related papers (by id): the two passes over every paper's text."""
    def related_papers() -> list[tuple[int, ...]]:
        return related.most_similar([term_counts_of(p) for p in papers], content.config.related_count)

    # The two passes are independent: on a big site, one core each.
    tags_of, similar = forked_map(lambda job: job(), [
        lambda: assign_tags(papers, content, notes), related_papers,
    ], workers=2 if len(papers) >= PARALLEL_PAPERS else 1)
    return tags_of, related_ids(papers, similar)


TextPasses = Callable[[Content, list[Paper], dict[str, MarkdownDoc]], TagsAndRelated]


def assemble(content: Content, papers: list[Paper], report: Diagnostics, passes: TextPasses = text_passes,
             grouping: Callable[[list[Paper], Tags], Members] = Members.of) -> Site:
    """The site graph. `passes` gives tags and related papers and `grouping` the groups' members
    (a preview's reuse earlier ones, incremental.py)."""
    by_id = {paper.id: paper for paper in papers}

    notes: dict[str, MarkdownDoc] = {}
    for note in content.notes:
        if note.slug in by_id:
            notes[note.slug] = note
        else:
            report.warn(note.source_path, 0, f"no paper has the id {note.slug!r}; name the note after a paper's id (its URL slug)")

    tags_of, related_of = passes(content, papers, notes)
    members = grouping(papers, tags_of)
    tag_info: dict[str, Tag] = content.taxonomy.by_slug()
    org_names = {key: min(counts, key=lambda n: (-counts[n], n)) for key, counts in members.org_names.items()}
    return Site(
        content=content,
        papers=by_id,
        tags_of=tags_of,
        related=related_of,
        days={day.key: day for day in group_papers("day", members, {k: k for k in members.days}, {}, day_order)},
        undated=Group("day", "undated", "Undated", "", members.sorted_ids("undated", "", undated_order)),
        tags=group_papers("tag", members, {k: tag_info[k].name for k in members.tags},
                          {k: tag_info[k].description for k in members.tags}, newest_first),
        orgs=group_papers("org", members, org_names, {}, newest_first),
        listing_papers={listing.id: members.listing_papers(listing) for listing in content.listings},
        notes=notes,
    )
