"""Lighthouse's four scores for every kind of page, mobile and desktop, as a Markdown table.

    .venv/bin/python bench/lighthouse.py [--content content] [--kinds home,paper,...] [--runs 1]

Builds the site (with its search index) into a temporary folder, serves it
on 127.0.0.1 with the standard library's HTTP server, and runs npm's
`lighthouse` (pinned in tests/tools/package-lock.json: `npm ci --prefix
tests/tools` installs it) in Debian's /usr/bin/chromium on one page of each
kind. Performance varies with the machine's load: `--runs 3` keeps each
page's median. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = PROJECT / "tests" / "tools" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "seo"}


def build(content: Path, out: Path, base_url: str) -> None:
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--content", str(content), "--out", str(out),
                    "--base-url", base_url], cwd=PROJECT, check=True, stdout=subprocess.DEVNULL)


def first(out: Path, pattern: str) -> str:
    """The URL path of the first built page whose path (relative to `out`) matches `pattern`."""
    found = sorted(path.relative_to(out).as_posix() for path in out.rglob("index.html")
                   if re.fullmatch(pattern, path.relative_to(out).as_posix()))
    if not found:
        raise SystemExit(f"no page matches {pattern!r} in the built site")
    return "/" + found[0].removesuffix("index.html")


def page_kinds(out: Path) -> dict[str, str]:
    """One page of each kind: name -> URL path."""
    kinds = {
        "home": "/",
        "days": "/days/",
        "year": first(out, r"days/\d{4}/index.html") if any(out.glob("days/[0-9][0-9][0-9][0-9]/index.html")) else None,
        "day": first(out, r"days/\d{4}-\d\d-\d\d/index.html"),
        "undated": "/days/undated/",
        "paper": first(out, r"papers/[^/]+/index.html"),
        "tags": "/tags/",
        "tag": first(out, r"tags/[^/]+/index.html"),
        "orgs": "/orgs/",
        "org": first(out, r"orgs/[^/]+/index.html"),
        "listings": "/listings/",
        "listing": first(out, r"listings/[^/]+/index.html"),
        "weeks": "/weeks/",
        "week": first(out, r"weeks/\d{4}-W\d\d/index.html"),
        "months": "/months/",
        "month": first(out, r"months/\d{4}-\d\d/index.html"),
        "stats": "/stats/",
        "saved": "/saved/",
        "about": "/about/" if (out / "about" / "index.html").exists() else None,
        "search": "/search/",
        "404": "/404.html",
    }
    return {name: url for name, url in kinds.items() if url}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def lighthouse(url: str, desktop: bool) -> dict[str, int]:
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    if desktop:
        command.append("--preset=desktop")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CHROME_PATH": CHROMIUM})
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {done.stderr.strip()[-500:]}")
    report = json.loads(done.stdout)
    return {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=PROJECT / "content")
    parser.add_argument("--kinds", help="comma-separated page kinds (default: all)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page and form factor; the median is shown")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing; install it with: npm ci --prefix tests/tools")
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary) / "site"
        out.mkdir()
        server, base_url = serve(out)  # the port is known before the build, which needs the base URL
        try:
            build(args.content, out, base_url)
            kinds = page_kinds(out)
            chosen = args.kinds.split(",") if args.kinds else list(kinds)
            print("| page | URL | mobile perf | a11y | best | seo | desktop perf | a11y | best | seo |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for name in chosen:
                path = kinds[name]
                url = base_url + path.lstrip("/")
                scores = []
                for desktop in (False, True):
                    runs = [lighthouse(url, desktop) for _ in range(args.runs)]
                    scores += [round(statistics.median(run[c] for run in runs)) for c in CATEGORIES]
                print(f"| {name} | `{path}` | " + " | ".join(map(str, scores)) + " |", flush=True)
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
