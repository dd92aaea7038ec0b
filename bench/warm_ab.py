"""Warm cached builds of two checkouts, interleaved: an A/B pair that a slow or shared machine cannot skew.

    .venv/bin/python bench/warm_ab.py --before /tmp/before [--after .] [--papers 10000] [--rounds 3] [--search]

`--before` is another checkout of sitegen (say `git worktree add /tmp/before main~3`).
Each checkout builds its own copy of the reference archive (bench/reference.py)
with a warm cache of its own, every build a process of its own started in that
checkout, so it imports that checkout's sitegen. Each round, for each checkout
(which goes first alternates): a build with nothing changed; then one after a
new listing of 100 papers, renamed every round so no cache has seen it; then
one after an edited abstract (both undone before the next round). Prints each
build's CPU seconds (every process it forked or ran) and wall seconds, with
its phases: compare the two checkouts within a round, not across rounds.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.incremental_bench import RUN, edit_abstract, new_listing  # noqa: E402
from bench.reference import write_content  # noqa: E402

NEW_LISTING = "2025-11-02-cached.txt"  # the file incremental_bench.new_listing writes


def build(checkout: Path, work: Path, search: bool) -> tuple[float, float, dict]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, str(work), str(work / "cache"), "1" if search else "0", "public"],
                          cwd=checkout, capture_output=True, text=True)  # `-c` imports from its working folder first
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(done.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, json.loads(done.stdout.strip().splitlines()[-1])["timings"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="another checkout of sitegen")
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--search", action="store_true")
    args = parser.parse_args()
    checkouts = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory(prefix="warm-ab-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as temp:
        source = Path(temp) / "content"
        write_content(source, args.papers)
        for name, checkout in checkouts.items():
            work = Path(temp) / name
            shutil.copytree(source, work / "content")
            shutil.copytree(checkout / "templates", work / "templates")
            build(checkout, work, args.search)  # cold
            build(checkout, work, args.search)  # warm, and with the folders of a replaced site (cache/skeleton.py)
        print("| round | checkout | build | CPU s | wall s | phases (wall s) |\n|---|---|---|---:|---:|---|")
        for number in range(1, args.rounds + 1):
            for name in ("before", "after") if number % 2 else ("after", "before"):
                checkout, work = checkouts[name], Path(temp) / name
                (work / "content" / "listings" / NEW_LISTING).unlink(missing_ok=True)
                shutil.copytree(source / "listings", work / "content" / "listings", dirs_exist_ok=True)  # the edit undone
                build(checkout, work, args.search)  # the site of the round before, undone
                measured = {"nothing changed": build(checkout, work, args.search)}
                new_listing(work / "content")
                listing = work / "content" / "listings" / NEW_LISTING
                listing.write_text(listing.read_text(encoding="utf-8").replace(
                    "Cached Benchmark Paper", f"Cached Round {number} Paper"), encoding="utf-8")
                measured["one new listing"] = build(checkout, work, args.search)
                edit_abstract(work / "content")
                measured["one abstract edited"] = build(checkout, work, args.search)
                for label, (cpu, wall, timings) in measured.items():
                    phases = ", ".join(f"{phase} {seconds:.1f}" for phase, seconds in timings.items() if seconds >= 0.1)
                    print(f"| {number} | {name} | {label} | {cpu:.1f} | {wall:.1f} | {phases} |", flush=True)


if __name__ == "__main__":
    main()
