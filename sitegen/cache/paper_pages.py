"""Paper pages known by what they are made from: a warm build neither makes, describes nor renders an unchanged one's view.

Most pages are keyed by their planned view (cache/disk.py), so the build
must plan each page and describe its view before it knows the cache holds it:
two thirds of a warm build's planning and keying at 10,000 papers went to
paper pages, most of whose views never changed. A paper page is a function of
a few inputs, which the planner lists (plan/planner.py's `PaperPageInputs`)
and a preview compares (preview/replan.py): its paper and tags, its related
papers', its neighbours' titles, its day's link, its note, its arXiv
reference, its social card, the labels and save dates of the listings it was
seen in, and the settings and taxonomy. So the cache's
`paper_page` step (plan/planner.py's `PlanSteps`) keys each paper page by
those, and where the cache holds a page rendered under that key, plans it
with its meta and a `KeptPaperView`: the card (which the search index orders
bundles by) and the means to make the full page should anything ask (a
search bundle indexed afresh, or a kept page pruned by another build before
it is linked).

A page's key is its inputs' key with the template files and the chrome; a
search bundle's is what its pages' records are made from (cache/bundles.py):
the paper, its tags and its note, not its related papers or neighbours, and
no template: a template edit renders every page again and copies every bundle.

A paper's small JSON (`papers/<id>/paper.json`, plan/paper_files.py) is keyed
the same way, by what its record is made from: the paper, its tags and its
arXiv reference, and linked in like a page (cache/disk.py). Making each
record and its JSON again, and comparing it with the old file, cost a warm
build about 10 s of CPU at 100,000 papers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from sitegen.cache.keys import Memo, Unkeyable, describe
from sitegen.cache.store import Store, digest
from sitegen.assemble.site import Site
from sitegen.core.models import Paper
from sitegen.plan.planner import PlannedPage, Planner, PlanSteps
from sitegen.plan.urls import Urls
from sitegen.plan.views import Meta, PaperCard
from sitegen.write.template_files import templates_digest


@dataclass(frozen=True, slots=True)
class KeptPaperView:
    """The view of a paper page the cache holds rendered: never rendered, made in full only if asked."""

    template: ClassVar[str] = "paper.html"

    card: PaperCard
    make: Callable[[], PlannedPage]  # the page as the planner plans it, with its full PaperView


def full(page: PlannedPage) -> PlannedPage:
    """The page with its full view, whether or not the cache planned it as kept."""
    view = page.view
    return view.make() if isinstance(view, KeptPaperView) else page  # type: ignore[attr-defined]


def kept_page(planner: Planner, paper: Paper, output_path: str, view: KeptPaperView) -> PlannedPage:
    """A paper page the cache holds rendered, with only the meta that the build reads of a page it does
    not render: its address, that it is searchable, its sitemap date. The rest (its description,
    JSON-LD, social card: 3.9 s of planning at 100,000 papers) only rendering shows, and `full` makes
    the page as the planner plans it."""
    url = view.card.url
    meta = Meta(title=paper.title, heading=paper.title, description="", canonical=planner.urls.absolute(url),
                og_type="article", searchable=True, updated=planner.fresh.changed[paper.id])
    return PlannedPage(url, output_path, view.template, meta, view, f"paper {paper.id}")


class PaperPages:
    """The build cache's paper-page step, and the keys it gave: `pages` for pages, `records` for search bundles."""

    def __init__(self, store: Store, templates_dir: Path, memo: Memo):
        self.store, self.templates_dir, self.memo = store, templates_dir, memo
        self.shared: tuple[bytes, bytes] | None = None  # (what every paper page's inputs share, its chrome and templates)
        self.records: dict[str, str] = {}  # output path -> digest of what the page's search record is made from
        self.pages: dict[str, str] = {}  # output path -> the page's key: its inputs, chrome and templates
        self.texts: dict[str, str] = {}  # paper id -> paper_text
        self.kept = 0  # pages planned as kept
        self.inputs: bytes | None = None  # what every paper's inputs share: the settings and the taxonomy
        self.json_keys: dict[str, str] = {}  # output path -> key, of each paper's JSON file
        self.steps = PlanSteps(paper_page=self.paper_page)

    def shared_inputs(self, site: Site) -> bytes:
        if self.inputs is None:
            content = site.content
            self.inputs = digest(b"paper inputs", describe((content.config, content.taxonomy), self.memo).encode()).encode()
        return self.inputs

    def begin(self, planner: Planner) -> tuple[bytes, bytes]:
        self.shared = self.shared_inputs(planner.site), digest(b"paper page", templates_digest(self.templates_dir),
                                                                describe(planner.chrome, self.memo).encode()).encode()
        return self.shared

    def paper_text(self, site: Site, paper_id: str) -> str:
        """What a paper's card and search record are made from, hashed once a build: its fields and tags,
        but not the listings it was seen in, which only its own page shows."""
        text = self.texts.get(paper_id)
        if text is None:
            paper = site.papers[paper_id]
            org = paper.org
            # Each text behind its length and the rest between bars (a date, a count or None each), so that no
            # two papers' fields give one string: a repr of them all took twice as long (1.7 s at 100,000).
            title, abstract, org = paper.title, paper.abstract, f"{len(org.handle)}:{org.handle}{org.name}" if org else "-"
            tags = "".join([f"{len(tag)}:{tag}" for tag in site.tags_of[paper_id]])
            shown = (f"{len(paper_id)}:{paper_id}{len(title)}:{title}{len(abstract)}:{abstract}"
                     f"{paper.date}|{paper.upvotes}|{paper.authors}|{len(org)}:{org}{tags}")
            text = self.texts[paper_id] = hashlib.blake2b(shown.encode(), digest_size=20).hexdigest()
        return text

    def paper_page(self, planner: Planner, paper: Paper, previous: str | None, following: str | None) -> PlannedPage:
        site = planner.site
        shared_inputs, shared_page = self.shared or self.begin(planner)
        make = partial(Planner.paper_page, planner, paper, previous, following)
        inputs = planner.paper_page_inputs(paper, previous, following)
        # Every field, by name: a field added to the inputs cannot be left out of the key.
        _, card, day, related, before, after, note, arxiv, image, listings = inputs
        text = partial(self.paper_text, site)
        try:
            # Its own and its related papers' cards by what they are made from (the card: the paper and its tags, by
            # `own`, with the settings and taxonomy); its neighbours by id and title, as its links show them.
            own, note_text = text(paper.id), describe(note, self.memo)
            key = digest(shared_page, shared_inputs, describe(
                (own, note_text, [(listing, seen.line) for listing, seen in zip(listings, paper.seen_in)],
                 "".join(text(other.id) for other in related),
                 before and f"{before.id}\0{before.title}", after and f"{after.id}\0{after.title}", day, arxiv, image),
                self.memo).encode())
        except Unkeyable:
            return make()  # rendered every time
        # A card is made from its paper, tags, settings and taxonomy: the other pages' keys (cache/disk.py),
        # which list 100,000 cards, describe it by its paper's text instead of field by field (2 s at 100,000
        # papers), and hold the settings and taxonomy once (`shared_inputs`).
        self.memo[id(card)] = (card, f"#card {own}")
        output_path = planner.urls.output_path(card.url)
        # Its search record shows the paper, its tags and its note: not its related papers or neighbours.
        self.records[output_path], self.pages[output_path] = digest(shared_inputs, own.encode(), note_text.encode()), key
        if key not in self.store.page_inodes():
            return make()
        self.kept += 1
        return kept_page(planner, paper, output_path, KeptPaperView(card, make))

    def paper_json(self, site: Site, urls: Urls, paper_id: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
        """plan/paper_files.py's `JsonStep`: keys the file by the paper, its tags and its arXiv reference,
        for cache/disk.py to link in where it holds it; the file is still made by `make`."""
        try:
            arxiv = describe(site.arxiv.get(paper_id), self.memo)
        except Unkeyable:
            return make
        key = digest(b"paper json", self.shared_inputs(site), self.paper_text(site, paper_id).encode(), arxiv.encode())
        self.json_keys[urls.output_path(urls.paper_json(paper_id))] = key
        return make
