"""Merging mostly the same listings again: the steps of assemble/merge.py, remembered.

Listings whose bytes are unchanged are the same objects from one build to
the next (preview/incremental.py), so their sightings are too: a title whose
sightings are the very same objects clusters the same way, and a paper
whose id and sightings are unchanged merges into the same `Paper`. Only
the titles of an edited listing are worked out again; everything reused is
the value a fresh merge would compute, object for object.
"""

from __future__ import annotations

import operator

from sitegen.assemble import merge
from sitegen.assemble.merge import Keyed, Sighting, TitlePapers
from sitegen.core.models import Listing, Paper
from sitegen.reuse import Merge


def same_objects(first: list, second: list) -> bool:
    return len(first) == len(second) and all(map(operator.is_, first, second))


class MergeMemo:
    def __init__(self) -> None:
        # Each entry is replaced by what the latest merge used, so what no listing has any more is let go.
        self.listings: dict[int, tuple[Listing, list[Keyed]]] = {}  # by id(): each keeps its listing alive
        self.titles: dict[str, tuple[list[Sighting], TitlePapers]] = {}  # by folded title
        self.papers: dict[str, tuple[list[Sighting], Paper]] = {}  # by id
        self.used: tuple[dict, dict, dict] = ({}, {}, {})

    def wrap(self, merge_papers: Merge) -> Merge:
        def remembering(listings: list[Listing], report) -> list[Paper]:
            self.used = ({}, {}, {})
            papers = merge_papers(listings, report, sightings_of=self.sightings_of,  # type: ignore[call-arg]
                                  papers_of_title=self.papers_of_title, merged=self.merged)
            self.listings, self.titles, self.papers = self.used
            return papers
        return remembering

    def sightings_of(self, listing: Listing) -> list[Keyed]:
        known = self.listings.get(id(listing))
        if known is None or known[0] is not listing:
            known = (listing, merge.sightings_of(listing))
        self.used[0][id(listing)] = known
        return known[1]

    def papers_of_title(self, key: str, sightings: list[Sighting]) -> TitlePapers:
        known = self.titles.get(key)
        if known is None or not same_objects(known[0], sightings):
            known = (sightings, merge.papers_of_title(key, sightings))
        self.used[1][key] = known
        return known[1]

    def merged(self, paper_id: str, group: list[Sighting]) -> Paper:
        known = self.papers.get(paper_id)
        if known is None or known[0] is not group:
            paper = merge.merged(paper_id, group)
            # The other papers of an edited listing merge to equal Papers: the same object tells
            # every later step that nothing about them changed.
            known = (group, known[1] if known is not None and known[1] == paper else paper)
        self.used[2][paper_id] = known
        return known[1]
