"""The build, top to bottom: read -> merge -> assemble -> plan -> render -> index -> swap.

Each phase is timed. Nothing reaches the output folder until every page has
been rendered into a staging folder; any failure leaves the previous site
untouched. This driver is also the one place for what exists only for
speed: the collector policy around phases (speed/gcpause.py), and the reuse
of earlier work through one seam (sitegen/reuse.py), whose implementations
live elsewhere (preview/incremental.py) and are passed in.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.read.content import Content, load_content
from sitegen.core.diagnostics import BuildError, Diagnostic, Diagnostics, Severity
from sitegen.reuse import Fresh, Mode, Output, Reuse
from sitegen.speed.gcpause import gc_paused
from sitegen.read.listings import listing_files, parse_ahead
from sitegen.assemble.merge import merge_papers
from sitegen.read.parser import parse_listing
from sitegen.plan.outputs import FILE_BATCHES, PlannedFile
from sitegen.plan.planner import Assets, Plan, PlannedPage, plan_site
from sitegen.write.render import make_environment, render_all
from sitegen.search.index import SHARD_SIZE, Indexer, check_bundle_path_free, index_shards
from sitegen.assemble.site import Site, assemble
from sitegen.plan.urls import Urls
from sitegen.plan.views import PaperView
from sitegen.write.writer import Staging, hashed_name
from sitegen.check.strict_links import refuse_broken_links
from sitegen.check.curator_html import flag_curator_html

PROJECT_DIR = Path(__file__).resolve().parent.parent
HASHED_ASSETS = ("style.css", "site.js", "search.js", "search.css", "cite.css", "saved.js", "keys.js")  # cached forever under a hashed name


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    out_dir: Path = Path("public")
    base_url: str | None = None
    strict: bool = False
    search: bool = True  # write the Pagefind index; off for quick builds
    search_shard_size: int = SHARD_SIZE  # papers per search bundle (search/index.py)
    templates_dir: Path = PROJECT_DIR / "templates"
    static_dir: Path = PROJECT_DIR / "static"
    # Leave the site a build replaced for the caller to remove (BuildResult.replaced): a preview
    # does so after telling the browsers, as removing thousands of files takes a while.
    keep_replaced: bool = False


@dataclass
class BuildResult:
    report: Diagnostics
    site: Site | None = None
    plan: Plan | None = None
    timings: dict[str, float] = field(default_factory=dict)
    output: Output = Output(written=0, reused=0, in_place=False)
    exact: bool = True  # whether the site is what a clean build makes (a quick rebuild's may not be)
    replaced: Path | None = None  # with options.keep_replaced: the site swapped out, for the caller to remove

    def summary(self) -> str:
        total = sum(self.timings.values())
        phases = ", ".join(f"{name} {seconds:.2f}" for name, seconds in self.timings.items())
        papers = len(self.site.papers) if self.site else 0
        pages = len(self.plan.pages) if self.plan else 0
        files = len(self.plan.files) if self.plan else 0
        return (f"built {pages} pages and {files} other files for {papers} papers in {total:.2f} s ({phases}); "
                f"{len(self.report.warnings)} warning(s)")


class Cancelled(Exception):
    """Raised as a phase begins when the build's `cancel` says so: the output folder is untouched."""


class Timer:
    def __init__(self, timings: dict[str, float], progress: Callable[[str], None] | None,
                 cancel: Callable[[], bool] | None = None):
        self.timings, self.progress, self.cancel = timings, progress, cancel

    @contextmanager
    def phase(self, name: str, detail: str = "") -> Iterator[None]:
        if self.cancel is not None and self.cancel():
            raise Cancelled(name)
        if self.progress:
            self.progress(f"{name}{': ' + detail if detail else ''} …")
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def stop_if_failed(report: Diagnostics, strict: bool) -> None:
    if report.failed(strict):
        raise BuildError(report.sorted())


def static_files(static_dir: Path) -> dict[str, bytes]:
    """Output name -> bytes of every static file, with hashed names where cached forever."""
    files = {}
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(static_dir).as_posix()
        data = path.read_bytes()
        files[hashed_name(relative, data) if relative in HASHED_ASSETS else relative] = data
    return files


def check_theme(options: BuildOptions) -> None:
    """Templates and static files live in sitegen's project folder, beside `sitegen/`."""
    needed = [options.templates_dir / "base.html", *(options.static_dir / name for name in HASHED_ASSETS)]
    missing = [path for path in needed if not path.is_file()]
    if missing:
        raise BuildError([Diagnostic(str(missing[0]), 0, Severity.ERROR,
                                     "theme file not found; sitegen reads templates/ and static/ from its project "
                                     "folder, so install it from a checkout with `pip install -e .`")])


def assets_of(files: dict[str, bytes]) -> Assets:
    def find(name: str) -> str:
        stem, _, suffix = name.rpartition(".")
        return next(n for n in files if n.startswith(stem + ".") and n.endswith("." + suffix))
    return Assets(css=find("style.css"), js=find("site.js"), search_js=find("search.js"), search_css=find("search.css"),
                  stylesheets=(find("cite.css"),), scripts=(find("saved.js"), find("keys.js")))


def batches_of(pages: list[PlannedPage], files: list[PlannedFile]) -> list[list[PlannedPage | PlannedFile]]:
    """What render_all makes in batches: each batch of whole-archive files (PlannedFile.batch), the
    costliest first, then the list pages with the other files. A warm build renders few pages besides:
    these batches are most of its rendering, made side by side."""
    batches: dict[str, list[PlannedPage | PlannedFile]] = {name: [] for name in FILE_BATCHES}
    batches[""] = [page for page in pages if not isinstance(page.view, PaperView)]
    for file in files:
        if not file.dealt:
            batches[file.batch].append(file)
    return [batch for batch in batches.values() if batch]


def load(options: BuildOptions, report: Diagnostics, timer: Timer, reuse: Reuse, mode: Mode) -> tuple[Content, Site]:
    # The collector policy of the whole build is here, around its phases. Each
    # phase builds hundreds of thousands of objects that live until the build
    # ends, without cycles among them: the collector is paused while it does (a
    # collection walks every object the phase has made so far: at 100,000
    # papers such walks took 5-7 s of the read and plan phases, 30 times their
    # cost at 10,000), and what it made is frozen after it, out of the
    # collector's sight until the build ends (build() unfreezes).
    with timer.phase("read"), gc_paused(freeze=True):
        parse = reuse.parse(parse_listing)
        if parse is parse_listing and options.content_dir.is_dir():  # nothing reused: parse every dump on every core
            parse = parse_ahead(listing_files([options.content_dir], Diagnostics()))
        content = load_content(options.content_dir, report, options.base_url, parse)
        flag_curator_html(content, report)  # scripts and off-site resources in pages and notes
    stop_if_failed(report, options.strict)
    with timer.phase("merge"), gc_paused(freeze=True):
        papers = reuse.merge(merge_papers)(list(content.listings), report)
    with timer.phase("assemble", f"{len(papers)} papers"), gc_paused(freeze=True):
        site = reuse.assemble(assemble, mode)(content, papers, report)
    stop_if_failed(report, options.strict)
    return content, site


def build(options: BuildOptions, progress: Callable[[str], None] | None = None, reuse: Reuse | None = None,
          mode: Mode = Mode.EXACT, cancel: Callable[[], bool] | None = None) -> BuildResult:
    """Build the site into `options.out_dir`. Raises BuildError; never leaves a half-written site.

    `reuse` (sitegen.reuse; `sitegen serve` keeps one across rebuilds) makes
    parts from earlier work where their inputs are unchanged; the output is the
    same without it, apart from what `mode` allows a quick rebuild. `cancel`
    is asked as each phase begins: when it says so, the build stops there
    with `Cancelled`, its output folder untouched.
    """
    check_theme(options)
    try:
        return build_site(options, progress, reuse or Fresh(), mode, cancel)
    finally:
        gc.unfreeze()  # what the build froze may be collected once the build is over


def build_site(options: BuildOptions, progress: Callable[[str], None] | None, reuse: Reuse, mode: Mode,
               cancel: Callable[[], bool] | None) -> BuildResult:
    result = BuildResult(Diagnostics())
    timer = Timer(result.timings, progress, cancel)
    content, site = load(options, result.report, timer, reuse, mode)
    result.site, result.exact = site, reuse.exact()
    urls = Urls(content.config.base_url)
    statics = static_files(options.static_dir)
    with timer.phase("plan"), gc_paused(freeze=True):  # see load()
        assets = assets_of(statics)
        plan = result.plan = reuse.plan(plan_site)(site, urls, assets)
        check_bundle_path_free(plan.pages)
    env = reuse.environment(make_environment)(options.templates_dir)
    reusing = not isinstance(reuse, Fresh)  # a fresh build has no earlier output to update or link from
    if reusing and not options.search:
        with timer.phase("update", "changed pages, in place"):
            output = reuse.update(plan, options.templates_dir, env, statics, options.out_dir, mode)
            if output is not None:
                result.output = output
                return result
    with Staging(options.out_dir, keep_replaced=options.keep_replaced) as staging, \
            Indexer(plan.pages if options.search else [], staging.path, plan.chrome.language,
                    options.search_shard_size, index=reuse.index(index_shards)) as indexer:
        # The index is written beside the pages, on a thread of its own.
        pages, files = plan.pages, plan.files
        if reusing:
            with timer.phase("reuse"):
                pages, files = reuse.unchanged(plan, options.templates_dir, staging)
        with timer.phase("render", f"{len(pages)} pages, {len(files)} feeds, sitemaps and exports"):
            # Paper pages are most of the work and share little: they are dealt out to
            # whichever process is free. The rest share cards and paper records.
            papers = [page for page in pages if isinstance(page.view, PaperView)]
            dealt = [file for file in files if file.dealt]  # social cards, papers' JSON: each stands alone
            render_all(env, [*papers, *dealt], plan.chrome, staging.write, batches=batches_of(pages, files))
            for name, data in statics.items():
                staging.write(f"static/{name}", data)
        indexer.rendered()  # the render worker is gone: its core and memory go to Pagefind
        if options.strict:  # the deploy: no broken link in a curator's page (check/strict_links.py)
            refuse_broken_links(staging.path, plan, content.config.base_url)
        if options.search:
            with timer.phase("index", "waiting for the search index"):
                indexer.wait()
        with timer.phase("swap"):
            staging.commit()
    kept = time.perf_counter()
    reuse.committed(plan)  # not a phase: a cancel must not stop it once the output is swapped in
    if reusing:  # a build cache keeps its pages here: its time shows
        result.timings["keep"] = time.perf_counter() - kept
    result.output = Output(written=len(plan.pages) + len(plan.files), reused=len(plan.pages) - len(pages),
                           in_place=False)
    if options.keep_replaced and staging.path.exists():  # not after the first build, which replaced nothing
        result.replaced = staging.path
    return result
