"""Planning a rebuild from the last plan: unchanged papers keep their cards, views and pages.

A preview's rebuild after one edit plans the whole site again (a new paper
changes its day, its tags, the sitemap, the exports), but most papers' pages
come out the same. These planner and presenter variants remember each
paper's card, page view, JSON-LD facts and planned page with the inputs
they were made from (preview/memo.py), so an unchanged paper's page is the very
object of the last plan, which the in-place update then recognises by
identity instead of comparing its view field by field.

What every entry shares (settings, the taxonomy's tag names, the listings'
labels, the asset names) is the memo's fingerprint: when it changes, nothing
is reused.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from sitegen.preview.memo import Memo
from sitegen.core.models import Listing, Paper
from sitegen.plan.outputs import PlannedFile, plan_files
from sitegen.plan.planner import Assets, Planner, PlannedPage
from sitegen.plan.present import Presenter
from sitegen.assemble.site import Group, Site
from sitegen.plan.urls import Urls
from sitegen.plan.views import CardImage, Link, ListingRow, PaperCard


class RememberingPresenter(Presenter):
    def __init__(self, site: Site, urls: Urls, memo: Memo):
        self.card_memo, self.day_memo = memo.part("cards"), memo.part("days")
        super().__init__(site, urls)

    def _card(self, paper: Paper) -> PaperCard:
        # Memo.get, inlined: one call per paper on every rebuild.
        memo, tags = self.card_memo, self.site.tags_of[paper.id]
        known = memo.kept.get(paper.id)
        if known is None or known[0][0] is not paper or known[0][1] != tags:
            known = memo.kept[paper.id] = ((paper, tags), Presenter._card(self, paper))
        memo.used[paper.id] = known
        return known[1]

    def new_day_link(self, group: Group) -> Link:
        return self.day_memo.get(group.key, (group is self.site.undated, len(group.paper_ids)),
                                 lambda: Presenter.new_day_link(self, group))


class RememberingPlanner(Planner):
    def __init__(self, site: Site, urls: Urls, assets: Assets, memo: Memo):
        self.memo, self.page_memo, self.rows_memo = memo, memo.part("pages"), memo.part("listing rows")
        self.day_memo = memo.part("day pages")
        super().__init__(site, urls, assets)

    def presenter(self) -> Presenter:
        return RememberingPresenter(self.site, self.urls, self.memo)

    def paper_page(self, paper: Paper, previous: str | None, following: str | None) -> None:
        """The last plan's page of this paper when everything its view, meta and JSON-LD show is unchanged."""
        site, cards, memo = self.site, self.present.cards, self.page_memo
        day = self.present.paper_day(paper)
        # The card stands for the paper's tags; the neighbours' papers for their ids and titles.
        inputs = (paper, cards[paper.id], day, tuple(map(cards.__getitem__, site.related[paper.id])),
                  previous and site.papers[previous], following and site.papers[following], site.notes.get(paper.id),
                  self.paper_card(paper))  # which also registers the card to draw
        known = memo.kept.get(paper.id)  # Memo.get, inlined: one call per paper on every rebuild
        if known is None or known[0] != inputs:
            Planner.paper_page(self, paper, previous, following)
            known = memo.kept[paper.id] = (inputs, self.pages[-1])
        else:
            self.pages.append(known[1])
        memo.used[paper.id] = known

    def day_pages(self, day: Group, previous: Link | None, following: Link | None, up: Link,
                  image: CardImage, updated: dt.date | None) -> None:
        inputs = (self.present.day_link(day), previous, following, up, tuple(map(self.present.cards.__getitem__, day.paper_ids)),
                  image, updated)
        planned = len(self.pages)

        def make() -> list[PlannedPage]:
            Planner.day_pages(self, day, previous, following, up, image, updated)
            return self.pages[planned:]

        pages = self.day_memo.get(day.key, inputs, make)
        if len(self.pages) == planned:
            self.pages.extend(pages)

    def listing_rows(self, listing: Listing) -> tuple[ListingRow, ...]:
        cards = tuple(map(self.present.cards.__getitem__, self.site.listing_papers[listing.id]))
        return self.rows_memo.get(listing.id, (listing, cards), lambda: Planner.listing_rows(self, listing))


class PlanMemo:
    """The memo of a preview's plans, cleared when what every entry shares changes."""

    def __init__(self) -> None:
        self.memo = Memo()
        self.fingerprint: tuple | None = None

    def begin(self, site: Site, assets: Assets) -> tuple[partial[Planner], partial[list[PlannedFile]]]:
        """The planner and `files_of` for `plan_site`."""
        content = site.content
        fingerprint = (content.config, content.taxonomy, assets,
                       tuple((listing.id, listing.saved_on) for listing in content.listings))
        if fingerprint != self.fingerprint:
            self.memo.clear()
            self.fingerprint = fingerprint
        self.memo.begin()
        return partial(RememberingPlanner, memo=self.memo), partial(plan_files, memo=self.memo)

    def done(self) -> None:
        """The build succeeded: forget what it did not use."""
        self.memo.keep_used()
