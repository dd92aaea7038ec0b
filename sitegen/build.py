"""The build, top to bottom: read -> merge -> assemble -> plan -> render -> index -> swap.

Each phase is timed. Nothing reaches the output folder until every page has
been rendered into a staging folder; any failure leaves the previous site
untouched.
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
from sitegen.speed.gcpause import gc_paused
from sitegen.preview.incremental import BuildCache
from sitegen.read.listings import listing_files, parse_ahead
from sitegen.assemble.merge import merge_papers
from sitegen.read.parser import parse_listing
from sitegen.plan.planner import Assets, Plan, plan_site
from sitegen.write.render import make_environment, render_all
from sitegen.search.index import SHARD_SIZE, Indexer, check_bundle_path_free
from sitegen.assemble.site import Site, assemble
from sitegen.plan.urls import Urls
from sitegen.plan.views import PaperView
from sitegen.write.writer import Staging, hashed_name

PROJECT_DIR = Path(__file__).resolve().parent.parent
HASHED_ASSETS = ("style.css", "site.js")  # referenced from every page, so cached forever under a hashed name


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


@dataclass
class BuildResult:
    report: Diagnostics
    site: Site | None = None
    plan: Plan | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        total = sum(self.timings.values())
        phases = ", ".join(f"{name} {seconds:.2f}" for name, seconds in self.timings.items())
        papers = len(self.site.papers) if self.site else 0
        pages = len(self.plan.pages) if self.plan else 0
        files = len(self.plan.files) if self.plan else 0
        return (f"built {pages} pages and {files} other files for {papers} papers in {total:.2f} s ({phases}); "
                f"{len(self.report.warnings)} warning(s)")


class Timer:
    def __init__(self, timings: dict[str, float], progress: Callable[[str], None] | None):
        self.timings, self.progress = timings, progress

    @contextmanager
    def phase(self, name: str, detail: str = "") -> Iterator[None]:
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
    return Assets(css=find("style.css"), js=find("site.js"))


def load(options: BuildOptions, report: Diagnostics, timer: Timer, cache: BuildCache | None = None) -> tuple[Content, Site]:
    # Each phase builds hundreds of thousands of objects that live until the
    # build ends, without cycles among them: the collector is paused while it
    # does (a collection walks every object the phase has made so far: at
    # 100,000 papers such walks took 5-7 s of the read and plan phases, 30
    # times their cost at 10,000), and what it made is frozen after it, out
    # of the collector's sight until the build ends (build() unfreezes).
    with timer.phase("read"), gc_paused(freeze=True):
        if cache is not None:
            parse = cache.parse
        else:  # a whole build parses every dump: on every core
            parse = parse_ahead(listing_files([options.content_dir], Diagnostics())) if options.content_dir.is_dir() else parse_listing
        content = load_content(options.content_dir, report, options.base_url, parse)
    stop_if_failed(report, options.strict)
    with timer.phase("merge"), gc_paused(freeze=True):
        papers = merge_papers(list(content.listings), report, cache.merging if cache is not None else None)
    with timer.phase("assemble", f"{len(papers)} papers"), gc_paused(freeze=True):
        site = assemble(content, papers, report, *cache.assembling() if cache is not None else ())
    stop_if_failed(report, options.strict)
    return content, site


def build(options: BuildOptions, progress: Callable[[str], None] | None = None,
          cache: BuildCache | None = None) -> BuildResult:
    """Build the site into `options.out_dir`. Raises BuildError; never leaves a half-written site.

    A `cache` (kept by `sitegen serve` across rebuilds) skips parsing unchanged
    listings and rendering unchanged pages; the output is the same without it.
    Without search it updates the previous output in place where it can
    (preview/incremental.py); otherwise the replaced site is left for the caller
    (`cache.take_replaced()`).
    """
    check_theme(options)
    try:
        return build_site(options, progress, cache)
    finally:
        gc.unfreeze()  # what the build froze may be collected once the build is over


def build_site(options: BuildOptions, progress: Callable[[str], None] | None, cache: BuildCache | None) -> BuildResult:
    result = BuildResult(Diagnostics())
    timer = Timer(result.timings, progress)
    content, site = load(options, result.report, timer, cache)
    result.site = site
    urls = Urls(content.config.base_url)
    statics = static_files(options.static_dir)
    with timer.phase("plan"), gc_paused(freeze=True):  # see load()
        assets = assets_of(statics)
        plan = result.plan = plan_site(site, urls, assets, *cache.planning(site, assets) if cache is not None else ())
        check_bundle_path_free(plan.pages)
    env = cache.environment(options.templates_dir) if cache is not None else make_environment(options.templates_dir)
    if cache is not None and not options.search:
        with timer.phase("update", "changed pages, in place"):
            if cache.update_in_place(plan, options.templates_dir, env, statics, options.out_dir):
                return result
    with Staging(options.out_dir, keep_replaced=cache is not None) as staging, \
            Indexer(plan.pages if options.search else [], staging.path, plan.chrome.language,
                    options.search_shard_size) as indexer:
        pages = plan.pages  # the index is written beside the pages, on a thread of its own
        if cache is not None:
            with timer.phase("reuse"):
                pages = cache.link_unchanged(plan, options.templates_dir, staging)
        with timer.phase("render", f"{len(pages)} pages, {len(plan.files)} feeds, sitemaps and exports"):
            # Paper pages are most of the work and share little: they are dealt out to
            # whichever process is free. The rest share cards and paper records.
            papers = [page for page in pages if isinstance(page.view, PaperView)]
            rest = [page for page in pages if not isinstance(page.view, PaperView)]
            dealt = [file for file in plan.files if file.dealt]  # social cards: slow to draw, and share nothing
            render_all(env, [*papers, *dealt], plan.chrome, staging.write,
                       together=[*rest, *(file for file in plan.files if not file.dealt)])
            for name, data in statics.items():
                staging.write(f"static/{name}", data)
        indexer.rendered()  # the render worker is gone: its core and memory go to Pagefind
        if options.search:
            with timer.phase("index", "waiting for the search index"):
                indexer.wait()
        with timer.phase("swap"):
            staging.commit()
    if cache is not None:
        cache.committed(replaced=staging.path)
    return result
