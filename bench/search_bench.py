"""Search benchmark: full builds with and without search, index time and memory, keystroke latency.

    .venv/bin/python bench/search_bench.py                  # the shipped content
    .venv/bin/python bench/search_bench.py --papers 10000   # the reference workload (bench/reference.py)
    .venv/bin/python bench/search_bench.py --papers 100000 --no-browser

Runs `sitegen build` with and without its index in a fresh process each and
reports wall time and peak memory of the whole process tree (sitegen, its
render workers and the Pagefind services), sampled from /proc every 20 ms.
Then, on the site built without the index, Pagefind's command line over every
page (what the index phase used to run, and what a Hugo site would run;
`--compare-cli`), and sitegen's index phase alone. Then it serves the site on
127.0.0.1, opens /search/ in headless Chromium and types queries whose answer
is known (a word of one paper's title only, such as its method name), timing from the last keystroke to
the moment that query's results are on screen, and checks that the expected
paper is first. Bytes fetched are counted at the server, since Pagefind
fetches its index from a web worker.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from pagefind.service import get_executable  # noqa: E402

from bench.reference import write_content  # noqa: E402
from sitegen.build import BuildOptions, build  # noqa: E402
from sitegen.search.index import Indexer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def timed_process(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Run `command`; return wall seconds, the peak of its process tree's summed RSS in bytes,
    and the CPU seconds of the tree.

    Summed RSS counts pages that forked render workers share with their parent
    twice, so it is an upper bound of the memory the build needs."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[:4]} failed: {process.stderr.read().decode()[-2000:]}")
    return elapsed, peak, usage.ru_utime + usage.ru_stime


class ChildrenPeak:
    """Samples the summed RSS of this process's children (the Pagefind services) on a thread."""

    def __init__(self) -> None:
        self.peak, self.running = 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self) -> None:
        me = os.getpid()
        while self.running:
            self.peak = max(self.peak, tree_rss(me) - tree_rss_of_one(me))
            time.sleep(0.02)

    def __enter__(self) -> ChildrenPeak:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.running = False
        self.thread.join()


def tree_rss_of_one(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[21]) * os.sysconf("SC_PAGE_SIZE")


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def fresh(site: Path) -> None:
    subprocess.run(["rm", "-rf", str(site / "pagefind")], check=True)


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def kib(n: float) -> str:
    return f"{n / 2**10:.0f} KiB"


def sitegen_builds(content: Path, out: Path) -> None:
    for label, extra in (("without search", ["--no-search"]), ("with search", [])):
        seconds, peak, cpu = timed_process([sys.executable, "-m", "sitegen", "build", "--content", str(content),
                                            "--out", str(out), *extra], REPO)
        print(f"  sitegen build {label:15} {seconds:7.2f} s  CPU {cpu:7.2f} s  peak {mib(peak)} (process tree)")
    size, files = folder_size(out / "pagefind")
    shards = sorted(p.name for p in out.iterdir() if p.name.startswith("pagefind"))
    print(f"  index: {len(shards)} bundle(s), first one {mib(size)} in {files} files")


def pagefind_cli(site: Path, pages: int) -> None:
    fresh(site)
    seconds, peak, cpu = timed_process([str(get_executable()), "--site", str(site), "--output-subdir", "pagefind",
                                        "--quiet"], REPO)
    print(f"  Pagefind CLI over the pages   {seconds:7.2f} s  CPU {cpu:7.2f} s  peak {mib(peak)}")
    fresh(site)


def known_queries(site_papers: dict, count: int) -> list[tuple[str, str]]:
    """(query, title of the paper that must come first), chosen without the index."""
    papers = sorted(site_papers.values(), key=lambda p: p.id)
    words = {p.id: re.findall(r"[A-Za-z]{6,}", f"{p.title} {p.abstract}".lower()) for p in papers}
    frequency = Counter(w for ws in words.values() for w in set(ws))
    queries = []
    for paper in papers:
        unique = [w for w in re.findall(r"[A-Za-z]{6,}", paper.title.lower()) if frequency[w] == 1]
        if unique:
            queries.append((max(unique, key=len), paper.title))
    step = max(1, len(queries) // count)
    return queries[::step][:count]


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    """Serve `root` on 127.0.0.1; `server.sent` counts the bytes of Pagefind's files sent."""

    class Counting(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def copyfile(self, source, outputfile) -> None:
            if "/pagefind/" in self.path:  # fetched by the page or by Pagefind's web worker alike
                self.server.sent += os.fstat(source.fileno()).st_size
            super().copyfile(source, outputfile)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(root)))
    server.sent = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def keystroke_latency(site: Path, queries: list[tuple[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    server, port = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/search/")
            page.wait_for_selector(".pagefind-ui__search-input")
            page.evaluate("""() => document.addEventListener('keydown', () => { window.lastKey = performance.now(); }, true)""")
            latencies, hits, transferred = [], 0, 0
            for number, (query, title) in enumerate(queries):
                page.fill(".pagefind-ui__search-input", "")
                page.wait_for_function("() => !document.querySelector('.pagefind-ui__result-link')")
                if number:  # the first search counts what opening the page fetched too
                    server.sent = 0
                page.click(".pagefind-ui__search-input")
                page.keyboard.type(query)
                found = page.wait_for_function(
                    # Results of this query, not of a prefix typed on the way.
                    """([query]) => { const m = document.querySelector('.pagefind-ui__message');
                       const a = document.querySelector('.pagefind-ui__result-link');
                       return m && a && m.textContent.trim().endsWith(' ' + query)
                         && {at: performance.now(), first: a.textContent.trim()}; }""",
                    arg=[query], polling="raf", timeout=30_000).json_value()
                latency = found["at"] - page.evaluate("() => window.lastKey")
                hits += found["first"] == title
                if found["first"] != title:
                    print(f"    {query!r}: first result {found['first']!r}, expected {title!r}")
                bytes_ = server.sent
                if number == 0:
                    print(f"  first search after opening the page: {latency:6.0f} ms, {kib(bytes_)} fetched "
                          f"(query {query!r})")
                else:
                    latencies.append(latency)
                    transferred += bytes_
            if latencies:
                print(f"  later searches ({len(latencies)}): median {statistics.median(latencies):.0f} ms, "
                      f"max {max(latencies):.0f} ms, {kib(transferred / len(latencies))} fetched on average")
            print(f"  expected paper shown first: {hits} of {len(queries)}")
            engine = page.evaluate("""async (queries) => {
                const pagefind = await import(document.getElementById('search').dataset.bundle + 'pagefind.js');
                const times = [];
                for (const q of queries) { const t = performance.now(); const r = await pagefind.search(q);
                  if (r.results.length) await r.results[0].data(); times.push(performance.now() - t); }
                times.sort((a, b) => a - b); return times[Math.floor(times.length / 2)]; }""",
                                   [q for q, _ in queries])
            print(f"  Pagefind's own search + first result's data, same queries again: median {engine:.1f} ms "
                  f"(the UI waits 150 ms after the last keystroke before it searches)")
            browser.close()
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=0, help="papers of the reference workload (default: the shipped content)")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--compare-cli", action="store_true", help="also time Pagefind's CLI over every page")
    parser.add_argument("--no-browser", action="store_true", help="skip the keystroke timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        tmp = Path(tmp)
        if not args.papers:
            content = REPO / "content"
        else:
            content = write_content(tmp / "content", args.papers)
        site = tmp / "public"
        print("full builds, each in a fresh process:")
        sitegen_builds(content, site)
        result = build(BuildOptions(content_dir=content, out_dir=site, search=False))
        papers = len(result.site.papers)
        print(f"{'reference' if args.papers else 'shipped'} site: {papers} papers, {len(result.plan.pages)} pages, "
              f"{mib(folder_size(site)[0])} of HTML and assets")
        if args.compare_cli:
            pagefind_cli(site, papers)
        start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        with ChildrenPeak() as services, Indexer(result.plan.pages, site, result.plan.chrome.language) as indexer:
            indexer.wait()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(f"sitegen's index phase alone: {time.perf_counter() - start:.2f} s, Pagefind CPU {cpu:.2f} s, "
              f"Pagefind services' peak {mib(services.peak)} (summed)")
        if not args.no_browser:
            print("keystroke to first result (headless Chromium, 127.0.0.1):")
            keystroke_latency(site, known_queries(result.site.papers, args.queries))


if __name__ == "__main__":
    main()
