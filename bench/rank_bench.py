"""Search ranking with one bundle and with several: does the paper whose title is searched come first?

    .venv/bin/python bench/rank_bench.py [-n 10000] [--queries 200] [--bundles 2]

Builds the reference archive (bench/reference.py) without search, then
indexes its papers twice, as the build does: into one bundle, and split by date into
`--bundles` bundles (search/index.py). Each query is 3-4 of a title's most
distinctive words (the rarest across titles and abstracts, leaving out words
of that paper alone, such as its made-up method name, which would find it
trivially). In headless Chromium, through Pagefind's JS API as the search
page uses it (`mergeIndex` over the bundles that pagefind/sitegen-shards.json
lists; merged results sorted by score), it counts how often that paper comes
first and how often in the top 3.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.reference import write_content  # noqa: E402
from sitegen.assemble.related import STOPWORDS  # noqa: E402
from sitegen.build import BuildOptions, build  # noqa: E402
from sitegen.search.index import SHARD_SIZE, index_pages, url_of  # noqa: E402
from sitegen.plan.views import PaperView  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WORD = re.compile(r"[a-z0-9]+")

SEARCH = """async ({bundle, queries}) => {
  const pagefind = await import(bundle + 'pagefind.js');
  const manifest = await (await fetch(bundle + 'sitegen-shards.json')).json();
  for (const other of manifest.bundles) await pagefind.mergeIndex(new URL(other, location.origin + bundle).pathname);
  const found = [];
  for (const query of queries) {
    const search = await pagefind.search(query);
    found.push((await Promise.all(search.results.slice(0, 3).map((result) => result.data()))).map((data) => data.url));
  }
  return found;
}"""


def queries_of(papers: list[tuple[str, str, str]], count: int) -> list[tuple[str, str]]:
    """(query, url of the paper it is made from) for `count` papers spread over the archive."""
    frequency = Counter(word for _, title, abstract in papers for word in set(WORD.findall(f"{title} {abstract}".lower())))
    step = max(1, len(papers) // count)
    queries = []
    for url, title, _ in papers[::step][:count]:
        words = list(dict.fromkeys(w for w in WORD.findall(title.lower())
                                   if w not in STOPWORDS and len(w) > 2 and not w.isdigit() and frequency[w] > 1))
        rarest = sorted(words, key=lambda w: (frequency[w], words.index(w)))[: 4 if len(words) >= 8 else 3]
        queries.append((" ".join(sorted(rarest, key=words.index)), url))
    return queries


def serve(root: Path) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ranks(root: Path, queries: list[tuple[str, str]]) -> tuple[int, int]:
    """How many queries found their paper first, and in the top 3."""
    from playwright.sync_api import sync_playwright

    (root / "index.html").write_text("<!doctype html><title>rank</title>", encoding="utf-8")
    server = serve(root)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            found = page.evaluate(SEARCH, {"bundle": "/pagefind/", "queries": [q for q, _ in queries]})
            browser.close()
    finally:
        server.shutdown()
    first = sum(bool(urls) and urls[0] == url for urls, (_, url) in zip(found, queries))
    top3 = sum(url in urls for urls, (_, url) in zip(found, queries))
    return first, top3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--bundles", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rank-bench-") as folder:
        work = Path(folder)
        content = write_content(work / "content", args.n)
        result = build(BuildOptions(content_dir=content, out_dir=work / "public", search=False))
        pages = [page for page in result.plan.pages if isinstance(page.view, PaperView)]
        papers = sorted((url_of(page), result.site.papers[page.view.card.id].title,
                         result.site.papers[page.view.card.id].abstract) for page in pages)
        queries = queries_of(papers, args.queries)
        print(f"{args.n} papers, {len(queries)} queries such as {queries[0][0]!r}")
        for label, size in (("one bundle", max(SHARD_SIZE, args.n)), (f"{args.bundles} bundles", -(-args.n // args.bundles))):
            root = work / label.replace(" ", "-")
            index_pages(pages, root, result.plan.chrome.language, shard_size=size, parallel=1)
            bundles = 1 + len(json.loads((root / "pagefind" / "sitegen-shards.json").read_text())["bundles"])
            first, top3 = ranks(root, queries)
            print(f"  {label} ({bundles}): first {first / len(queries):.1%}, top 3 {top3 / len(queries):.1%}")


if __name__ == "__main__":
    main()
