"""The preview's search index, kept up to date behind the reloads.

`sitegen serve` builds without the index, so an edit reaches the open pages
as soon as its pages are written; this indexer then rebuilds the index on a
thread of its own. The bundles live in a folder of their own beside the
site (`.NAME.search`), which the preview server answers /pagefind*/ from, so
a site swap never loses the index and an index swap never touches the pages.

Each index is written into a fresh folder and exchanged with the live one in
one atomic step (writer.swap), so a search sees the old index or the new one,
never half of each. An index starts once no build has asked for one for
`quiet` seconds, and requests made meanwhile are merged: only the newest plan
is indexed. Pagefind runs one shard at a time at low priority, so the next
edit's rebuild keeps a core. A failed index is reported and the previous one
kept.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sitegen.core.diagnostics import BuildError
from sitegen.plan.planner import PlannedPage
from sitegen.search.index import SHARD_SIZE, index_pages
from sitegen.search.service import RUNNING
from sitegen.write.writer import swap

Log = Callable[[str], None]


def search_dir_for(out_dir: Path) -> Path:
    """Where the preview keeps the index of the site it serves from `out_dir`."""
    return out_dir.parent / f".{out_dir.name}.search"


class LiveSearch:
    def __init__(self, folder: Path, log: Log, shard_size: int = SHARD_SIZE, quiet: float = 1.0):
        self.folder, self.log, self.shard_size, self.quiet = folder, log, shard_size, quiet
        self.wake = threading.Condition()
        self.wanted: tuple[list[PlannedPage], str] | None = None
        self.stopping = False
        self.indexed = 0  # indexes swapped in, for callers that wait for one
        self.thread = threading.Thread(target=self.run, name="sitegen-search", daemon=True)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.thread.start()

    def request(self, pages: list[PlannedPage], language: str) -> None:
        """Index these pages' papers once the index in progress is done; returns at once."""
        with self.wake:
            self.wanted = (pages, language)
            self.wake.notify()

    def stop(self, publish_to: Path | None = None) -> None:
        """End the thread. With a site folder `publish_to` to keep, first finish
        the index asked for last and move the bundles there, so it is a whole
        site again; without one, an index not yet started is dropped, since
        nobody will search it."""
        with self.wake:
            self.stopping = True
            if publish_to is None:
                self.wanted = None
                for service in list(RUNNING):  # the index being made is dropped too: no waiting for it
                    service.process.kill()
            self.wake.notify()
        if self.thread.is_alive():
            self.thread.join()
        if publish_to is not None and publish_to.is_dir() and self.folder.is_dir():
            for bundle in sorted(self.folder.iterdir()):
                bundle.rename(publish_to / bundle.name)  # builds in the preview write no bundles there
        shutil.rmtree(self.folder, ignore_errors=True)

    def run(self) -> None:
        while True:
            with self.wake:
                self.wake.wait_for(lambda: self.wanted is not None or self.stopping)
                if self.wanted is None:
                    return  # stopping, with nothing left to index
                while not self.stopping and self.wake.wait(self.quiet):
                    pass  # a newer request: wait until edits pause, then index the newest
                if self.wanted is None:
                    return  # stopping dropped it
                (pages, language), self.wanted = self.wanted, None
            self.index(pages, language)

    def index(self, pages: list[PlannedPage], language: str) -> None:
        start = time.perf_counter()
        fresh = Path(tempfile.mkdtemp(prefix=f"{self.folder.name}.new-", dir=self.folder.parent))
        try:
            # One shard at a time, at low priority: the next edit's rebuild gets the other core.
            count = index_pages(pages, fresh, language, self.shard_size, parallel=1, niceness=10)
            swap(fresh, self.folder)  # `fresh` now holds the previous index
        except BuildError as error:
            if self.stopping:
                return  # stop() killed its Pagefind
            for diagnostic in error.diagnostics:
                self.log(str(diagnostic))
            self.log("search index not updated; searches use the previous one")
            return
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
        with self.wake:
            self.indexed += 1
        self.log(f"search index updated in {(time.perf_counter() - start) * 1000:.0f} ms ({count} papers)")
