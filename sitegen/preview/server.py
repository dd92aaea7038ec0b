"""The preview HTTP server: the output folder, read-only, plus live reload.

It serves files from one folder and nothing outside it: every request path
is percent-decoded, `..` is refused, and the real path of the file (all
symlinks resolved) must lie inside the folder's real path, else 404. Missing
paths get the site's own 404 page. HTML responses get the reload script (and
the error overlay after a failed build, see preview/overlay.py); `/__sitegen/events`
is a Server-Sent Events stream that tells open pages about each build.

Search bundles (/pagefind/, /pagefind-2/, ...) may come from a folder of
their own, which the preview's background indexer swaps (preview/live_search.py).

The server only reads. `BuildStatus` is how the rebuild thread tells it which
build the folder holds; the folder itself only ever changes by an atomic swap.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import socketserver
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.preview.headers import Headers
from sitegen.preview.overlay import EVENTS_URL, RELOAD_JS, SCRIPT_URL, WAITING_PAGE, inject
from sitegen.search.index import BUNDLE_PATH

KEEPALIVE_SECONDS = 15.0  # a comment line on idle event streams finds closed tabs
HTML = "text/html; charset=utf-8"
# A fixed table rather than `mimetypes`, whose answers depend on the machine's
# /etc/mime.types. `.wasm` must be application/wasm or browsers refuse to
# stream-compile Pagefind; Pagefind's own index files are binary.
CONTENT_TYPES = {
    ".html": HTML,
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
}


def content_type(path: str) -> str:
    return CONTENT_TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


@dataclass(frozen=True)
class Snapshot:
    seq: int  # counts build outcomes
    event: str  # what produced it: "reload" (a good build) or "error" (a failed one)
    epoch: str  # names the good build in the output folder; "" before the first
    errors: tuple[str, ...]  # diagnostics of the last build, if it failed

    def data(self) -> str:
        return json.dumps({"epoch": self.epoch, "errors": list(self.errors)})


class BuildStatus:
    """What the output folder holds and what the last build said, shared across threads."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._session = secrets.token_hex(4)  # pages left open from an earlier run reload too
        self._good_builds = 0
        self._now = Snapshot(0, "state", "", ())
        self._closed = False

    def current(self) -> Snapshot:
        with self._changed:
            return self._now

    def succeeded(self) -> None:
        with self._changed:
            self._good_builds += 1
            epoch = f"{self._session}-{self._good_builds}"
            self._now = Snapshot(self._now.seq + 1, "reload", epoch, ())
            self._changed.notify_all()

    def failed(self, errors: list[str]) -> None:
        with self._changed:
            self._now = Snapshot(self._now.seq + 1, "error", self._now.epoch, tuple(errors))
            self._changed.notify_all()

    def close(self) -> None:
        """Release every waiting event stream: the server is stopping."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait_after(self, seq: int, timeout: float) -> Snapshot | None:
        """The first snapshot after `seq` (the same one on timeout); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._now.seq != seq, timeout)
            return None if self._closed else self._now


def locate(root: str, url_path: str) -> str | None:
    """The real path under `root` that `url_path` names, or None. Never a path outside `root`."""
    decoded = unquote(url_path)
    parts = [part for part in decoded.split("/") if part]
    if "\0" in decoded or ".." in parts:
        return None
    found = os.path.realpath(os.path.join(root, *parts))
    if found != root and not found.startswith(root + os.sep):
        return None  # a symlink that leads out of the folder
    return found if os.path.exists(found) else None


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def host_allowed(host_header: str | None, served_host: str, port: int) -> bool:
    """Whether a request's Host header names the address served, with its port.

    A page on another site can point its own domain name at 127.0.0.1 (DNS
    rebinding) and then read the preview as same-origin, error stream and all;
    such a request still carries that domain name in Host, so it is refused.
    """
    if not host_header:
        return False
    served = f"[{served_host}]" if ":" in served_host else served_host
    names = {name.lower() for name in (*LOOPBACK_NAMES, served)}
    return host_header.strip().lower() in {f"{name}:{port}" for name in names} | (names if port == 80 else set())


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not hold up exit

    def __init__(self, host: str, port: int, out_dir: Path, status: BuildStatus, search_dir: Path | None = None,
                 headers: Headers = ()):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.root = os.path.realpath(out_dir)
        # The search bundles, when kept apart from the site (preview/live_search.py).
        self.search_root = os.path.realpath(search_dir) if search_dir else None
        self.status = status
        self.headers = headers  # sent with every response: production's security headers (preview/headers.py)
        super().__init__((host, port), PreviewHandler)  # binds: a busy port fails here

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's domain name, which can
        # stall on DNS; the preview never needs it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a closed tab is not worth a word
            print(f"sitegen serve: error answering {client_address[0]}: {error!r}", file=sys.stderr)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections give their thread back

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal is for build results, not for every request

    def do_GET(self) -> None:
        self.answer(with_body=True)

    def do_HEAD(self) -> None:
        self.answer(with_body=False)

    def answer(self, with_body: bool) -> None:
        url_path = urlsplit(self.path).path
        if not host_allowed(self.headers.get("Host"), self.server.server_address[0], self.server.server_address[1]):
            return self.send(421, "text/plain; charset=utf-8",
                             b"421 this preview answers only requests for its own address\n", with_body)
        if url_path == EVENTS_URL:
            return self.stream_events() if with_body else self.send(200, "text/event-stream", b"", with_body)
        if url_path == SCRIPT_URL:
            return self.send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode("utf-8"), with_body)
        snapshot = self.server.status.current()  # before reading: a page may be newer, never older
        if not snapshot.epoch:
            return self.send(503, HTML, inject(WAITING_PAGE, "", snapshot.errors), with_body)
        root = self.server.root
        if self.server.search_root and BUNDLE_PATH.match(url_path.lstrip("/")):
            root = self.server.search_root
        found = locate(root, url_path)
        if found and os.path.isdir(found):
            if not url_path.endswith("/"):
                return self.redirect("/" + url_path.lstrip("/") + "/")  # never `//host/`
            found = locate(root, url_path + "/index.html")
        status, data = 200, read(found)
        if data is None:
            found = locate(self.server.root, "/404.html")
            status, data = 404, read(found)
        if data is None:
            return self.send(404, "text/plain; charset=utf-8", b"404 not found\n", with_body)
        kind = content_type(found)
        if kind == HTML:
            data = inject(data, snapshot.epoch, snapshot.errors)
        self.send(status, kind, data, with_body)

    def send_response_only(self, code: int, message: str | None = None) -> None:
        self.named: set[str] = set()  # the headers of this response so far
        super().send_response_only(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        self.named.add(keyword.lower())
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        for name, value in self.server.headers:  # production's, where the preview says nothing itself
            if name.lower() not in self.named:  # (it keeps its own Cache-Control: no-store)
                self.send_header(name, value)
        super().end_headers()

    def send(self, status: int, kind: str, data: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a preview must show the latest build
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def redirect(self, location: str) -> None:
        query = urlsplit(self.path).query
        self.send_response(301)
        self.send_header("Location", location + ("?" + query if query else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream_events(self) -> None:
        """One `state` event now, then a `reload` or `error` event after each build."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        status = self.server.status
        sent = status.current()
        try:
            self.wfile.write(b"retry: 1000\n" + event("state", sent))
            while (now := status.wait_after(sent.seq, KEEPALIVE_SECONDS)) is not None:
                self.wfile.write(b": keep-alive\n\n" if now.seq == sent.seq else event(now.event, now))
                sent = now
        except (ConnectionError, TimeoutError):
            pass  # the page went away


def event(name: str, snapshot: Snapshot) -> bytes:
    return f"event: {name}\ndata: {snapshot.data()}\n\n".encode("utf-8")


def read(path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None  # gone in a swap between locating and opening
