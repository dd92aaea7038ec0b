"""Papers + content -> the site graph: who belongs to which day, tag and organisation.

Everything here is derived data in frozen containers. Orderings are decided
here, once, so every page and feed agrees on them:
- a day lists its papers most upvoted first, then by title;
- tag and organisation pages list papers newest first (undated last).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sitegen import related
from sitegen.content import Content, MarkdownDoc
from sitegen.diagnostics import Diagnostics
from sitegen.forked import forked_map
from sitegen.models import Listing, Paper
from sitegen.slugs import slugify
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


def group_papers(kind: str, members: dict[str, list[Paper]], names: dict[str, str],
                 descriptions: dict[str, str], order) -> tuple[Group, ...]:
    return tuple(
        Group(kind, key, names[key], descriptions.get(key, ""), tuple(p.id for p in sorted(members[key], key=order)))
        for key in sorted(members)
    )


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


def assemble(content: Content, papers: list[Paper], report: Diagnostics, passes: TextPasses = text_passes) -> Site:
    """The site graph. `passes` gives tags and related papers (a preview reuses earlier ones, incremental.py)."""
    by_id = {paper.id: paper for paper in papers}

    notes: dict[str, MarkdownDoc] = {}
    for note in content.notes:
        if note.slug in by_id:
            notes[note.slug] = note
        else:
            report.warn(note.source_path, 0, f"no paper has the id {note.slug!r}; name the note after a paper's id (its URL slug)")

    tags_of, related_of = passes(content, papers, notes)
    by_day: dict[str, list[Paper]] = defaultdict(list)
    by_tag: dict[str, list[Paper]] = defaultdict(list)
    by_org: dict[str, list[Paper]] = defaultdict(list)
    org_names: dict[str, Counter] = defaultdict(Counter)
    undated: list[Paper] = []
    org_keys: dict[str, str] = {}  # handle -> slug: a few organisations post most papers
    for paper in papers:
        (by_day[paper.date.isoformat()] if paper.date else undated).append(paper)
        for tag in tags_of[paper.id]:
            by_tag[tag].append(paper)
        if org := paper.org:
            key = org_keys.get(org.handle) or org_keys.setdefault(org.handle, slugify(org.handle))
            by_org[key].append(paper)
            org_names[key][org.name] += 1

    tag_info: dict[str, Tag] = content.taxonomy.by_slug()

    listing_papers = {listing.id: [""] * len(listing.entries) for listing in content.listings}
    line_index = {listing.id: {entry.line: i for i, entry in enumerate(listing.entries)} for listing in content.listings}
    for paper in papers:
        for seen in paper.seen_in:
            listing_papers[seen.listing][line_index[seen.listing][seen.line]] = paper.id

    return Site(
        content=content,
        papers=by_id,
        tags_of=tags_of,
        related=related_of,
        days={day.key: day for day in group_papers("day", by_day, {k: k for k in by_day}, {}, day_order)},
        undated=Group("day", "undated", "Undated", "", tuple(p.id for p in sorted(undated, key=lambda p: (p.title.casefold(), p.id)))),
        tags=group_papers("tag", by_tag, {k: tag_info[k].name for k in by_tag},
                          {k: tag_info[k].description for k in by_tag}, newest_first),
        orgs=group_papers("org", by_org, {k: min(c, key=lambda n: (-c[n], n)) for k, c in org_names.items()},
                          {}, newest_first),
        listing_papers={k: tuple(v) for k, v in listing_papers.items()},
        notes=notes,
    )
