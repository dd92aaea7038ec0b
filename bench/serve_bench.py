"""Change-to-reload time of `sitegen serve`: file written -> `reload` event received.

Runs the real server (`python -m sitegen serve`) on the shipped content and
on the reference workload (bench/reference.py), listens to its event stream like an open page does,
and times each edit from the moment the file is written to the moment the
event arrives: watcher, debounce, rebuild, write and notification together.
The search index is rebuilt behind the reload; its times come from the log.
So is the exact build that follows each quick one (related papers computed
afresh, preview/session.py): each edit waits until it is done, so no edit's timing
includes the last one's catch-up.
Edits: add a paper to a listing (several rounds), break a listing (time to the
error event), fix it again (time to the reload). Then, in process, where a
rebuild's time goes: build() with a MemoryReuse after each added paper, by phase,
quick (as an edit's rebuild) and exact (as the catch-up after it).

    .venv/bin/python bench/serve_bench.py [--papers 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reference import write_content  # noqa: E402
from sitegen.build import BuildOptions, build  # noqa: E402
from sitegen.preview.incremental import MemoryReuse  # noqa: E402
from sitegen.reuse import Mode  # noqa: E402
from tests.live import REPO, EventStream, start_serve, wait_until  # noqa: E402


def paper_block(number: int) -> bytes:
    return (f"\n\nBenchmark Paper Number {number} On Sparse Kernels\n\n"
            f"We present benchmark paper {number}. It improves accuracy on sparse kernels by {number % 40 + 2}% "
            "with a simple method. It is fast and easy to reproduce.\n\n  • 4 authors\n·\nMar 3 7\n").encode()


def timed(events: EventStream, name: str, edit) -> float:
    start = time.perf_counter()
    edit()
    events.wait_for(name)
    return time.perf_counter() - start


def append(path: Path, data: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(data)


def settled(served) -> list[str]:
    """How many files each exact build so far updated (preview/session.py runs one after each quick build)."""
    return re.findall(r"settled in \d+ ms .*, (\d+) file", served.log())


def measure(label: str, content: Path, work: Path, rounds: int) -> None:
    started = time.perf_counter()
    served = start_serve(content, work, timeout=600)
    first_build = time.perf_counter() - started
    events = EventStream(served.url, timeout=600)
    events.wait_for("state")
    if int(wait_until(lambda: settled(served), timeout=600, what="the exact build after the first one")[0]):
        events.wait_for("reload")
    listings = sorted((content / "listings").glob("*.txt"))
    adds = []
    for number in range(rounds):
        listing = listings[number * 7 % len(listings)]
        done = len(settled(served))
        adds.append(timed(events, "reload", lambda: append(listing, paper_block(number))))
        assert served.get(f"/papers/benchmark-paper-number-{number}-on-sparse-kernels/").status == 200
        updated = wait_until(lambda: settled(served)[done:], timeout=600, what="the exact build after the quick one")
        if int(updated[0]):
            events.wait_for("reload")  # the exact build's own, so that the next edit waits for its own
    good = listings[0].read_bytes()
    broken = timed(events, "error", lambda: listings[0].write_bytes(good + b"\n\xff\n"))
    fixed = timed(events, "reload", lambda: listings[0].write_bytes(good))
    events.close()
    log = served.log()
    served.stop()
    builds = [int(ms) for ms in re.findall(r"rebuilt in (\d+) ms", log)]
    indexes = [int(ms) for ms in re.findall(r"search index updated in (\d+) ms", log)]
    settles = [int(ms) for ms in re.findall(r"settled in (\d+) ms", log)][1:]  # after each edit, not the first build
    rendered = re.findall(r"; (\d+ of \d+ pages rendered)", log)
    ms = lambda seconds: f"{seconds * 1000:.0f} ms"  # noqa: E731
    print(f"\n{label}")
    print(f"  first build, start to first page:  {ms(first_build)}")
    print(f"  add a paper -> reload event:        median {ms(statistics.median(adds))}, "
          f"min {ms(min(adds))}, max {ms(max(adds))} over {rounds} edits")
    print(f"  of which the rebuild (server log):  median {statistics.median(builds[:rounds]):.0f} ms "
          f"({rendered[0] if rendered else '?'})")
    if settles:
        print(f"  exact build after it, in background: median {statistics.median(settles):.0f} ms "
              f"over {len(settles)} (related papers exact again; pages reload again if it changed any)")
    if indexes:
        print(f"  search index, in the background:    median {statistics.median(indexes):.0f} ms "
              f"over {len(indexes)} indexes (the reload does not wait for it)")
    print(f"  break a listing -> error event:     {ms(broken)}")
    print(f"  fix it -> reload event:             {ms(fixed)}")
    phases(content, work, rounds)


def phases(content: Path, work: Path, rounds: int) -> None:
    options = BuildOptions(content_dir=content, out_dir=work / "phases-out", base_url="http://127.0.0.1:8000/",
                           search=False, keep_replaced=True)  # as `sitegen serve` builds: the index catches up after
    cache = MemoryReuse()
    build(options, reuse=cache)
    listings = sorted((content / "listings").glob("*.txt"))
    timings: dict[bool, dict[str, list[float]]] = {True: {}, False: {}}
    for number in range(rounds):
        append(listings[number * 11 % len(listings)], paper_block(1000 + number))
        for quick in (True, False):  # an edit's rebuild, then the catch-up, as `sitegen serve` runs them
            start = time.perf_counter()
            result = build(options, reuse=cache, mode=Mode.QUICK if quick else Mode.EXACT)
            for name, seconds in result.timings.items():
                timings[quick].setdefault(name, []).append(seconds)
            timings[quick].setdefault("total", []).append(time.perf_counter() - start)
            if result.replaced is not None:
                shutil.rmtree(result.replaced)
    for quick, label in ((True, "quick rebuild phases, median:      "), (False, "exact rebuild after it, median:    ")):
        print(f"  {label}" + ", ".join(
            f"{name} {statistics.median(values) * 1000:.0f} ms" for name, values in timings[quick].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=10_000, help="papers in the reference archive (bench/reference.py)")
    parser.add_argument("--rounds", type=int, default=5, help="paper additions to time per site")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        work = Path(folder)
        measure("shipped content (5 listings, 472 papers)",
                shutil.copytree(REPO / "content", work / "shipped" / "content"), work / "shipped", args.rounds)
        reference = write_content(work / "reference" / "content", args.papers)
        measure(f"reference archive ({args.papers} papers)", reference, work / "reference", args.rounds)


if __name__ == "__main__":
    main()
