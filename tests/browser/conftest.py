"""Browser fixtures: the shipped listings built with their search index, served
over real HTTP on 127.0.0.1, and a real headless Chromium (Debian's, never a
downloaded one) to search them.

The server sends a strict Content-Security-Policy (no inline scripts or
styles; WebAssembly allowed, which Pagefind needs), and every page a test
opens fails the test on any console error or uncaught exception, so a CSP
violation or a script error cannot pass unnoticed.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from sitegen.build import BuildOptions, build
from sitegen.search.index import SHARD_SIZE

from conftest import SHIPPED_CONTENT

HOLD_LIMIT = 30.0  # seconds a held request waits at most, should a test never let it go
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")


class Handler(http.server.SimpleHTTPRequestHandler):
    server: Server

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        held = self.server.held
        if held is not None and held[0] in self.path:
            held[1].wait(HOLD_LIMIT)
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()


class Server(http.server.ThreadingHTTPServer):
    # Requests whose path contains the text wait until the event is set (see Served.holding).
    held: tuple[str, threading.Event] | None = None

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a page closed mid-request is no error
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class Served:
    url: str  # the site's base URL, ending in "/"
    folder: Path  # the built site
    server: Server

    def at(self, path: str) -> str:
        return self.url + path.lstrip("/")

    @contextmanager
    def holding(self, path_part: str) -> Iterator[threading.Event]:
        """Within the block, files whose path contains `path_part` are held back, as on a
        slow network, until the block sets the event it is given (or ends)."""
        release = threading.Event()
        self.server.held = (path_part, release)
        try:
            yield release
        finally:
            release.set()
            self.server.held = None


def shipped_copy(folder: Path, source: Path = SHIPPED_CONTENT) -> Path:
    """A copy of the shipped content (with its taxonomy), safe to build next to."""
    content = folder / "content"
    shutil.copytree(source, content)
    return content


def build_and_serve(folder: Path, content: Path, subfolder: str = "", search: bool = True,
                    shard_size: int = SHARD_SIZE) -> Iterator[Served]:
    """Serve `folder/www` on a free port, build `content` into it (or into its
    `subfolder`, with the matching base URL), and stop the server afterwards."""
    root = folder / "www"
    root.mkdir()
    httpd = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}/" + (f"{subfolder}/" if subfolder else "")
        out = root / subfolder if subfolder else root
        build(BuildOptions(content_dir=content, out_dir=out, base_url=base, strict=True, search=search,
                           search_shard_size=shard_size))
        yield Served(base, out, httpd)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="session")
def search_site(tmp_path_factory) -> Iterator[Served]:
    """The shipped listings (with the test taxonomy), built and served at the root."""
    folder = tmp_path_factory.mktemp("search-site")
    yield from build_and_serve(folder, shipped_copy(folder))


@pytest.fixture(scope="session")
def sharded_site(tmp_path_factory) -> Iterator[Served]:
    """The same listings with the search index split into bundles of 100 papers."""
    folder = tmp_path_factory.mktemp("sharded-site")
    yield from build_and_serve(folder, shipped_copy(folder), shard_size=100)


@pytest.fixture(scope="session")
def subfolder_site(tmp_path_factory) -> Iterator[Served]:
    """The same site built for http://127.0.0.1:PORT/sub/ and served from the folder above it."""
    folder = tmp_path_factory.mktemp("subfolder-site")
    yield from build_and_serve(folder, shipped_copy(folder), subfolder="sub")


@pytest.fixture
def console_errors() -> list[str]:
    """Errors the page reported; a test that expects some removes them before it ends."""
    return []


@pytest.fixture
def page(browser: Browser, console_errors: list[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
    page.on("dialog", lambda dialog: (console_errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert console_errors == []


def scripts_arrive_late(page: Page, seconds: float = 0.4) -> None:
    """The site's own scripts arrive late, as on a busy machine or a slow phone: the first
    paint comes before they run, so whatever they show must already have its place."""
    def late(route):
        time.sleep(seconds)
        route.continue_()
    page.route(re.compile(r"/static/[^/]+\.js$"), late)


def watch_layout_shift(page: Page) -> None:
    """Sum Chromium's layout-shift entries (those not caused by input) into window.__shift."""
    page.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) window.__shift += e.value; }))
            .observe({type: 'layout-shift', buffered: true});
    """)
