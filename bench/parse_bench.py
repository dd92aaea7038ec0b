"""Parse and merge speed on the reference workload's dumps.

    .venv/bin/python bench/parse_bench.py [N_PAPERS ...]      (default: 10000 100000)

For each size it writes the reference archive with ../shared/bench/gen_corpus.py
(bench/reference.py, into a temporary folder), then times reading + parsing every dump and merging the
listings into papers, and prints papers/s, MB/s and the peak resident memory;
also the CPU time, which a busy machine disturbs less than wall-clock time.
Each size runs in its own child process so its peak memory is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from reference import write_listings  # noqa: E402


def measure(folder: Path) -> dict:
    """Parse and merge every dump in `folder`; timings and counts."""
    from sitegen.core.diagnostics import Diagnostics
    from sitegen.read.listings import listing_files, read_listings
    from sitegen.assemble.merge import merge_papers
    from sitegen.speed.gcpause import gc_paused

    report = Diagnostics()
    files = listing_files([folder], report)
    size = sum(path.stat().st_size for path in files)
    start, start_cpu = time.perf_counter(), time.process_time()
    with gc_paused():  # the collector policy the build applies around these phases (sitegen/build.py)
        listings = read_listings(files, report)
        parsed, parsed_cpu = time.perf_counter(), time.process_time()
        papers = merge_papers(listings, report)
        merged, merged_cpu = time.perf_counter(), time.process_time()
    return {
        "files": len(files),
        "megabytes": size / 1e6,
        "blocks": sum(len(listing.entries) for listing in listings),
        "papers": len(papers),
        "problems": len(report.items),
        "parse_s": parsed - start,
        "merge_s": merged - parsed,
        "parse_cpu_s": parsed_cpu - start_cpu,
        "merge_cpu_s": merged_cpu - parsed_cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_size(n_papers: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="parse-bench-") as tmp:
        folder = Path(tmp)
        write_listings(folder, n_papers)
        child = subprocess.run([sys.executable, __file__, "--measure", str(folder)],
                               check=True, capture_output=True, text=True)
    return json.loads(child.stdout)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--measure"] and len(argv) == 2:  # the child run_size starts
        print(json.dumps(measure(Path(argv[1]))))
        return
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", metavar="N_PAPERS", help="archive sizes (default: 10000 100000)")
    for n_papers in parser.parse_args(argv).sizes or [10_000, 100_000]:
        r = run_size(n_papers)
        total = r["parse_s"] + r["merge_s"]
        print(
            f"{n_papers:>8} papers: {r['files']} dumps, {r['megabytes']:.1f} MB, {r['blocks']} blocks -> "
            f"{r['papers']} papers ({r['problems']} problems) | parse {r['parse_s']:.2f} s + "
            f"merge {r['merge_s']:.2f} s = {total:.2f} s | {r['blocks'] / total:,.0f} blocks/s, "
            f"{r['papers'] / total:,.0f} papers/s, {r['megabytes'] / total:.1f} MB/s | "
            f"peak RSS {r['peak_rss_mb']:.0f} MB | CPU time parse {r['parse_cpu_s']:.2f} s + "
            f"merge {r['merge_cpu_s']:.2f} s",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
