"""Planning a rebuild from the last plan: unchanged papers keep their cards, views and pages.

A preview's rebuild after one edit plans the whole site again (a new paper
changes its day, its tags, the sitemap, the exports), but most papers' pages
come out the same. The planner's per-paper, per-day and per-listing steps
(`PlanSteps`) are wrapped here, from outside: each paper's card and planned
page (view, meta, JSON-LD) is remembered with the inputs it was made from
(memo/memo.py), so an unchanged paper's page is the very object of the
last plan, which the in-place update then recognises by identity instead
of comparing its view field by field.

What every entry shares (settings, the taxonomy's tag names, the listings'
labels, the asset names) is the memo's fingerprint: when it changes, nothing
is reused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from sitegen.memo.memo import Memo
from sitegen.core.models import Listing, Paper
from sitegen.plan.export import Exporter, ExportSteps
from sitegen.plan.bibtex import Bibliography
from sitegen.plan.feeds import Entry, Feed, atom, entry_xml
from sitegen.plan.outputs import PlannedFile, plan_files
from sitegen.plan.paper_files import PaperFiles
from sitegen.plan.planner import Assets, PlannedPage, Planner, PlanSteps
from sitegen.plan.present import Presenter
from sitegen.assemble.site import Group, Site
from sitegen.plan.urls import Urls
from sitegen.plan.views import CardImage, Link, ListingRow, PaperCard


class PlanMemo:
    """The memo of a preview's plans, cleared when what every entry shares changes.

    Its methods are the planner's `PlanSteps` (plan/planner.py), each the
    planner's own step, remembered with the inputs it was made from."""

    def __init__(self) -> None:
        self.memo = Memo()
        self.fingerprint: tuple | None = None
        memo = self.memo
        self.card_memo, self.day_link_memo = memo.part("cards"), memo.part("days")
        self.page_memo, self.rows_memo, self.day_memo = memo.part("pages"), memo.part("listing rows"), memo.part("day pages")
        # What the files beside the pages are made from: kept whole by a build that left the files as they were.
        self.files = files = memo.part("files")
        self.file_memo, self.record_memo, self.document_memo = files.part("made"), files.part("records"), files.part("documents")
        self.json_memo, self.bibtex_memo = files.part("paper records"), files.part("bibtex entries")
        self.entry_memo = files.part("feed entries")
        self.bibliography: tuple[Site, Bibliography] | None = None  # the last plan's, whose entries it made
        self.export_steps = ExportSteps(record_text=self.record_text, document=self.document)
        self.group_memo = memo.part("group tags")
        self.steps = PlanSteps(card=self.card, new_day_link=self.new_day_link, paper_page=self.paper_page,
                               day_pages=self.day_pages, listing_rows=self.listing_rows, group_tags=self.group_tags)

    def begin(self, site: Site, assets: Assets) -> tuple[PlanSteps, Callable[..., list[PlannedFile]]]:
        """The `steps` and `files_of` for `plan_site`."""
        content = site.content
        fingerprint = (content.config, content.taxonomy, assets,
                       tuple((listing.id, listing.saved_on) for listing in content.listings))
        if fingerprint != self.fingerprint:
            self.memo.clear()
            self.bibliography = None  # its entries show the old settings' addresses
            self.fingerprint = fingerprint
        self.memo.begin()
        return self.steps, self.files_of

    def done(self, files_made: bool = True) -> None:
        """The build succeeded: forget what it did not use (of the files' parts, only if it made the files)."""
        for part in self.memo.parts.values():
            if files_made or part is not self.files:
                part.keep_used()

    def files_of(self, site: Site, urls: Urls, indexed: list, *args, **kwargs) -> list[PlannedFile]:
        """`plan_files`, with records, documents, BibTeX entries and `/new.xml`'s entries remembered, and
        each file made by a pure function (a `partial`) remembered with its function and arguments."""
        made = self.file_memo
        if kwargs.get("bibliography") is not None:
            self.known_entries(site, kwargs["bibliography"])
        return [replace(file, render=partial(made.get, file.url, (file.render.func, *file.render.args), file.render))
                if isinstance(file.render, partial) else file
                for file in plan_files(site, urls, indexed, *args, export_steps=self.export_steps,
                                       paper_record=self.paper_record, received_feed=self.received_feed, **kwargs)]

    def known_entries(self, site: Site, bibliography: Bibliography) -> None:
        """Give the plan's bibliography the BibTeX entries of papers unchanged since they were made (an entry
        shows its paper and arXiv reference), after taking in those the last plan's bibliography made:
        `papers.bib` holds every paper's, and making them all took a third of a second at 10,000 papers."""
        memo = self.bibtex_memo
        if self.bibliography is not None:
            last_site, last = self.bibliography
            for paper_id, text in last.entries.items():
                memo.kept[paper_id] = ((last_site.papers[paper_id], last_site.arxiv.get(paper_id)), text)
        self.bibliography = site, bibliography
        entries, arxiv = bibliography.entries, site.arxiv
        for paper_id, paper in site.papers.items():
            known = memo.kept.get(paper_id)
            if known is not None and known[0][0] is paper and known[0][1] == arxiv.get(paper_id):
                entries.setdefault(paper_id, known[1])
                memo.used[paper_id] = known

    def paper_record(self, files: PaperFiles, paper_id: str) -> tuple[tuple[str, object], ...]:
        """A paper's JSON record, the very tuple of the last plan while its paper, tags and arXiv reference
        are (so the file's memo knows it by identity)."""
        site, memo = files.site, self.json_memo
        inputs = (site.papers[paper_id], site.tags_of[paper_id], site.arxiv.get(paper_id))
        known = memo.kept.get(paper_id)  # Memo.get, inlined: once per paper on every rebuild
        if known is None or known[0] != inputs:
            known = memo.kept[paper_id] = (inputs, PaperFiles.record(files, paper_id))
        memo.used[paper_id] = known
        return known[1]  # type: ignore[return-value]

    def received_feed(self, feed: Feed) -> bytes:
        """`/new.xml`, every paper's entry, each the text last made for an equal entry (it shows only its fields)."""
        memo = self.entry_memo

        def entry_text(entry: Entry, attribute: Callable[[str], str]) -> str:
            known = memo.kept.get(entry)
            if known is None:
                known = memo.kept[entry] = ((), entry_xml(entry, attribute))
            memo.used[entry] = known
            return known[1]  # type: ignore[return-value]
        return atom(feed, entry_text)

    def record_text(self, exporter: Exporter, paper: Paper) -> bytes:
        site, memo = exporter.site, self.record_memo
        inputs = (paper, site.tags_of[paper.id], site.related[paper.id], site.arxiv.get(paper.id))
        known = memo.kept.get(paper.id)  # Memo.get, inlined: once per paper on every rebuild
        if known is None or known[0] != inputs:
            known = memo.kept[paper.id] = (inputs, Exporter.record_text(exporter, paper))
        memo.used[paper.id] = known
        return known[1]

    def document(self, exporter: Exporter, url: str, ids: tuple[str, ...], records: tuple[bytes, ...], head: dict) -> bytes:
        return self.document_memo.get(url, (ids, tuple(head.items()), records),
                                      lambda: Exporter.joined(exporter, url, ids, records, head))

    def card(self, present: Presenter, paper: Paper) -> PaperCard:
        # Memo.get, inlined: one call per paper on every rebuild.
        memo, tags = self.card_memo, present.site.tags_of[paper.id]
        known = memo.kept.get(paper.id)
        if known is None or known[0][0] is not paper or known[0][1] != tags:
            known = memo.kept[paper.id] = ((paper, tags), Presenter._card(present, paper))
        memo.used[paper.id] = known
        return known[1]

    def new_day_link(self, present: Presenter, group: Group) -> Link:
        return self.day_link_memo.get(group.key, (group is present.site.undated, len(group.paper_ids)),
                                      lambda: Presenter.new_day_link(present, group))

    def paper_page(self, planner: Planner, paper: Paper, previous: str | None, following: str | None) -> PlannedPage:
        """The last plan's page of this paper when everything its view, meta and JSON-LD show is unchanged."""
        memo, inputs = self.page_memo, planner.paper_page_inputs(paper, previous, following)
        known = memo.kept.get(paper.id)  # Memo.get, inlined: one call per paper on every rebuild
        if known is None or known[0] != inputs:
            known = memo.kept[paper.id] = (inputs, Planner.paper_page(planner, paper, previous, following))
        memo.used[paper.id] = known
        return known[1]

    def day_pages(self, planner: Planner, day: Group, previous: Link | None, following: Link | None,
                  up: Link, image: CardImage, updated: dt.date | None) -> list[PlannedPage]:
        present = planner.present
        inputs = (present.day_link(day), previous, following, up, tuple(map(present.cards.__getitem__, day.paper_ids)),
                  image, updated)
        return self.day_memo.get(day.key, inputs,
                                 lambda: Planner.day_pages(planner, day, previous, following, up, image, updated))

    def listing_rows(self, planner: Planner, listing: Listing) -> tuple[ListingRow, ...]:
        cards = tuple(map(planner.present.cards.__getitem__, planner.site.listing_papers[listing.id]))
        return self.rows_memo.get(listing.id, (listing, cards), lambda: Planner.listing_rows(planner, listing))

    def group_tags(self, planner: Planner, group: Group) -> tuple[str, ...]:
        # Counting the tags of every group's papers again took a tenth of a quick rebuild at 10,000 papers;
        # looking up each paper's tags (the very tuples of the last build, if unchanged) costs a tenth of that.
        tags_of = planner.site.tags_of
        return self.group_memo.get((group.kind, group.key), (group.paper_ids, tuple(map(tags_of.__getitem__, group.paper_ids))),
                                   lambda: Planner.group_tags(planner, group))
