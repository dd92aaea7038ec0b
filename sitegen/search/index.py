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

Large archives are split into bundles of at most SHARD_SIZE papers (`pagefind/`,
`pagefind-2/`, ...), one Pagefind service each, so Pagefind's memory stays bounded
and the bundles are indexed at once, one core each. As many services run at once as
the build's memory budget leaves room for (`service_counts`): while the build
renders, its render worker doubles its memory, and a service takes a core from
it, so an archive of more bundles than one round of services is indexed once the
render workers are done (`Indexer.rendered`). Records are made as a service
takes them and dropped once sent: at 100,000 papers, holding them all cost 200 MB.

A bundle is a stretch of the archive in date order (`chunk`): the oldest
SHARD_SIZE papers, the next SHARD_SIZE, and so on. An archive grows by a listing
of the newest papers a day, so a new listing changes the newest bundle alone and
a build cache (cache/bundles.py) re-indexes that one. `pagefind/sitegen-shards.json`
names the other bundles, with each one's paper count and upvotes (`upvote_runs`),
and the search page merges them into one search box (static/search.js).
Relevance: Pagefind's `mergeIndex` sorts the merged results by score;
bench/rank_bench.py measures title searches on one bundle and on several. Sorted
results: Pagefind scores one by its position in its own bundle's sorted list, so
the search page puts them in order itself, exactly: newest first bundle by bundle,
most upvoted by the upvotes it reads from the position. It tells the bundles
apart by a weight given to each, too close to 1 to change a relevance score, and
every bundle starts with an anchor record (`ANCHOR`) sorted before its papers,
so a paper's position is never 0, which no weight would mark.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from markupsafe import escape

from sitegen.core.diagnostics import BuildError, Diagnostic, Severity
from sitegen.plan.planner import PlannedPage
from sitegen.search.service import RUNNING, PagefindService, fail
from sitegen.plan.views import PaperView

BUNDLE_DIR = "pagefind"  # served at Urls.pagefind(); shards beside it as pagefind-2/, pagefind-3/, ...
SHARDS_FILE = "sitegen-shards.json"  # in the first bundle: the other bundles, relative to it
# Papers per bundle: Pagefind indexes on one core, so 10,000 papers make two
# bundles indexed at once; a new listing re-indexes at most this many.
SHARD_SIZE = 5_000
PARALLEL_SHARDS = max(1, min(2, os.cpu_count() or 1))  # services at most at once: two use both cores
# Peak memory per paper, measured on bench/synth.py's archive at 100,000 papers:
# a Pagefind service (0.65 ms of CPU per paper, in its own process) for the
# papers of its shard, and sitegen's build with its forked render worker while
# rendering (the worker inherits the parent's heap, and touching an object's
# reference count copies its page) and without it afterwards.
PAGEFIND_BYTES_PER_PAPER = 66_000
RENDERING_BYTES_PER_PAPER = 21_500
RENDERED_BYTES_PER_PAPER = 12_500
MEMORY_BUDGET = 2_800_000_000  # the whole process tree: under the 3 GB issue 7 allows at 100,000 papers, with room for error
BUNDLE_PATH = re.compile(rf"{BUNDLE_DIR}(-\d+)?/")
TAG = re.compile(r"<[^>]*>")
# Pagefind's own marks for a weighted stretch of text (what data-pagefind-weight becomes):
# words between them count TITLE_WEIGHT times a body word, as in an <h1>.
TITLE_WEIGHT = 7
TITLE_START, TITLE_END = f"___PAGEFIND_WEIGHT___{TITLE_WEIGHT}", "___END_PAGEFIND_WEIGHT___"
MARKER = re.compile(r"(?<!\S)_{3,}")
UNDATED = "0000-00-00"  # the date sort key of an undated paper: sorting drops records without the key
T = TypeVar("T")


@dataclass(frozen=True)
class SearchRecord:
    """One paper as Pagefind stores it: what is searched, shown, filtered and sorted."""

    url: str  # from the site root, as Pagefind's UI joins it to its baseUrl
    content: str  # plain text, the title weighted
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str]

    def message(self, index_id: int, language: str) -> dict:
        return {"type": "AddRecord", "index_id": index_id, "url": self.url, "content": self.content,
                "language": language, "meta": self.meta, "filters": self.filters, "sort": self.sort}


# First in every bundle's sorted lists (its sort keys sort before any paper's), and
# found by no search of the page: it has no filters, and static/search.js always
# asks for dated or undated papers. Pagefind drops a record without a word.
ANCHOR = SearchRecord("/search/", "sitegenanchor", {"title": ""}, {}, {"date": "", "upvotes": "-2"})


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


def facet(value: str) -> str:
    """A filter value, escaped once as Jinja would: Pagefind finds no page by a value with a
    double quote in it (`{"any": ['"Labs"']}`), but does by its escaped form. static/search.js
    shows values unescaped and escapes the ones it asks for."""
    return str(escape(value))


def plain(text: str) -> str:
    """Text as Pagefind reads a record: a run of underscores starting a word could spell one
    of its private markers (`___PAGEFIND_WEIGHT___`), which only `record_of` may write.
    Few texts hold three underscores: the others skip the regex (40 µs an abstract)."""
    return MARKER.sub("__", text) if "___" in text else text


def record_of(page: PlannedPage) -> SearchRecord:
    """Plain text everywhere: the search page (static/search.js) shows every field as text.

    The title comes first in the content, weighted as Pagefind weighs an <h1>, so a query of a
    paper's title words finds that paper first; search.js shows an excerpt from after it.
    """
    view = page.view
    assert isinstance(view, PaperView), page.source
    card = view.card
    parts = [view.abstract_html.text]  # the abstract as written
    if view.org:
        parts.append(view.org.label)
    if view.note_html:
        parts.append(text_of(view.note_html))
    content = f"{TITLE_START} {plain(card.title)} {TITLE_END}\n" + plain("\n".join(parts))
    meta = {"title": card.title, "tags": json.dumps([[tag.label, tag.url] for tag in card.tags])}
    if card.date_iso:
        meta["date"], meta["date_iso"] = card.date_label, card.date_iso
    if card.upvotes is not None:
        meta["upvotes"] = str(card.upvotes)
    if card.byline:
        meta["byline"] = card.byline.label
        if card.byline.url:
            meta["byline_url"] = card.byline.url
    filters = {"tag": [facet(tag.label) for tag in card.tags]}
    if view.org:
        filters["organisation"] = [facet(view.org.label)]
    if card.date_iso:
        filters["year"], filters["date"] = [facet(view.year)], ["Dated"]
    else:
        filters["date"] = ["Undated"]
    # Sorting drops records without the key, so undated papers and unknown upvotes get keys that sort last.
    sort = {"date": card.date_iso or UNDATED,
            "upvotes": str(upvotes_of(page))}
    return SearchRecord(url_of(page), content, meta, {k: v for k, v in filters.items() if v}, sort)


def upvotes_of(page: PlannedPage) -> int:
    """A paper page's upvotes sort key: -1 where unknown, to sort last."""
    upvotes = page.view.card.upvotes
    return -1 if upvotes is None else upvotes


def upvote_runs(shard: Iterable[PlannedPage]) -> list[list[int]]:
    """A bundle's upvotes in the order of Pagefind's sorted list, as [value, count] runs:
    the search page reads a sorted result's upvotes from its position in that list."""
    return [[value, count] for value, count in sorted(Counter(map(upvotes_of, shard)).items())]


def url_of(page: PlannedPage) -> str:
    return "/" + page.output_path.removesuffix("index.html")


def record_order(record: SearchRecord) -> tuple[str, str]:
    return record.sort["date"], record.url


def page_order(page: PlannedPage) -> tuple[str, str]:
    """A paper page's place in `record_order`, without making its record."""
    return page.view.card.date_iso or UNDATED, url_of(page)


def chunk(items: list[T], size: int, order: Callable[[T], tuple[str, str]] = record_order) -> list[list[T]]:
    """Split into bundles of `size`, oldest first, in date order: papers newer than
    all change the last bundle alone (or start a new one)."""
    oldest_first = sorted(items, key=order)
    return [oldest_first[start:start + size] for start in range(0, len(oldest_first), size)] or [[]]


def searchable(pages: Iterable[PlannedPage]) -> list[PlannedPage]:
    return [page for page in pages if page.meta.searchable]


def index_pages(pages: Iterable[PlannedPage], site_dir: Path, language: str,
                shard_size: int = SHARD_SIZE, parallel: int = PARALLEL_SHARDS, niceness: int = 0) -> int:
    """Write the bundles for the paper pages among `pages` under `site_dir`; return the number
    of records indexed. `parallel` shards at a time, each Pagefind at `niceness` (see preview/live_search.py)."""
    return index_shards(chunk(searchable(pages), shard_size, page_order), record_of,
                        site_dir, language, threading.Semaphore(parallel), niceness)


def index_shards(shards: list[Sequence[T]], record_of: Callable[[T], SearchRecord], site_dir: Path, language: str,
                 services: threading.Semaphore, niceness: int = 0) -> int:
    """Write one bundle per shard, as many at once as `services` lets in (it may let in
    more while this runs); return the number of records indexed."""
    if not sum(map(len, shards)):
        return 0  # no bundle: the search page says search is unavailable

    def index_shard(number: int) -> int:
        return index_bundle(map(record_of, shards[number]), site_dir / bundle_dir(number), language, services,
                            niceness)

    with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL_SHARDS, len(shards)))) as pool:
        indexed = sum(pool.map(index_shard, range(len(shards))))
    return link_bundles(shards, site_dir, indexed)


def index_bundle(records: Iterable[SearchRecord], bundle: Path, language: str, services: threading.Semaphore,
                 niceness: int = 0) -> int:
    """One shard's bundle, by a Pagefind service of its own once `services` lets one in;
    the number of papers indexed (the anchor aside)."""
    with services, PagefindService(niceness) as service:
        return service.index(itertools.chain([ANCHOR], records), bundle, language) - 1


def link_bundles(shards: list[Sequence[PlannedPage]], site_dir: Path, indexed: int) -> int:
    """Name the other bundles in the first (the search page reads them from there); check the
    bundles hold every paper once, and return their count. A build cache that copies some
    bundles (cache/bundles.py) finishes through here too."""
    total = sum(map(len, shards))
    others = [f"../{bundle_dir(number)}/" for number in range(1, len(shards))]
    shards_file = site_dir / BUNDLE_DIR / SHARDS_FILE
    shards_file.unlink(missing_ok=True)  # a new file: the bundle's may be hard links into a build cache
    # Each bundle's papers and upvotes, the first bundle's first: the search page merges "most upvoted" by them.
    shards_file.write_text(json.dumps({"bundles": others, "papers": [len(shard) for shard in shards],
                                       "upvotes": [upvote_runs(shard) for shard in shards]}), encoding="utf-8")
    written = sum(indexed_papers(site_dir / bundle_dir(number)) for number in range(len(shards)))
    if not indexed == written == total:
        raise fail(f"Pagefind indexed {indexed} papers of {total} and wrote {written}")
    return indexed


def indexed_papers(bundle: Path) -> int:
    """The page count Pagefind wrote into a bundle's entry file, over all languages, the anchor aside."""
    entry_file = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        return sum(language["page_count"] for language in entry["languages"].values()) - 1
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise fail(f"Pagefind wrote no readable index entry file {entry_file} ({exc})") from None


def service_counts(papers: int, shard_size: int, budget: int = MEMORY_BUDGET) -> tuple[int, int]:
    """How many Pagefind services may run at once while the build renders, and after (at least one).

    A service beside the render processes takes a core from them. Where the whole index is one
    round of services (at most PARALLEL_SHARDS bundles), it ends with the render; with more
    bundles the index waits for the render to end: at 100,000 papers one service beside it
    slowed the render from 62 s to 177 s, and the build from 430 to 558 CPU s (60a2593's bundles
    of 5,000, two clean builds one after the other)."""
    service = min(papers, shard_size) * PAGEFIND_BYTES_PER_PAPER

    def fitting(used: int) -> int:
        return max(0, min(PARALLEL_SHARDS, (budget - used) // max(1, service)))
    one_round = -(-papers // max(1, shard_size)) <= PARALLEL_SHARDS
    return (fitting(papers * RENDERING_BYTES_PER_PAPER) if one_round else 0,
            max(1, fitting(papers * RENDERED_BYTES_PER_PAPER)))


class Indexer:
    """Indexes the plan's papers on a thread of its own while the build renders.

    Used as a context manager around the build's writing: `wait()` before the
    swap returns the count or raises the indexing error; leaving early (a
    failed build) waits for the thread, whose bundle goes with the staging folder.
    Pagefind services start as `service_counts` allows: fewer, or none, until
    `rendered()` says the render workers are gone.
    """

    def __init__(self, pages: list[PlannedPage], site_dir: Path, language: str, shard_size: int = SHARD_SIZE,
                 budget: int | None = None, index: Callable[..., int] | None = None):
        """`index` stands in for `index_shards` (a reuse may wrap it: sitegen/reuse.py)."""
        self.index = index or index_shards
        self.papers = searchable(pages)
        self.site_dir, self.language, self.shard_size = site_dir, language, shard_size
        self.while_rendering, self.after_rendering = service_counts(
            len(self.papers), shard_size, MEMORY_BUDGET if budget is None else budget)
        self.services, self.allowed = threading.Semaphore(self.while_rendering), self.while_rendering
        self.indexed = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.run, name="sitegen-index", daemon=True)

    def run(self) -> None:
        try:
            shards = chunk(self.papers, self.shard_size, page_order)
            self.indexed = self.index(shards, record_of, self.site_dir, self.language, self.services)
        except BaseException as error:  # handed to wait()
            self.error = error

    def rendered(self) -> None:
        if self.allowed < self.after_rendering:
            self.services.release(self.after_rendering - self.allowed)
            self.allowed = self.after_rendering

    def wait(self) -> int:
        self.rendered()
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.indexed

    def __enter__(self) -> Indexer:
        self.thread.start()
        return self

    def __exit__(self, kind, *exc_info) -> None:
        if kind is not None and self.papers and self.thread.is_alive():
            # A failed or interrupted build: the bundles go with the staging
            # folder, so the services are stopped, not waited for (an
            # interrupted build ends in seconds, not when Pagefind is done).
            # Only a whole build indexes here, and no other services run beside it.
            for service in list(RUNNING):
                service.process.kill()
        self.rendered()  # a failed build must not leave shards waiting for a render that never ends
        self.thread.join()
