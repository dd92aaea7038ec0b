"""The preview HTTP server on a real socket, over a hand-made output folder."""

from __future__ import annotations

import threading

import pytest

from sitegen.preview.server import BuildStatus, PreviewServer
from tests.live import EventStream, fetch

PAGE = b"<!doctype html>\n<html><head><title>Home</title></head><body><h1>Home</h1></body></html>\n"
NOT_FOUND = b"<!doctype html>\n<html><body><h1>Page not found</h1></body></html>\n"
SECRET = b"secret outside the output folder\n"


@pytest.fixture
def site(tmp_path):
    out = tmp_path / "site"
    files = {
        "index.html": PAGE,
        "404.html": NOT_FOUND,
        "papers/a/index.html": PAGE.replace(b"Home", b"Paper A"),
        "static/style.css": b"body { color: black }\n",
        "static/site.js": b"console.log(1);\n",
        "papers.json": b'{"papers": []}\n',
        "static/favicon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "pagefind/pagefind.wasm": b"\x00asm\x01\x00\x00\x00",
        "pagefind/index/en_1.pf_index": b"\x00\x01",
    }
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    status = BuildStatus()
    server = PreviewServer("127.0.0.1", 0, out, status)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    status.succeeded()
    yield server
    status.close()
    server.shutdown()
    server.server_close()


def get(server, path, method="GET"):
    return fetch(server.url, path, method)


def test_an_html_page_is_served_with_the_reload_script_added(site):
    response = get(site, "/")
    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    epoch = site.status.current().epoch
    script = f'<script src="/__sitegen/reload.js" data-epoch="{epoch}" data-events="/__sitegen/events"></script>\n'
    assert response.body == PAGE.replace(b"</body>", script.encode() + b"</body>")
    assert int(response.headers["content-length"]) == len(response.body)
    with open(site.root + "/index.html", "rb") as built:
        assert built.read() == PAGE  # the file itself is untouched


@pytest.mark.parametrize("path, kind", [
    ("/static/style.css", "text/css; charset=utf-8"),
    ("/static/site.js", "text/javascript; charset=utf-8"),
    ("/papers.json", "application/json"),
    ("/static/favicon.svg", "image/svg+xml"),
    ("/pagefind/pagefind.wasm", "application/wasm"),
    ("/pagefind/index/en_1.pf_index", "application/octet-stream"),
])
def test_other_files_are_served_as_they_are_with_their_content_type(site, path, kind):
    response = get(site, path)
    assert response.status == 200
    assert response.headers["content-type"] == kind
    with open(site.root + path, "rb") as built:
        assert response.body == built.read()


def test_head_sends_the_headers_only(site):
    response = get(site, "/", method="HEAD")
    assert response.status == 200 and response.body == b""
    assert int(response.headers["content-length"]) > len(PAGE)


def test_a_folder_serves_its_index_and_a_missing_slash_redirects(site):
    assert b"Paper A" in get(site, "/papers/a/").body
    response = get(site, "/papers/a?x=1")
    assert response.status == 301
    assert response.headers["location"] == "/papers/a/?x=1"
    assert get(site, "//papers/a").headers["location"] == "/papers/a/"  # never a `//host` URL


def test_a_missing_page_gets_the_sites_404_page(site):
    response = get(site, "/papers/nope/")
    assert response.status == 404
    assert b"<h1>Page not found</h1>" in response.body
    assert b"/__sitegen/reload.js" in response.body


@pytest.mark.parametrize("path", [
    "/../secret.txt",
    "/..",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/static/..%2f..%2fsecret.txt",
    "/static/%2e%2e/%2e%2e/secret.txt",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/etc/passwd",
    "//etc/passwd",
    "/index.html%00.txt",
])
def test_nothing_outside_the_output_folder_is_served(site, path):
    response = get(site, path)
    assert response.status == 404
    assert SECRET not in response.body and b"root:" not in response.body


def test_symlinks_that_lead_outside_are_not_followed(site, tmp_path):
    out = tmp_path / "site"
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "etc").symlink_to("/etc")
    (out / "inside.html").symlink_to(out / "index.html")
    for path in ("/leak.txt", "/etc/passwd", "/etc/"):
        response = get(site, path)
        assert response.status == 404, path
        assert SECRET not in response.body and b"root:" not in response.body
    assert get(site, "/inside.html").status == 200  # a link within the folder is fine


def test_after_a_failed_build_pages_carry_the_escaped_errors(site):
    site.status.failed(["content/listings/x.txt:7: error: title <script>alert(1)</script> & more"])
    response = get(site, "/papers/a/")
    assert response.status == 200 and b"<h1>Paper A</h1>" in response.body  # the last good page
    assert ("content/listings/x.txt:7: error: title &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
            in response.text)
    assert "<script>alert(1)" not in response.text
    assert get(site, "/static/style.css").body == b"body { color: black }\n"  # only HTML gets it


def test_before_the_first_good_build_a_waiting_page_is_served(tmp_path):
    status = BuildStatus()
    server = PreviewServer("127.0.0.1", 0, tmp_path / "not-yet", status)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        response = get(server, "/papers/a/")
        assert response.status == 503
        assert "has not been built yet" in response.text and 'data-epoch=""' in response.text
        status.failed(["content/site.toml:3: error: bad"])
        assert "content/site.toml:3: error: bad" in get(server, "/").text
    finally:
        status.close()
        server.shutdown()
        server.server_close()


def test_the_event_stream_reports_every_build(site):
    events = EventStream(site.url)
    state = events.wait_for("state")
    assert state == {"epoch": site.status.current().epoch, "errors": []}

    site.status.failed(["a.txt:1: error: broken"])
    assert events.next() == ("error", {"epoch": state["epoch"], "errors": ["a.txt:1: error: broken"]})

    site.status.succeeded()
    name, data = events.next()
    assert name == "reload" and data["epoch"] not in ("", state["epoch"]) and data["errors"] == []

    site.status.close()
    with pytest.raises(EOFError):
        events.next()


def test_the_reload_script_is_served(site):
    response = get(site, "/__sitegen/reload.js")
    assert response.status == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert b"new EventSource" in response.body


def test_search_bundles_come_from_their_own_folder_when_given(tmp_path, site):
    search = tmp_path / "search"
    (search / "pagefind").mkdir(parents=True)
    (search / "pagefind" / "pagefind-entry.json").write_bytes(b'{"from": "search"}')
    (search / "pagefind-2").mkdir()
    (search / "pagefind-2" / "pagefind-entry.json").write_bytes(b'{"shard": 2}')
    (search / "index.html").write_bytes(b"not a page of the site")
    server = PreviewServer("127.0.0.1", 0, tmp_path / "site", site.status, search)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        assert get(server, "/pagefind/pagefind-entry.json").body == b'{"from": "search"}'
        assert get(server, "/pagefind-2/pagefind-entry.json").body == b'{"shard": 2}'
        assert get(server, "/pagefind/pagefind.wasm").status == 404  # only in the site folder
        assert get(server, "/").body.startswith(PAGE[:40])  # everything else from the site
        assert b"not a page" not in get(server, "/pagefind/../index.html").body
    finally:
        server.shutdown()
        server.server_close()


def raw_request(server, method: str, path: str, host: str | None) -> tuple[int, bytes]:
    """One request with exactly this Host header (or none), read to the end of its body or 2 s."""
    import socket

    lines = [f"{method} {path} HTTP/1.1", *([f"Host: {host}"] if host is not None else []), "Connection: close", "", ""]
    with socket.create_connection(server.server_address[:2], timeout=2) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass  # an event stream stays open: what came so far is the answer
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_only_host_headers_naming_the_served_address_are_answered(site):
    # Issue 15, item 6: a DNS-rebinding page reaches 127.0.0.1 under its own name.
    port = site.server_address[1]
    site.status.failed(["/home/me/content/listings/a.txt:1: error: broken"])
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "127.0.0.1:1", None, ""):
        for path in ("/", "/__sitegen/events", "/papers.json"):
            status, body = raw_request(site, "GET", path, host)
            assert status == 421 and b"/home/me" not in body and b"[]" not in body, (host, path)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert raw_request(site, "GET", "/papers.json", host) == (200, b'{"papers": []}\n'), host
        status, body = raw_request(site, "GET", "/__sitegen/events", host)
        assert status == 200 and b"/home/me" in body


def test_head_of_the_event_stream_has_no_body(site):
    status, body = raw_request(site, "HEAD", "/__sitegen/events", f"127.0.0.1:{site.server_address[1]}")
    assert (status, body) == (200, b"")
