"""The search index: one Pagefind record per paper, written beside the pages.

What a reader searches is a paper: its title, abstract, organisation and
curator's note, with tags, organisation, year and dated/undated as filters
and date and upvotes as sort keys. So the index is built from the page plan,
not from the rendered HTML: each paper becomes a custom record sent to
Pagefind's service (`pagefind --service`), which never parses a page. That
needs no finished pages, so the build runs it on a thread beside rendering
(the work happens in the Pagefind process, on the other core).

Why not the `pagefind` Python package's `add_custom_record`: it speaks the same
protocol, but polls the service's replies every 0.1 s, one reply per poll, so
10,000 records take over 15 minutes. The protocol is small (base64 JSON
messages ended by a comma, a reply per message), so `service.py` speaks it
directly and reads the replies on a thread of its own.

Large archives are split into shards of at most SHARD_SIZE papers, each its
own bundle (`pagefind/`, `pagefind-2/`, ...), indexed two at a time, so
Pagefind's memory stays bounded and both cores work. `pagefind/sitegen-shards.json`
names the other bundles and the search page merges them into one search box
(static/site.js). Pagefind merges the shards' sorted results by each result's
position within its own shard, so papers are dealt to shards by date rank (see
`deal`): position q means the same stretch of the global order in every shard,
and "newest first" stays exact. "Most upvoted" is exact within a shard and
close across them. Relevance is not comparable across shards either: a shard
that lacks a searched word answers with near misses, and its first near miss
can come before another shard's only real match (bench/search_bench.py at
10,000 papers in two shards: the paper with a unique word came first 17 times
in 20). So a shard holds up to 10,000 papers: archives that size search one
index, with exact ranking, for about 1.2 GB in one Pagefind process.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from sitegen.diagnostics import BuildError, Diagnostic, Severity
from sitegen.plan import PlannedPage
from sitegen.search_service import PagefindService, fail
from sitegen.views import PaperView

BUNDLE_DIR = "pagefind"  # served at Urls.pagefind(); shards beside it as pagefind-2/, pagefind-3/, ...
SHARDS_FILE = "sitegen-shards.json"  # in the first bundle: the other bundles, relative to it
# Pagefind takes about 0.12 MB of memory and 1.3 ms of CPU per paper, all of it
# in its own process: shards bound the memory, and two at a time use both cores.
SHARD_SIZE = 10_000  # papers per bundle
PARALLEL_SHARDS = max(1, min(2, os.cpu_count() or 1))
# Now and then, with other Pagefind runs about, a bundle's entry file comes out
# empty although the service reported success; writing that bundle again mends it.
ATTEMPTS = 2
BUNDLE_PATH = re.compile(rf"{BUNDLE_DIR}(-\d+)?/")
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class SearchRecord:
    """One paper as Pagefind stores it: what is searched, shown, filtered and sorted."""

    url: str  # from the site root, as Pagefind's UI joins it to its baseUrl
    content: str  # HTML-escaped: Pagefind's UI shows excerpts as HTML
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]

    def message(self, index_id: int, language: str) -> dict:
        return {"type": "AddRecord", "index_id": index_id, "url": self.url, "content": self.content,
                "language": language, "meta": self.meta, "filters": self.filters, "sort": self.sort}


def bundle_dir(shard: int) -> str:
    return BUNDLE_DIR if shard == 0 else f"{BUNDLE_DIR}-{shard + 1}"


def check_bundle_path_free(pages: Iterable[PlannedPage]) -> None:
    """Refuse a page that would be written where a search bundle goes."""
    clashes = [
        Diagnostic(page.source_path or page.output_path, 0, Severity.ERROR,
                   f"{page.source} would write {page.output_path}, inside {page.output_path.split('/')[0]}/ "
                   f"where the search index goes; rename the file")
        for page in pages if BUNDLE_PATH.match(page.output_path)
    ]
    if clashes:
        raise BuildError(clashes)


def text_of(markup: str) -> str:
    # Tags go without a trace: a link inside a sentence is inline text, and the
    # HTML already has a line break between paragraphs.
    return html.unescape(TAG.sub("", markup))


def shown(text: str) -> str:
    """Escaped once: Pagefind stores record text as given, and its UI shows excerpts as HTML."""
    return html.escape(text, quote=False)


def facet(value: str) -> str:
    """A filter value, escaped once as Jinja would (`"` too): the UI shows it as HTML and
    sends it back in a ticked filter, which must then match the stored value."""
    return str(escape(value))


def record_of(page: PlannedPage) -> SearchRecord:
    view = page.view
    assert isinstance(view, PaperView), page.source
    card = view.card
    parts = [card.title, view.abstract_html.text]  # the abstract as written
    if view.org:
        parts.append(view.org.label)
    if view.note_html:
        parts.append(text_of(view.note_html))
    meta = {"title": card.title}
    if card.date_iso:
        meta["date"] = card.date_label
    if card.upvotes is not None:
        meta["upvotes"] = str(card.upvotes)
    filters = {"tag": [facet(tag.label) for tag in card.tags]}
    if view.org:
        filters["organisation"] = [facet(view.org.label)]
    if card.date_iso:
        filters["year"], filters["date"] = [facet(view.year)], ["Dated"]
    else:
        filters["date"] = ["Undated"]
    # Sorting drops records without the key, so undated papers and unknown upvotes get keys that sort last.
    sort = {"date": card.date_iso or "0000-00-00",
            "upvotes": str(card.upvotes if card.upvotes is not None else -1)}
    url = "/" + page.output_path.removesuffix("index.html")
    return SearchRecord(url, shown("\n".join(parts)), meta, {k: v for k, v in filters.items() if v}, sort)


def search_records(pages: Iterable[PlannedPage]) -> list[SearchRecord]:
    return [record_of(page) for page in pages if page.meta.searchable]


def deal(records: list[SearchRecord], shard_size: int) -> list[list[SearchRecord]]:
    """Split into shards of at most `shard_size`, dealt round the shards by date rank.

    With ranks counted from the oldest, the paper of rank r goes to shard
    (K - 1 - r mod K): within every group of K consecutive ranks the first
    shard (whose results Pagefind lists first among equal positions) holds
    the newest, so merged "newest first" results are in exact date order.
    """
    count = max(1, -(-len(records) // shard_size))
    oldest_first = sorted(records, key=lambda record: (record.sort["date"], record.url))
    shards: list[list[SearchRecord]] = [[] for _ in range(count)]
    for rank, record in enumerate(oldest_first):
        shards[count - 1 - rank % count].append(record)
    return shards


def index_records(records: list[SearchRecord], site_dir: Path, language: str,
                  shard_size: int = SHARD_SIZE, parallel: int = PARALLEL_SHARDS, niceness: int = 0) -> int:
    """Write the bundles for `records` under `site_dir`; return the number of records indexed.

    `parallel` shards at a time, each Pagefind at `niceness` (see live_search.py)."""
    if not records:
        return 0  # no bundle: the search page says search is unavailable
    shards = deal(records, shard_size)

    def index_shard(number: int) -> int:
        bundle = site_dir / bundle_dir(number)
        for attempt in range(ATTEMPTS):
            with PagefindService(niceness) as service:
                indexed = service.index(shards[number], bundle, language)
            try:
                if indexed_pages(bundle) == indexed:
                    break
            except BuildError:
                if attempt == ATTEMPTS - 1:
                    raise
            shutil.rmtree(bundle, ignore_errors=True)
        return indexed

    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(shards)))) as pool:
        indexed = sum(pool.map(index_shard, range(len(shards))))
    others = [f"../{bundle_dir(number)}/" for number in range(1, len(shards))]
    (site_dir / BUNDLE_DIR / SHARDS_FILE).write_text(json.dumps({"bundles": others}), encoding="utf-8")
    written = sum(indexed_pages(site_dir / bundle_dir(number)) for number in range(len(shards)))
    if not indexed == written == len(records):
        raise fail(f"Pagefind indexed {indexed} papers of {len(records)} and wrote {written}")
    return indexed


def indexed_pages(bundle: Path) -> int:
    """The page count Pagefind wrote into a bundle's entry file, over all languages."""
    entry_file = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        return sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise fail(f"Pagefind wrote no readable index entry file {entry_file} ({exc})") from None


class Indexer:
    """Indexes the plan's papers on a thread of its own while the build renders.

    Used as a context manager around the build's writing: `wait()` before the
    swap returns the count or raises the indexing error; leaving early (a
    failed build) waits for the thread, whose bundle goes with the staging folder.
    """

    def __init__(self, pages: list[PlannedPage], site_dir: Path, language: str, shard_size: int = SHARD_SIZE):
        self.pages, self.site_dir, self.language, self.shard_size = pages, site_dir, language, shard_size
        self.indexed = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.run, name="sitegen-index", daemon=True)

    def run(self) -> None:
        try:
            self.indexed = index_records(search_records(self.pages), self.site_dir, self.language, self.shard_size)
        except BaseException as error:  # handed to wait()
            self.error = error

    def wait(self) -> int:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.indexed

    def __enter__(self) -> Indexer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.thread.join()
