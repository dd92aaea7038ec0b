"""Papers + content -> the site graph: who belongs to which day, tag and organisation.

Everything here is derived data in frozen containers. Orderings are decided
here, once, so every page and feed agrees on them:
- a day lists its papers most upvoted first, then by title;
- tag and organisation pages list papers newest first (undated last).
"""

from __future__ import annotations

from collections import Counter, defaultdict
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


def assign_tags(papers: list[Paper], content: Content, notes: dict[str, MarkdownDoc]) -> dict[str, tuple[str, ...]]:
    matcher = TagMatcher(content.taxonomy)
    tags_of = {}
    for paper in papers:
        found = set(matcher.match_paper(paper.title, paper.abstract))
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


def assemble(content: Content, papers: list[Paper], report: Diagnostics) -> Site:
    by_id = {paper.id: paper for paper in papers}

    notes: dict[str, MarkdownDoc] = {}
    for note in content.notes:
        if note.slug in by_id:
            notes[note.slug] = note
        else:
            report.warn(note.source_path, 0, f"no paper has the id {note.slug!r}; name the note after a paper's id (its URL slug)")

    def related_papers() -> list[tuple[int, ...]]:
        words = [(words_of(p.title), words_of(p.abstract)) for p in papers]
        return related.most_similar([related.term_counts(t, a) for t, a in words], content.config.related_count)

    # The two text passes over every paper are independent: on a big site, one core each.
    tags_of, similar = forked_map(lambda job: job(), [lambda: assign_tags(papers, content, notes), related_papers],
                                  workers=2 if len(papers) >= PARALLEL_PAPERS else 1)
    related_ids = {paper.id: tuple(papers[i].id for i in found) for paper, found in zip(papers, similar)}

    by_day: dict[str, list[Paper]] = defaultdict(list)
    by_tag: dict[str, list[Paper]] = defaultdict(list)
    by_org: dict[str, list[Paper]] = defaultdict(list)
    org_names: dict[str, Counter] = defaultdict(Counter)
    undated: list[Paper] = []
    for paper in papers:
        (by_day[paper.date.isoformat()] if paper.date else undated).append(paper)
        for tag in tags_of[paper.id]:
            by_tag[tag].append(paper)
        if paper.org:
            key = slugify(paper.org.handle)
            by_org[key].append(paper)
            org_names[key][paper.org.name] += 1

    tag_info: dict[str, Tag] = content.taxonomy.by_slug()

    listing_papers = {listing.id: [""] * len(listing.entries) for listing in content.listings}
    line_index = {(listing.id, entry.line): i for listing in content.listings for i, entry in enumerate(listing.entries)}
    for paper in papers:
        for seen in paper.seen_in:
            listing_papers[seen.listing][line_index[(seen.listing, seen.line)]] = paper.id

    return Site(
        content=content,
        papers=by_id,
        tags_of=tags_of,
        related=related_ids,
        days={day.key: day for day in group_papers("day", by_day, {k: k for k in by_day}, {}, day_order)},
        undated=Group("day", "undated", "Undated", "", tuple(p.id for p in sorted(undated, key=lambda p: (p.title.casefold(), p.id)))),
        tags=group_papers("tag", by_tag, {k: tag_info[k].name for k in by_tag},
                          {k: tag_info[k].description for k in by_tag}, newest_first),
        orgs=group_papers("org", by_org, {k: min(c, key=lambda n: (-c[n], n)) for k, c in org_names.items()},
                          {}, newest_first),
        listing_papers={k: tuple(v) for k, v in listing_papers.items()},
        notes=notes,
    )
