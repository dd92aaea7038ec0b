"""Entries of many listings -> one `Paper` per real paper.

Identity: two entries are the same paper when their titles match after case
and punctuation are folded, and their abstracts match the same way, or one
abstract is a prefix of the other (a dump cut off mid-abstract, or a block
with no abstract at all). Two papers with the same title but different
abstracts stay two.

Conflicts between sightings resolve by rules that ignore file order:
- abstract: the longest (cut-off copies are prefixes of it);
- title: the most common spelling, then the alphabetically first;
- date: the most common date, then the earliest (its first Daily Papers day);
- upvotes: the highest (counts only grow, so the highest is the newest);
- authors / organisation: the most common, then the largest / first handle.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from sitegen.diagnostics import Diagnostics
from sitegen.models import Listing, ListingEntry, Paper, SeenIn
from sitegen.slugs import short_hash, slugify

NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    return NON_WORD.sub(" ", text.casefold()).strip()


Sighting = tuple[Listing, ListingEntry]


def cluster(sightings: list[Sighting]) -> list[list[Sighting]]:
    """Split sightings that share a title into one group per distinct paper."""
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


def most_common(values: Iterable, tie_key) -> object:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], tie_key(v)))


def merged(paper_id: str, sightings: list[Sighting]) -> Paper:
    entries = [entry for _, entry in sightings]
    upvotes = [e.upvotes for e in entries if e.upvotes is not None]
    return Paper(
        id=paper_id,
        title=most_common((e.title for e in entries), tie_key=lambda t: t),
        abstract=max((e.abstract for e in entries), key=lambda a: (len(a), a)),
        date=most_common((e.date for e in entries), tie_key=lambda d: d),
        upvotes=max(upvotes) if upvotes else None,
        authors=most_common((e.authors for e in entries), tie_key=lambda n: -n),
        org=most_common((e.org for e in entries), tie_key=lambda o: (o.handle, o.name)),
        seen_in=tuple(SeenIn(listing=l.id, line=e.line) for l, e in sorted(sightings, key=lambda s: (s[0].id, s[1].line))),
    )


def describe(sightings: list[Sighting]) -> str:
    return ", ".join(f"{l.source_path}:{e.line}" for l, e in sightings[:3])


def merge_papers(listings: list[Listing], report: Diagnostics) -> list[Paper]:
    """All distinct papers of `listings`, sorted by id."""
    by_title: dict[str, list[Sighting]] = defaultdict(list)
    for listing in listings:
        for entry in listing.entries:
            by_title[fold(entry.title) or entry.title].append((listing, entry))

    groups: list[list[Sighting]] = []
    for sightings in by_title.values():
        papers = cluster(sightings)
        if len(papers) > 1:
            first = papers[0][0]
            report.warn(
                first[0].source_path,
                first[1].line,
                f"{len(papers)} different papers share the title {first[1].title[:80]!r} "
                f"(seen at {'; '.join(describe(p) for p in papers)}); each gets its own page",
            )
        groups.extend(papers)

    by_slug: dict[str, list[list[Sighting]]] = defaultdict(list)
    for group in groups:
        by_slug[slugify(group[0][1].title)].append(group)

    taken = set(by_slug)
    result: list[Paper] = []
    for slug, clashing in by_slug.items():
        if len(clashing) == 1:
            result.append(merged(slug, clashing[0]))
            continue
        # Several papers would share a slug: each gets a suffix derived from
        # its own text, so its URL does not depend on which others exist.
        for group in clashing:
            identity = fold(group[0][1].title) + "\n" + max(fold(e.abstract) for _, e in group)
            length = 6
            while (candidate := f"{slug}-{short_hash(identity, length)}") in taken:
                length += 2
            taken.add(candidate)
            result.append(merged(candidate, group))
    result.sort(key=lambda p: p.id)
    return result
