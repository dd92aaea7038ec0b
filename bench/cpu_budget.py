"""How much CPU a build's work takes, and so the least wall time the cores could give it.

    .venv/bin/python bench/cpu_budget.py CONTENT_DIR [--runs 3]

Builds CONTENT_DIR without search, each time in a fresh process and into an
empty folder beside it: as `sitegen build` does (on every core), and in one
process (every parallel step turned off). It prints the medians of wall time
and CPU time (user plus system, its forked processes included). The one
process's CPU time is the work itself, with no forking and no copied memory;
divided by the cores it is the shortest wall time that any split of today's
work over them could reach, a floor for what parallelism alone can do.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Each build runs the real command line (sitegen.cli.entry, quick exit and all).
BUILD = "import sys; from sitegen.cli import entry; sys.argv[0] = 'sitegen'; entry()"
ONE_PROCESS = (
    "import sys, sitegen.speed.forked, sitegen.write.render, sitegen.assemble.site; "
    "sitegen.speed.forked.core_count = lambda limit=4: 1; "  # parsing: one process
    "sitegen.assemble.site.PARALLEL_PAPERS = sitegen.write.render.PARALLEL_THRESHOLD = sys.maxsize; "  # text passes, rendering
    + BUILD
)


def measure(code: str, content: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, descendants included) of one build."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, "build", "--no-search", "--content", str(content), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="cpu-budget-", dir=args.content.resolve().parent) as folder:
        out = Path(folder) / "public"
        results = {}
        for label, code in (("every core", BUILD), ("one process", ONE_PROCESS)):
            runs = [measure(code, args.content, out) for _ in range(args.runs)]
            results[label] = (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
    print(f"build --no-search of {args.content}, medians of {args.runs}, {cores} cores")
    for label, (wall, cpu) in results.items():
        print(f"  {label:12}  wall {wall:.2f} s  CPU {cpu:.2f} s")
    wall, cpu = results["every core"]
    work = results["one process"][1]
    print(f"  the work itself takes {work:.2f} CPU-s: at least {work / cores:.2f} s on {cores} cores, "
          f"however it is split; forking and copying add {cpu - work:.2f} CPU-s today")


if __name__ == "__main__":
    main()
