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
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import chain, count

from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.models import Listing, ListingEntry, Paper
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
            # Longer hashes on the (astronomically rare) clash; a counter after
            # that, so the loop always ends. Lazily: a list of the counters would
            # cost a string per paper of the archive, per clash (6 s at 100,000).
            suffixes = chain((short_hash(identity, n) for n in range(6, 65, 2)), map(str, count(2)))
            candidate = next(c for s in suffixes if (c := with_suffix(slug, s)) not in taken)
            taken.add(candidate)
            result.append((candidate, group))
    return result


Keyed = tuple[str, Sighting]  # a sighting with its folded title
TitlePapers = tuple[list[tuple[list[Sighting], str]], tuple[Diagnostic, ...]]  # each paper's sightings and slug; warnings


def sightings_of(listing: Listing) -> list[Keyed]:
    """Each entry of `listing` with its folded title, in order."""
    return [(fold(entry.title) or entry.title, (listing, entry)) for entry in listing.entries]


def papers_of_title(key: str, sightings: list[Sighting]) -> TitlePapers:
    """The papers that share the folded title `key`, each with its slug, and the warning if there are several."""
    own = Diagnostics()
    papers = cluster(sightings)
    if len(papers) > 1:
        warn_same_title(papers, own)
    return [(group, slugify(title_of(group))) for group in papers], tuple(own.items)


def merge_papers(listings: list[Listing], report: Diagnostics,
                 sightings_of: Callable[[Listing], list[Keyed]] = sightings_of,
                 papers_of_title: Callable[[str, list[Sighting]], TitlePapers] = papers_of_title,
                 merged: Callable[[str, list[Sighting]], Paper] = merged) -> list[Paper]:
    """All distinct papers of `listings`, sorted by id.

    The three steps are pure functions; a caller that merges mostly the same
    listings again passes remembering versions of them (memo/merge_memo.py)."""
    by_title: dict[str, list[Sighting]] = defaultdict(list)
    for listing in listings:
        for key, sighting in sightings_of(listing):
            by_title[key].append(sighting)
    by_slug: dict[str, list[list[Sighting]]] = defaultdict(list)
    for key, sightings in by_title.items():
        groups, warnings = papers_of_title(key, sightings)
        if warnings:
            report.items.extend(warnings)
        for group, slug in groups:
            by_slug[slug].append(group)
    papers = {paper_id: merged(paper_id, group) for paper_id, group in unique_ids(by_slug)}
    return [papers[paper_id] for paper_id in sorted(papers)]
