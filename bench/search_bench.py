"""Search benchmark: index time, memory and size, and keystroke-to-first-result.

    .venv/bin/python bench/search_bench.py                  # the shipped content
    .venv/bin/python bench/search_bench.py --papers 10000   # a synthetic site

Builds the site without its index, then indexes the same folder three ways:
Pagefind's command line (what `sitegen build` runs), the `pagefind` Python
API with `add_directory`, and the Python API one page at a time (on a sample,
because it is slow). Each runs in its own process; peak memory is that
process tree's. Then it serves the site on 127.0.0.1, opens /search/ in
headless Chromium and types queries whose answer is known (a word found in
one paper only, or a synthetic paper's code name), timing from the last
keystroke to the moment that query's results are on screen, and checks that
the expected paper is first. Bytes fetched are counted at the server, since
Pagefind fetches its index from a web worker.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
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

from sitegen.build import BuildOptions, build  # noqa: E402
from sitegen.search_index import index_site  # noqa: E402
from synth_site import write_content  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

API_DIRECTORY = """
import asyncio, sys
from pagefind.index import IndexConfig, PagefindIndex
async def main(site):
    async with PagefindIndex(IndexConfig(output_path=site + "/pagefind")) as index:
        await index.add_directory(site)
asyncio.run(main(sys.argv[1]))
"""
API_PER_PAGE = """
import asyncio, sys
from pathlib import Path
from pagefind.index import IndexConfig, PagefindIndex
async def main(site, count):
    pages = sorted(Path(site, "papers").glob("*/index.html"))[:count]
    async with PagefindIndex(IndexConfig(output_path=site + "/pagefind")) as index:
        for page in pages:
            await index.add_html_file(content=page.read_text(), source_path=str(page.relative_to(site)))
asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def timed_process(command: list[str], cwd: Path) -> tuple[float, int]:
    """Run `command`; return wall seconds and the peak RSS in bytes of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{command[:2]} failed: {process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024  # Linux reports KiB, for the child and its reaped children


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def fresh(site: Path) -> None:
    subprocess.run(["rm", "-rf", str(site / "pagefind")], check=True)


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def kib(n: float) -> str:
    return f"{n / 2**10:.0f} KiB"


def index_methods(site: Path, pages: int, per_page_sample: int) -> None:
    methods = {
        "command line": [str(get_executable()), "--site", str(site), "--output-subdir", "pagefind", "--quiet"],
        "Python API, add_directory": [sys.executable, "-c", API_DIRECTORY, str(site)],
    }
    for name, command in methods.items():
        fresh(site)
        seconds, peak = timed_process(command, REPO)
        print(f"  {name:28} {seconds:7.2f} s  {pages / seconds:7.0f} pages/s  peak {mib(peak)}")
    sample = min(per_page_sample, pages)
    fresh(site)
    seconds, peak = timed_process([sys.executable, "-c", API_PER_PAGE, str(site), str(sample)], REPO)
    print(f"  {'Python API, add_html_file':28} {seconds:7.2f} s  {sample / seconds:7.1f} pages/s "
          f"(first {sample} pages; all {pages} would take ~{pages / (sample / seconds):.0f} s)")
    fresh(site)


def known_queries(site_papers: dict, synthetic: bool, count: int) -> list[tuple[str, str]]:
    """(query, title of the paper that must come first), chosen without the index."""
    papers = sorted(site_papers.values(), key=lambda p: p.id)
    if synthetic:
        step = max(1, len(papers) // count)
        chosen = papers[::step][:count]
        return [(p.title.split(":")[0], p.title) for p in chosen]
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
    parser.add_argument("--papers", type=int, default=0, help="synthetic papers (default: the shipped content)")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--per-page-sample", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        tmp = Path(tmp)
        content = write_content(tmp / "content", args.papers) if args.papers else REPO / "content"
        site = tmp / "public"
        result = build(BuildOptions(content_dir=content, out_dir=site, search=False))
        papers = len(result.site.papers)
        print(f"{'synthetic' if args.papers else 'shipped'} site: {papers} papers, {len(result.plan.pages)} pages, "
              f"{mib(folder_size(site)[0])} of HTML and assets")
        print("index time (same folder, each in a fresh process):")
        index_methods(site, papers, args.per_page_sample)
        start = time.perf_counter()
        index_site(site, papers)
        size, files = folder_size(site / "pagefind")
        print(f"sitegen's index phase: {time.perf_counter() - start:.2f} s; index {mib(size)} in {files} files")
        print("keystroke to first result (headless Chromium, 127.0.0.1):")
        keystroke_latency(site, known_queries(result.site.papers, bool(args.papers), args.queries))


if __name__ == "__main__":
    main()
