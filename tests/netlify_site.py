"""Test helpers for netlify.toml: its header rules, matched the way Netlify
matches them, and a local HTTP server that sends them with a built site.

Netlify itself cannot run here. Its path patterns are reproduced from the
rule Netlify's own headers parser uses (netlify/build, packages/headers-parser,
`getForRegExp`): `*` alone in a segment matches anything (the segment
optional), `*` inside a segment matches any run of characters, `:name`
matches one segment, case-insensitively, with an optional trailing slash.
Every rule that matches a path applies; where two matching rules set the
same header this server joins them as one comma-separated value (what a
host that concatenates would send), and the tests insist that never happens.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
NETLIFY_TOML = PROJECT / "netlify.toml"


def load_netlify_toml() -> dict:
    return tomllib.loads(NETLIFY_TOML.read_text(encoding="utf-8"))


def for_regexp(pattern: str) -> re.Pattern:
    parts = []
    for part in filter(None, (p.rstrip() for p in pattern.split("/"))):
        if part.startswith(":"):
            parts.append("([^/]+)")
        elif part == "*":
            parts.append("?(.*)")
        elif "*" in part:
            parts.append(part.replace("*", "(.*)"))  # unescaped, as Netlify does: "." is any character
        else:
            parts.append(re.escape(part))
    return re.compile(f"^/{'/'.join(parts)}/?$", re.IGNORECASE)


def header_rules(config: dict | None = None) -> list[tuple[str, re.Pattern, dict[str, str]]]:
    config = config or load_netlify_toml()
    return [(rule["for"], for_regexp(rule["for"]), rule["values"]) for rule in config.get("headers", [])]


def matching_headers(path: str, rules) -> dict[str, list[tuple[str, str]]]:
    """Header name (lower case) -> [(rule pattern, value)] of every rule that matches `path`."""
    found: dict[str, list[tuple[str, str]]] = {}
    for pattern, regexp, values in rules:
        if regexp.match(path):
            for name, value in values.items():
                found.setdefault(name.lower(), []).append((pattern, value))
    return found


def request_paths(out: Path, file: Path) -> list[str]:
    """The paths that get `file`, the one the site links to first: folder/ before folder/index.html."""
    relative = "/" + file.relative_to(out).as_posix()
    if relative.endswith("/index.html"):
        return [relative[: -len("index.html")], relative]
    return [relative]


class NetlifyLikeHandler(SimpleHTTPRequestHandler):
    """Serves a folder like Netlify: header rules applied, /404.html (status 404) for missing paths."""

    def __init__(self, *args, rules, **kwargs):
        self.rules = rules
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        path = unquote(urlsplit(self.path).path)
        for name, values in matching_headers(path, self.rules).items():
            self.send_header(name, ", ".join(value for _, value in values))
        super().end_headers()

    def do_GET(self) -> None:
        target = Path(self.translate_path(self.path))
        if target.is_dir() and self.path.split("?")[0].endswith("/"):
            target = target / "index.html"
        if not target.exists():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format, *args) -> None:  # keep test output quiet
        pass


@contextmanager
def serve(folder: Path, rules=None) -> Iterator[str]:
    """Serve `folder` on a free port; yields the base URL."""
    handler = partial(NetlifyLikeHandler, directory=str(folder), rules=rules or header_rules())
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
