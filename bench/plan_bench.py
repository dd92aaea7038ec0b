"""CPU time of the plan phase and of the planned files, in process, collector off.

    .venv/bin/python bench/plan_bench.py CONTENT_DIR [--rounds 5] [--profile]
    .venv/bin/python bench/plan_bench.py CONTENT_DIR --cached [--rounds 5]

Prints the median process time of `plan_site`, of every planned file's
`render()` (feeds, sitemap, robots.txt, JSON export) in one process and
summed over two (as a build's render processes share them), and of every paper
page's JSON-LD (`meta.json_ld.__html__()`). Process time, not wall time:
other processes on a shared machine do not count.

`--cached` times planning as a warm build plans, through the build cache's
steps (cache/disk.py), every paper page held by the cache: each one keyed by
its inputs and planned without its view. Each round plans with a new
`DiskReuse` (a build's), over an empty cache folder that says it holds every page.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.build import PROJECT_DIR, Timer, assets_of, load, static_files  # noqa: E402
from sitegen.build import BuildOptions  # noqa: E402
from sitegen.reuse import Fresh, Mode  # noqa: E402
from sitegen.core.diagnostics import Diagnostics  # noqa: E402
from sitegen.plan.outputs import PlannedFile  # noqa: E402
from sitegen.plan.planner import plan_site  # noqa: E402
from sitegen.plan.urls import Urls  # noqa: E402
from sitegen.cache.disk import DiskReuse  # noqa: E402
from sitegen.cache.store import Store  # noqa: E402


class EveryKey(dict):
    def __contains__(self, key: object) -> bool:
        return True


class HoldsEveryPage(Store):
    """A cache that says it holds a rendered page under every key."""

    def page_inodes(self) -> dict[str, int]:
        return EveryKey()


def cached_plans(site, urls, assets, content: Path, rounds: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as folder, HoldsEveryPage(Path(folder) / "cache", lambda note: None) as store:
        for _ in range(rounds):
            reuse = DiskReuse(store, content, PROJECT_DIR / "templates")
            planning = reuse.plan(plan_site)
            times.append(cpu(lambda: planning(site, urls, assets)))
            assert reuse.paper_pages.kept == len(site.papers), "every paper page planned as kept"
    return times


def cpu(work) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def shares(site, urls, assets, processes: int = 2) -> list[list[PlannedFile]]:
    """The planned files each render process makes (render_all deals pages and files out in turn),
    each from a plan of its own, as a forked process has."""
    result = []
    for start in range(processes):
        plan = plan_site(site, urls, assets)
        result.append([item for item in [*plan.pages, *plan.files][start::processes] if isinstance(item, PlannedFile)])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("content", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top items of one plan")
    parser.add_argument("--cached", action="store_true", help="time planning through the build cache's steps only")
    args = parser.parse_args()
    gc.disable()
    _, site = load(BuildOptions(content_dir=args.content), Diagnostics(), Timer({}, None), Fresh(), Mode.EXACT)
    urls = Urls(site.config.base_url)
    assets = assets_of(static_files(PROJECT_DIR / "static"))
    if args.cached:
        times = cached_plans(site, urls, assets, args.content, args.rounds)
        print(f"{len(site.papers)} papers, every paper page held by the cache; CPU seconds of each planning: "
              + ", ".join(f"{t:.3f}" for t in times) + f" (median {statistics.median(times):.3f})")
        return
    plans, files, shared_files, json_ld = [], [], [], []
    for _ in range(args.rounds):
        plan = None

        def make_plan() -> None:
            nonlocal plan
            plan = plan_site(site, urls, assets)
        plans.append(cpu(make_plan))
        files.append(cpu(lambda: [file.render() for file in plan.files]))
        shared_files.append(sum(cpu(lambda: [file.render() for file in share]) for share in shares(site, urls, assets)))
        facts = [page.meta.json_ld for page in plan.pages if page.meta.json_ld is not None]
        json_ld.append(cpu(lambda: [fact.__html__() for fact in facts]) / len(facts))
    print(f"{len(site.papers)} papers, {len(plan.pages)} pages, {len(plan.files)} files; "
          f"median of {args.rounds} rounds, CPU seconds:")
    print(f"  plan_site            {statistics.median(plans):.3f} s")
    print(f"  planned files render {statistics.median(files):.3f} s")
    print(f"  ... in 2 processes   {statistics.median(shared_files):.3f} s (summed)")
    print(f"  JSON-LD per paper    {statistics.median(json_ld) * 1e6:.1f} us")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(plan_site, site, urls, assets)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
