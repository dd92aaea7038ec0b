"""The build cache's `Reuse` (sitegen/reuse.py): what one `sitegen build` hands a later one, on disk.

Every value is kept under a hash of everything it was made from, so a
changed input is a different key and never meets a stale value:

- a parsed listing (and its warnings, replayed) by its path and bytes;
- tags and related papers (the expensive part of assembling) by every
  paper's id, title and abstract, the taxonomy, the notes' tags and the
  `related_count` setting: related papers depend on the whole archive;
  where that misses, each paper's tags and term counts by its text
  (cache/texts.py), so only new and edited papers are tokenised;
- a social card (a PNG, slow to draw) by the text it shows (write/cards.py);
- a search bundle by its records (cache/bundles.py);
- a rendered page by its template name, meta and view (every field of them,
  cache/keys.py), the shared chrome and the template files: the inputs
  rendering is a pure function of, the same ones the preview compares
  (preview/incremental.py); and a paper page by what its view is made from
  instead (cache/paper_pages.py), so that an unchanged one is not planned,
  and a paper's JSON file by its paper, tags and arXiv reference;
- each paper's record in the JSON export, its BibTeX entry and its entry in
  `/new.xml` by what each is made from (cache/records.py), for the files
  that hold every paper;
- and, not a value but time, the site the last build replaced (cache/spare.py):
  its folders and the files in it that are the cache's entries for this
  build's keys stay where they are, which spares a warm build a `mkdir` per
  page and a link per unchanged file.

Merging, grouping and planning the other pages run in full (they are fast,
and their results feed those pages' keys). What the keys leave out cannot
change the result, so the site is byte for byte what a clean build writes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from sitegen.assemble.site import Site, TagsAndRelated
from sitegen.cache.bundles import CachedBundles
from sitegen.cache import spare
from sitegen.cache.keys import Memo, Unkeyable, describe
from sitegen.cache.paper_pages import PaperPages, full
from sitegen.cache.records import KeptRecords
from sitegen.cache.store import Store, digest
from sitegen.cache.texts import cached_passes, keep_texts
from sitegen.core.diagnostics import Diagnostics
from sitegen.core.models import Listing, Paper
from sitegen.plan.outputs import PlannedFile, plan_files
from sitegen.plan.planner import Assets, Plan, PlannedPage
from sitegen.plan.urls import Urls
from sitegen.read.content import Content, MarkdownDoc
from sitegen.read.listings import listing_files, parse_ahead
from sitegen.read.parser import parse_listing
from sitegen.reuse import Assemble, Fresh, IndexShards, Mode, Parse, PlanSite
from sitegen.write.cards import CardText, draw_card
from sitegen.write.template_files import templates_digest
from sitegen.write.writer import Staging

PARSED, PASSES, CARDS = "listings", "passes", "cards"


def described(value: object, memo: Memo | None = None) -> bytes:
    """The value's every field, as a key's part (cache/keys.py); `memo` shares the work between keys."""
    return describe(value, {} if memo is None else memo).encode()


def listing_key(data: bytes, source_path: Path) -> str:
    return digest(b"listing", str(source_path).encode(), data)


def passes_key(content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc]) -> str:
    texts = "\0".join(f"{paper.id}\0{paper.title}\0{paper.abstract}" for paper in papers)
    note_tags = sorted((slug, tuple(note.meta.tags)) for slug, note in notes.items())
    return digest(b"passes", described(content.taxonomy), str(content.config.related_count).encode(),
                  described(note_tags), texts.encode())


class DiskReuse:
    """Cached values where the cache holds them; the pipeline's own steps elsewhere.

    Not a subclass of `Fresh`: the build asks `unchanged` only of a reuse that is not fresh."""

    def __init__(self, store: Store, content_dir: Path, templates_dir: Path):
        self.store, self.content_dir = store, content_dir
        self.memo: Memo = {}  # describe's, shared by the paper pages' inputs and the other pages' views
        self.paper_pages = PaperPages(store, templates_dir, self.memo)
        self.page_keys: dict[str, str] = {}  # output path -> key, of the pages of the build in progress
        self.made: list[tuple[str, str]] = []  # key and output path of each page or paper JSON file it makes
        self.unkeyed: list[str] = []  # output paths of the files it makes under no key (feeds, exports, sitemaps)
        self.staging: Staging | None = None
        self.spare = spare.Taken()  # what it kept of the last replaced site (cache/spare.py)
        self.cards = 0  # social cards planned (drawn or read back in the render processes)
        self.hits = {"listings": 0, "passes": 0, "texts": 0, "pages": 0, "cards": 0, "json": 0}
        self.records = KeptRecords(store, self.paper_pages)  # each paper's JSON record and BibTeX entry
        self.bundles = CachedBundles(store, lambda page: self.paper_pages.records.get(page.output_path), full)

    def parse(self, parse: Parse) -> Parse:
        """Cached listings; the others parsed on every core at once, as a build without a cache does."""
        files = listing_files([self.content_dir], Diagnostics()) if self.content_dir.is_dir() else []
        known: dict[str, tuple[Listing | None, tuple]] = {}
        missing = []
        for path in files:
            try:
                data = path.read_bytes()
            except OSError:
                continue  # read_listings reports it
            found = self.store.get(PARSED, listing_key(data, path))
            if found is None:
                missing.append(path)
            else:
                known[str(path)] = found
        ahead = parse_ahead(missing, parse) if parse is parse_listing and missing else parse

        def cached(data: bytes, source_path: Path, report: Diagnostics) -> Listing | None:
            found = known.get(str(source_path))
            if found is not None:
                self.hits["listings"] += 1
            else:
                own = Diagnostics()
                found = ahead(data, source_path, own), tuple(own.items)
                self.store.put(PARSED, listing_key(data, source_path), found)
            report.items.extend(found[1])
            return found[0]
        return cached

    def assemble(self, assemble: Assemble, mode: Mode) -> Assemble:
        def passes(content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc]) -> TagsAndRelated:
            key = passes_key(content, papers, notes)
            found = self.store.get(PASSES, key)
            if found is not None:
                self.hits["passes"] += 1
                # Not read, but what the next new or edited paper needs: dropped after five unchanged
                # builds, it cost that build the tokenising of every paper (42 s against 22 s at 100,000).
                keep_texts(self.store, content)
                return found
            found, self.hits["texts"] = cached_passes(self.store, content, papers, notes)
            self.store.put(PASSES, key, found)
            return found
        return partial(assemble, passes=passes)  # type: ignore[return-value]

    def summary(self) -> str:
        hits = self.hits
        texts = "" if hits["passes"] else f" ({hits['texts']} paper text(s) tokenised and tagged before)"
        return (f"{hits['listings']} parsed listing(s), {'the' if hits['passes'] else 'no'} tags and related papers{texts}, "
                f"{hits['pages']} of {len(self.page_keys)} page(s) ({self.paper_pages.kept} paper view(s) not made), "
                f"{hits['json']} of {len(self.paper_pages.json_keys)} paper JSON file(s), "
                f"{hits['cards']} of {self.cards} social card(s), "
                f"{self.bundles.hits} of {self.bundles.total} search bundle(s)")

    # Merging runs as in a clean build (it is fast); a fresh folder is always written and swapped in.
    merge, environment, exact, update = Fresh.merge, Fresh.environment, Fresh.exact, Fresh.update

    def index(self, index_shards: IndexShards) -> IndexShards:
        """Bundles whose records the cache holds indexed are copied; the others indexed."""
        return self.bundles.index

    def plan(self, plan: PlanSite) -> PlanSite:
        """The plan, with each social card drawn only when the cache has no card of the same text, and
        each paper page the cache holds rendered from the same inputs planned without its view."""
        def cached(site: Site, urls: Urls, assets: Assets) -> Plan:
            return plan(site, urls, assets, steps=self.paper_pages.steps, files_of=self.files_of)  # type: ignore[call-arg]
        return cached

    def files_of(self, site: Site, urls: Urls, indexed: list, cards: dict[str, CardText] | None,
                 **options) -> list[PlannedFile]:
        files = plan_files(site, urls, indexed, cards, card_render=self.card, export_steps=self.records.export_steps,
                           json_step=partial(self.paper_pages.paper_json, site, urls),
                           received_feed=self.records.received_feed, **options)
        return self.records.planned(site, urls, files, options.get("bibliography"))

    def card(self, text: CardText) -> Callable[[], bytes]:
        """A social card read back here, where a damaged one is noted, or drawn and kept by the
        render process that draws it (which keeps what it uses to itself: hence `used`)."""
        store, key = self.store, digest(b"card", described(text))
        found = store.get(CARDS, key)
        self.cards += 1
        if isinstance(found, bytes):
            self.hits["cards"] += 1
            return partial(bytes, found)
        store.keep(CARDS, key)
        return partial(store.made, CARDS, key, partial(draw_card, text))

    def unchanged(self, plan: Plan, templates_dir: Path, staging: Staging) -> tuple[list[PlannedPage], list[PlannedFile]]:
        """Keep or link in every page the cache holds rendered from the same inputs, and every paper's
        JSON; return the others."""
        # The settings and taxonomy too, which the paper cards that list pages show are made from (paper_pages.py).
        shared = digest(b"page", templates_digest(templates_dir), described(plan.chrome), self.paper_pages.inputs or b"")
        store, keys, todo, memo, paper_keys = self.store, {}, [], self.memo, self.paper_pages.pages
        keyed = []
        for page in plan.pages:
            key = paper_keys.get(page.output_path)
            if key is None:
                try:
                    key = digest(shared.encode(),
                                 described((page.template, page.url, page.output_path, page.meta, page.view), memo))
                except Unkeyable:
                    todo.append(page)  # a view whose repr hides its contents is rendered every time
                    self.unkeyed.append(page.output_path)
                    continue
            keys[page.output_path] = key
            keyed.append(page)
        self.page_keys, json_keys, held = keys, self.paper_pages.json_keys, store.page_inodes()
        self.staging, self.spare = staging, spare.take(self.store.root, staging.path, {**keys, **json_keys}, held)
        staging.keep_replaced_site()  # it becomes the next build's spare site (committed)
        kept = self.spare.kept

        def reused(output_path: str, key: str) -> bool:
            # Kept from the replaced site, or linked in where the listing says the cache holds it: a link that
            # misses cost 10 µs, and a cold cache misses every page. link() is still False where the page is
            # gone since the listing.
            return output_path in kept or (key in held and staging.link(output_path, store.page_path(key)))

        for page in keyed:
            key = keys[page.output_path]
            if reused(page.output_path, key):
                store.page_used(key)
                self.hits["pages"] += 1
            else:
                todo.append(full(page))  # not in the cache (or a kept paper page another build pruned since)
                self.made.append((key, page.output_path))
        files = []
        for file in plan.files:
            key = json_keys.get(file.output_path)
            if key is not None and reused(file.output_path, key):
                store.page_used(key)
                self.hits["json"] += 1
            else:
                files.append(file)
                if key is not None:
                    self.made.append((key, file.output_path))
                else:
                    self.unkeyed.append(file.output_path)
        return todo, files

    def committed(self, plan: Plan) -> None:
        """The output is in place: keep each page by its key, and bound the cache."""
        staging = self.staging
        if staging is not None:
            root = f"{staging.out_dir}/"
            for key, output_path in self.made:  # the others are kept already, and marked used
                self.store.keep_page(key, root + output_path)
            spare.prune(staging.out_dir, self.spare.emptied)
            if staging.path.is_dir():
                spare.keep(staging.path, self.store.root, self.unkeyed)
        self.store.finish()
