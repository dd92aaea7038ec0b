"""`sitegen serve`: build, serve, watch, rebuild; the loop a curator works in.

Threads, and what each one owns:
- main: the HTTP server (preview/server.py), which answers each request on a thread of its own;
- watcher: watchdog's observer and the debounce (preview/watch.py);
- rebuilder: the only thread that builds. Builds run one at a time; changes
  that come in during a build are gathered into the next one;
- sweeper: removes the sites that builds replaced;
- search: rebuilds the search index after each good build (preview/live_search.py),
  so a reload never waits for Pagefind.

An edit's rebuild is quick: it reuses the related papers of unchanged papers
(memo/text_memo.py) and trusts that the output folder still holds what it wrote.
Once no edit is waiting, the rebuilder follows it with an exact build, which
computes related papers afresh, checks every page is still on disk, and
rewrites whatever differs; open pages reload again if anything did. An edit
that comes in meanwhile cancels it (it is done again after that edit's
rebuild). When it is done, the output is byte for byte what `sitegen build`
makes of the same content (the search index follows on its own thread).

The rebuilder owns "the last good build": `build()` only ever replaces the
output folder with a complete, good site (an atomic swap), so the server
keeps serving the previous one during a rebuild and after a failed one, and
`BuildStatus` tells the server and the open pages which build that is and
what went wrong since.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from sitegen.build import PROJECT_DIR, BuildOptions, BuildResult, Cancelled, build
from sitegen.core.diagnostics import BuildError, Diagnostic, Severity
from sitegen.preview.headers import production_headers
from sitegen.preview.incremental import MemoryReuse
from sitegen.preview.leaving import out_of_the_way, remove_after_exit
from sitegen.preview.live_search import LiveSearch, search_dir_for
from sitegen.preview.server import BuildStatus, PreviewServer
from sitegen.preview.stopping import ignore_stop_signals
from sitegen.preview.watch import Watcher
from sitegen.reuse import Mode

Log = Callable[[str], None]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
ABANDON_AFTER = 0.3  # seconds a build in progress has to stop by itself when the server stops


def crash_report(error: Exception) -> str:
    """One diagnostic line for a bug in sitegen, pointing at the line that raised."""
    where = traceback.extract_tb(error.__traceback__)[-1]
    return (f"{where.filename}:{where.lineno}: error: sitegen crashed ({type(error).__name__}: {error}); "
            "this is a bug in sitegen, please report it with the file that set it off")


def changed_names(paths: set[Path]) -> str:
    names = sorted({path.name for path in paths})
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


class Sweeper:
    """Removes replaced sites on a thread of its own: thousands of unlinks take
    seconds on a slow disk, and neither the reload nor the next build should wait."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[Path | None] = queue.SimpleQueue()
        self.removing: Path | None = None  # the folder being removed now
        self.thread = threading.Thread(target=self.run, name="sitegen-sweep", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def remove(self, folders: list[Path]) -> None:
        for folder in folders:
            self.queue.put(folder)

    def run(self) -> None:
        while (folder := self.queue.get()) is not None:
            self.removing = folder
            shutil.rmtree(folder, ignore_errors=True)
            self.removing = None

    def stop(self) -> list[Path]:
        """End the thread without waiting for it; the folders it has not removed yet, for whoever removes them."""
        left = [self.removing] if self.removing else []
        while not self.queue.empty():
            left.extend(folder for folder in [self.queue.get_nowait()] if folder is not None)
        self.queue.put(None)
        return left


class Rebuilder:
    def __init__(self, options: BuildOptions, status: BuildStatus, log: Log, search: LiveSearch | None = None):
        self.options, self.status, self.log, self.search = options, status, log, search
        self.cache = MemoryReuse()
        self.wake = threading.Condition()
        self.wanted = False
        self.changed: set[Path] = set()
        self.stopping = False
        self.unsettled = False  # the output comes from a quick build, not yet followed by an exact one
        self.settling = False  # the build in progress is the exact one, which an edit cancels
        self.warnings: set[str] = set()  # printed after the previous good build
        self.sweeper = Sweeper()
        self.thread = threading.Thread(target=self.run, name="sitegen-rebuild", daemon=True)

    def start(self) -> None:
        self.sweeper.start()
        self.thread.start()

    def request(self, changed: Iterable[Path]) -> None:
        """Ask for a build; returns at once."""
        with self.wake:
            self.wanted = True
            self.changed.update(changed)
            self.wake.notify()

    def stop(self, patience: float | None = None) -> None:
        """Cancel the build in progress at its next phase, and wait for it, `patience` seconds at most:
        a build into a folder that is thrown away anyway is left to end with the process."""
        with self.wake:
            self.stopping = True
            self.wake.notify()
        if self.thread.is_alive():
            self.thread.join(patience)
        remove_after_exit(self.sweeper.stop())

    def run(self) -> None:
        while True:
            with self.wake:
                self.wake.wait_for(lambda: self.wanted or self.stopping or self.unsettled)
                if self.stopping:
                    return
                settle = not self.wanted
                changed, self.changed, self.wanted = self.changed, set(), False
            self.settle() if settle else self.rebuild(changed)

    def cancelled(self) -> bool:
        """build()'s `cancel`, asked as each phase begins: the server stops, or an edit comes in while settling."""
        return self.stopping or (self.settling and self.wanted)

    def build_once(self, quick: bool = True) -> BuildResult:
        # Without the index: pages reload at once and the search catches up behind them.
        self.settling = not quick
        try:
            return build(replace(self.options, search=False, keep_replaced=True), reuse=self.cache,
                         mode=Mode.QUICK if quick else Mode.EXACT, cancel=self.cancelled)
        finally:
            self.settling = False

    def attempt(self, quick: bool) -> BuildResult | None:
        """One build; None if it failed (reported) or was cancelled."""
        try:
            return self.build_once(quick)
        except Cancelled:
            return None
        except BuildError as error:
            if not self.stopping:  # a build left behind on the way out, its folder renamed away: no news
                self.failed([str(d) for d in error.diagnostics])
        except Exception as error:  # a bug in sitegen must not stop the preview
            if not self.stopping:
                self.failed([crash_report(error)])
        return None

    def settle(self) -> None:
        """The exact build after a quick one; tells open pages to reload only if it changed a file."""
        start = time.perf_counter()
        result = self.attempt(quick=False)
        if result is None:
            return
        self.unsettled = False
        if result.output.written:
            self.published(result)
        self.log(f"settled in {(time.perf_counter() - start) * 1000:.0f} ms (related papers exact, "
                 f"{result.output.written} file(s) updated)")
        self.sweep(result)

    def rebuild(self, changed: set[Path]) -> None:
        start = time.perf_counter()
        result = self.attempt(quick=True)
        if result is None:
            return
        # Also after a build into a fresh folder (the first, or after a template edit): the exact
        # build after it makes the feeds and exports in this process, so the next edit's need not.
        self.unsettled = not (result.exact and result.output.in_place)
        self.published(result)
        milliseconds = (time.perf_counter() - start) * 1000
        warnings = [str(d) for d in result.report.sorted()]
        for line in warnings:
            if line not in self.warnings:
                self.log(line)
        self.warnings = set(warnings)
        rendered = len(result.plan.pages) - result.output.reused
        note = f"{len(warnings)} warning(s)" if warnings else "no warnings"
        if changed:
            self.log(f"rebuilt in {milliseconds:.0f} ms ({changed_names(changed)} changed; "
                     f"{rendered} of {len(result.plan.pages)} pages rendered; {note})")
        else:
            self.log(f"built {len(result.plan.pages)} pages for {len(result.site.papers)} papers "
                     f"in {milliseconds:.0f} ms ({note})")
        self.sweep(result)

    def sweep(self, result: BuildResult) -> None:
        """Remove the site this build replaced, if any, behind the reload."""
        if result.replaced is not None:
            self.sweeper.remove([result.replaced])

    def published(self, result: BuildResult) -> None:
        """The served site changed: open pages reload, and the search index follows."""
        self.status.succeeded()
        if self.search is not None:
            self.search.request(result.plan.pages, result.plan.chrome.language)

    def failed(self, errors: list[str]) -> None:
        self.unsettled = False  # nothing to make exact until the next good build
        for line in errors:
            self.log(line)
        good = self.status.current().epoch
        self.log("build failed; " + ("still serving the last good site" if good else "nothing to serve yet")
                 + " until the next good build")
        self.status.failed(errors)


def serve(content_dir: Path, host: str, port: int, out_dir: Path | None, log: Log) -> None:
    """Serve `content_dir` as a site until KeyboardInterrupt; then stop every thread and clean up.

    Without `out_dir` the site is built into a private temporary folder,
    removed on the way out. Raises BuildError if the port cannot be had.
    """
    with ExitStack() as cleanup:
        keep = out_dir  # the folder the curator asked for, kept whole on the way out
        if out_dir is None:
            work_dir = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
            cleanup.callback(lambda: remove_after_exit([out_of_the_way(work_dir)]))  # preview/leaving.py
            out_dir = work_dir / "site"
        status = BuildStatus()
        search_dir = search_dir_for(out_dir)
        headers, note = production_headers(PROJECT_DIR / "netlify.toml")
        if note:
            log(note)
        try:
            server = PreviewServer(host, port, out_dir, status, search_dir, headers)
        except OSError as error:
            raise BuildError([Diagnostic(f"{host}:{port}", 0, Severity.ERROR, f"cannot listen there: "
                              f"{error.strerror}; pass another --port (0 picks a free one)")]) from None
        cleanup.callback(server.server_close)
        cleanup.callback(status.close)  # ends the event streams
        options = BuildOptions(content_dir=content_dir, out_dir=out_dir, base_url=server.url)
        search = LiveSearch(search_dir, log)
        search.start()
        cleanup.callback(search.stop, keep)  # after the rebuilder's, which may still ask for an index
        rebuilder = Rebuilder(options, status, log, search)
        watcher = Watcher([content_dir, options.templates_dir, options.static_dir], out_dir, rebuilder.request)
        rebuilder.start()
        # A build into the temporary folder is not waited for: the folder goes (preview/leaving.py).
        cleanup.callback(rebuilder.stop, None if keep else ABANDON_AFTER)
        watcher.start()
        cleanup.callback(watcher.stop)
        rebuilder.request([])
        cleanup.callback(ignore_stop_signals)  # first on the way out (preview/stopping.py)
        log(f"serving {content_dir} at {server.url} (Ctrl-C to stop)")
        if host not in LOCAL_HOSTS:
            log(f"note: listening on {host}, so other machines can open this preview too")
        server.serve_forever()
