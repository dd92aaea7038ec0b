"""Entries of many listings -> one `Paper` per real paper.

Identity: two entries are the same paper when their titles match after case
and punctuation are folded, and their abstracts match the same way, or one
abstract is a prefix of the other (a dump cut off mid-abstract, or a block
with no abstract at all). Two papers with the same title but different
abstracts stay two, with a warning at the later one's first sighting.

Conflicts between sightings resolve by rules that ignore file order:
- abstract: the longest (cut-off copies are prefixes of it);
- title: the most common spelling, then the alphabetically first;
- date: a date beats no date; among dates the most common, then the earliest
  (the paper's first Daily Papers day);
- upvotes: the highest (counts only grow, so the highest is the newest);
- authors / organisation: the most common, then the largest / first handle.

Ids: the slug of the merged title (see core/slugs.py). Where slugs clash, the
paper seen first keeps the bare slug (the earliest listing save date, else
the earliest paper date, else its text's hash decides) and the others get a
suffix hashed from their own merged title and longest abstract. So a paper's
URL does not change when a newer listing brings a paper with the same slug,
an id never depends on file order, and ids stay within 80 characters.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.models import Listing, ListingEntry, Paper
from sitegen.speed.gcpause import gc_paused
from sitegen.core.slugs import short_hash, slugify, with_suffix

NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    return NON_WORD.sub(" ", text.casefold()).strip()


Sighting = tuple[Listing, ListingEntry]


def cluster(sightings: list[Sighting]) -> list[list[Sighting]]:
    """Split sightings that share a title into one group per distinct paper."""
    if len({entry.abstract for _, entry in sightings}) == 1:
        return [sightings]  # the common case, and folding long abstracts is slow
    by_abstract: dict[str, list[Sighting]] = defaultdict(list)
    for sighting in sightings:
        by_abstract[fold(sighting[1].abstract)].append(sighting)
    groups: list[tuple[str, list[Sighting]]] = []
    for abstract in sorted(by_abstract, key=lambda a: (-len(a), a)):
        home = next((g for g in groups if g[0].startswith(abstract)), None)
        if home is None:
            groups.append((abstract, list(by_abstract[abstract])))
        else:
            home[1].extend(by_abstract[abstract])
    return [members for _, members in groups]


def most_common(values: list, tie_key) -> object:
    present = [v for v in values if v is not None]
    if len(present) <= 1:
        return present[0] if present else None
    counts = Counter(present)
    return min(counts, key=lambda v: (-counts[v], tie_key(v)))


def title_of(sightings: list[Sighting]) -> str:
    return most_common([entry.title for _, entry in sightings], tie_key=lambda t: t)


def merged(paper_id: str, sightings: list[Sighting]) -> Paper:
    if len(sightings) == 1:  # most papers: nothing to resolve
        listing, entry = sightings[0]
        return Paper(id=paper_id, title=entry.title, abstract=entry.abstract, date=entry.date, upvotes=entry.upvotes,
                     authors=entry.authors, org=entry.org, seen_in=[{"listing": listing.id, "line": entry.line}])
    entries = [entry for _, entry in sightings]
    upvotes = [e.upvotes for e in entries if e.upvotes is not None]
    return Paper(
        id=paper_id,
        title=title_of(sightings),
        abstract=max((e.abstract for e in entries), key=lambda a: (len(a), a)),
        date=most_common([e.date for e in entries], tie_key=lambda d: d),
        upvotes=max(upvotes) if upvotes else None,
        authors=most_common([e.authors for e in entries], tie_key=lambda n: -n),
        org=most_common([e.org for e in entries], tie_key=lambda o: (o.handle, o.name)),
        # Plain dicts: the Paper validates them into SeenIn in one go, much faster than one by one.
        seen_in=[{"listing": l.id, "line": e.line} for l, e in in_file_order(sightings)],
    )


def in_file_order(sightings: list[Sighting]) -> list[Sighting]:
    return sorted(sightings, key=lambda s: (s[0].id, s[1].line))


def where(sighting: Sighting) -> str:
    return f"{sighting[0].source_path}:{sighting[1].line}"


def warn_same_title(papers: list[list[Sighting]], report: Diagnostics) -> None:
    """One warning per extra paper with a title already taken, at its own first sighting."""
    firsts = sorted((min(p, key=lambda s: (s[0].source_path, s[1].line)) for p in papers),
                    key=lambda s: (s[0].source_path, s[1].line))
    for sighting in firsts[1:]:
        report.warn(
            sighting[0].source_path,
            sighting[1].line,
            f"a different paper (other abstract) has the same title {sighting[1].title[:80]!r} at "
            f"{where(firsts[0])}; both are kept, each with its own page",
        )


def identity_of(group: list[Sighting]) -> str:
    return title_of(group) + "\n" + max(e.abstract for _, e in group)


def seen_first(group: list[Sighting]) -> tuple:
    """Sorts the paper first seen first: by listing save date, then paper date, then its text."""
    saved = [listing.saved_on for listing, _ in group if listing.saved_on]
    dated = [entry.date for _, entry in group if entry.date]
    return (min(saved) if saved else dt.date.max, min(dated) if dated else dt.date.max, short_hash(identity_of(group), 16))


def unique_ids(by_slug: dict[str, list[list[Sighting]]]) -> list[tuple[str, list[Sighting]]]:
    """Each group's id: its title's slug, plus a suffix from its own text where slugs clash.

    Of clashing papers the one seen first keeps the bare slug, so a shared
    link to it keeps working when later listings bring namesakes; the others'
    suffixes hash their own title and abstract, so neither depends on file order.
    """
    taken = set(by_slug)
    result: list[tuple[str, list[Sighting]]] = []
    for slug, clashing in by_slug.items():
        first, *later = sorted(clashing, key=seen_first) if len(clashing) > 1 else clashing
        result.append((slug, first))
        for group in later:
            identity = identity_of(group)
            # Longer hashes on the (astronomically rare) clash; a counter
            # after that, so the loop always ends.
            suffixes = [short_hash(identity, n) for n in range(6, 65, 2)] + [str(i) for i in range(2, len(taken) + 3)]
            candidate = next(c for s in suffixes if (c := with_suffix(slug, s)) not in taken)
            taken.add(candidate)
            result.append((candidate, group))
    return result


class MergeMemo:
    """What one merge worked out, for the next merge of mostly the same listings (`sitegen serve`).

    Listings whose bytes are unchanged are the same objects from one build to
    the next (preview/incremental.py), so their sightings are too: a title whose
    sightings are the very same objects clusters the same way, and a paper
    whose id and sightings are unchanged merges into the same `Paper`. Only
    the titles of an edited listing are worked out again; everything reused
    is the value a fresh merge would compute, object for object.
    """

    def __init__(self) -> None:
        self.listings: dict[int, tuple[Listing, list[tuple[str, Sighting]]]] = {}  # by id(): each keeps its listing alive
        # folded title -> (its sightings, each paper's sightings and slug, the warnings)
        self.titles: dict[str, tuple[list[Sighting], list[tuple[list[Sighting], str]], tuple[Diagnostic, ...]]] = {}
        self.papers: dict[str, tuple[list[Sighting], Paper]] = {}  # by id

    def sightings_of(self, listings: list[Listing]) -> Iterator[tuple[str, Sighting]]:
        """Each entry of `listings` with its folded title, in order; remembered for each listing."""
        kept = {}
        for listing in listings:
            known = self.listings.get(id(listing))
            if known is None or known[0] is not listing:
                known = (listing, [(fold(entry.title) or entry.title, (listing, entry)) for entry in listing.entries])
            kept[id(listing)] = known
            yield from known[1]
        self.listings = kept


def same_objects(first: list, second: list) -> bool:
    return len(first) == len(second) and all(map(operator.is_, first, second))


def merge_papers(listings: list[Listing], report: Diagnostics, memo: MergeMemo | None = None) -> list[Paper]:
    """All distinct papers of `listings`, sorted by id. `memo` carries work over from the previous call."""
    # Many small objects and nothing to collect: the cyclic collector would
    # only rescan them (and every listing) over and over while they are built.
    with gc_paused():
        return merge_all(listings, report, memo or MergeMemo())


def merge_all(listings: list[Listing], report: Diagnostics, memo: MergeMemo) -> list[Paper]:
    by_title: dict[str, list[Sighting]] = defaultdict(list)
    for key, sighting in memo.sightings_of(listings):
        by_title[key].append(sighting)

    titles = {}
    by_slug: dict[str, list[list[Sighting]]] = defaultdict(list)
    for key, sightings in by_title.items():
        known = memo.titles.get(key)
        if known is None or not same_objects(known[0], sightings):
            own = Diagnostics()
            papers = cluster(sightings)
            if len(papers) > 1:
                warn_same_title(papers, own)
            known = (sightings, [(group, slugify(title_of(group))) for group in papers], tuple(own.items))
        titles[key] = known
        if known[2]:
            report.items.extend(known[2])
        for group, slug in known[1]:
            by_slug[slug].append(group)
    memo.titles = titles

    papers = {}
    for paper_id, group in unique_ids(by_slug):
        known = memo.papers.get(paper_id)
        if known is None or known[0] is not group:
            paper = merged(paper_id, group)
            # The other papers of an edited listing merge to equal Papers: the same object tells
            # every later step that nothing about them changed.
            known = (group, known[1] if known is not None and known[1] == paper else paper)
        papers[paper_id] = known
    memo.papers = papers
    return [papers[paper_id][1] for paper_id in sorted(papers)]
