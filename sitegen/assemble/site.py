"""Papers + content -> the site graph: who belongs to which day, tag and organisation.

Everything here is derived data in frozen containers. Orderings are decided
here, once, so every page and feed agrees on them:
- a day lists its papers most upvoted first, then by title;
- tag and organisation pages list papers newest first (undated last);
- an ISO week or a month ranks its papers most upvoted first, ties newest
  first, then by title (undated papers belong to no period).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sitegen.assemble import related
from sitegen.read.arxiv import ArxivRef, resolve as resolve_arxiv
from sitegen.read.content import Content, MarkdownDoc
from sitegen.core.diagnostics import Diagnostics
from sitegen.speed.forked import Dealer, forked_map
from sitegen.assemble.members import GroupKind, Members, Order, Tags
from sitegen.core.models import Listing, Paper
from sitegen.read.taxonomy import Tag, TagMatcher, tokens_of

PARALLEL_PAPERS = 2000  # below this, forking costs more than it saves
TEXT_CHUNK = 500  # papers tagged and counted at a time: about 0.2 s, so both processes end within it


@dataclass(frozen=True)
class Group:
    """Papers gathered under one key: a day, a tag or an organisation."""

    kind: GroupKind  # the undated papers' group is a day too (its papers are sorted by GroupKind.UNDATED)
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
    arxiv: dict[str, ArxivRef] = field(default_factory=dict)  # paper id -> its arXiv identifier, when known
    weeks: dict[str, Group] = field(default_factory=dict)  # ISO week ("2025-W07") -> week, oldest first
    months: dict[str, Group] = field(default_factory=dict)  # "2025-02" -> month, oldest first

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


def with_note_tags(found: tuple[str, ...], note: MarkdownDoc | None) -> tuple[str, ...]:
    return tuple(sorted({*found, *note.meta.tags})) if note is not None else found


def assign_tags(papers: list[Paper], content: Content, notes: dict[str, MarkdownDoc],
                match: Match | None = None) -> dict[str, tuple[str, ...]]:
    match = match or TagMatcher(content.taxonomy).match_paper
    return {paper.id: with_note_tags(match(paper.title, paper.abstract), notes.get(paper.id)) for paper in papers}


def period_order(paper: Paper) -> tuple:
    return (-(paper.upvotes or 0), -paper.date.toordinal(), paper.title.casefold(), paper.id)


def undated_order(paper: Paper) -> tuple:
    return (paper.title.casefold(), paper.id)


def group_papers(kind: GroupKind, members: Members, names: dict[str, str], descriptions: dict[str, str],
                 order: Order) -> tuple[Group, ...]:
    return tuple(Group(kind, key, names[key], descriptions.get(key, ""), members.sorted_ids(kind, key, order))
                 for key in sorted(names))


def term_counts_of(paper: Paper) -> dict[str, int]:
    return related.term_counts(tokens_of(paper.title).words, tokens_of(paper.abstract).words)


def related_ids(papers: list[Paper], similar: list[tuple[int, ...]]) -> dict[str, tuple[str, ...]]:
    return {paper.id: tuple(papers[i].id for i in found) for paper, found in zip(papers, similar)}


def tags_and_terms(papers: list[Paper], matcher: TagMatcher, notes: dict[str, MarkdownDoc]
                   ) -> tuple[dict[str, tuple[str, ...]], related.TermTable]:
    """Each paper's tags, and its term counts for related papers: each text is
    normalised and split into words once, for both."""
    tags_of, counts = {}, []
    for paper in papers:
        tokens = tokens_of(paper.title), tokens_of(paper.abstract)
        tags_of[paper.id] = with_note_tags(matcher.match_paper(paper.title, paper.abstract, tokens), notes.get(paper.id))
        counts.append(related.term_counts(tokens[0].words, tokens[1].words))
    return tags_of, related.term_table(counts)


def tags_and_tables(content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc], archive: int | None = None
                    ) -> tuple[dict[str, tuple[str, ...]], list[related.TermTable]]:
    """Each paper's tags, and its term counts as tables of consecutive papers: one pass over every paper's text.
    `archive`: how many papers related papers will then be found among (default: these)."""
    archive = len(papers) if archive is None else archive
    matcher = TagMatcher(content.taxonomy)
    if len(papers) < PARALLEL_PAPERS:
        tags_of, table = tags_and_terms(papers, matcher, notes)
        return tags_of, [table]
    # On a big site two processes, one a core, take runs of consecutive papers as
    # each is free (so the term tables join in paper order). This process then
    # finds related papers, with numpy and scipy or numba: it loads them first,
    # while the other works, and so takes fewer runs. How many fewer is not guessed:
    # loading takes a second, or five where numba compiles on a new machine.
    dealer = Dealer(len(papers), TEXT_CHUNK)

    def share_passes(index: int) -> list[tuple[int, dict[str, tuple[str, ...]], related.TermTable]]:
        if index == 0:
            related.load_libraries(archive)
        return [(run.start, *tags_and_terms(papers[run], matcher, notes)) for run in dealer.chunks()]

    runs = sorted((run for share in forked_map(share_passes, range(2), workers=2) for run in share),
                  key=lambda run: run[0])
    tags_of = {paper_id: tags for _, run_tags, _ in runs for paper_id, tags in run_tags.items()}
    return tags_of, [table for _, _, table in runs]


def text_passes(content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc]) -> TagsAndRelated:
    """Each paper's tags and related papers (by id): the passes over every paper's text."""
    tags_of, tables = tags_and_tables(content, papers, notes)
    similar = related.most_similar_in(tables, content.config.related_count)
    return tags_of, related_ids(papers, similar)


TextPasses = Callable[[Content, list[Paper], dict[str, MarkdownDoc]], TagsAndRelated]


def assemble(content: Content, papers: list[Paper], report: Diagnostics, passes: TextPasses = text_passes,
             grouping: Callable[[list[Paper], Tags], Members] = Members.of) -> Site:
    """The site graph. `passes` gives tags and related papers and `grouping` the groups' members
    (a preview's reuse earlier ones, preview/incremental.py)."""
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
        days={day.key: day for day in group_papers(GroupKind.DAY, members, {k: k for k in members.days}, {}, day_order)},
        undated=Group(GroupKind.DAY, "undated", "Undated", "",
                      members.sorted_ids(GroupKind.UNDATED, "", undated_order)),
        tags=group_papers(GroupKind.TAG, members, {k: tag_info[k].name for k in members.tags},
                          {k: tag_info[k].description for k in members.tags}, newest_first),
        orgs=group_papers(GroupKind.ORG, members, org_names, {}, newest_first),
        listing_papers={listing.id: members.listing_papers(listing) for listing in content.listings},
        notes=notes,
        arxiv=resolve_arxiv(content.arxiv, by_id, report),
        weeks=periods(GroupKind.WEEK, members, members.weeks),
        months=periods(GroupKind.MONTH, members, members.months),
    )


def periods(kind: GroupKind, members: Members, keys) -> dict[str, Group]:
    """Weeks or months by key, oldest first (their keys sort by time: `2025-W07`, `2025-02`)."""
    return {group.key: group for group in group_papers(kind, members, {k: k for k in keys}, {}, period_order)}
