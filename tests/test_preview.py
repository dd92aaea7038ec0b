"""`sitegen serve` end to end: the real command, real sockets, real watchdog, real edits."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys

import pytest

from bench.synth import write_content
from sitegen.build import BuildOptions, build
from sitegen.preview.session import Rebuilder
from sitegen.preview.server import BuildStatus
from tests.edits import LISTING, NEW_BLOCK, NEW_PAPER, NEW_TITLE
from tests.live import REPO, EventStream, start_serve, wait_until

OLD_PAPER = "/papers/dataman-data-manager-for-pre-training-large-language-models/"


@pytest.fixture
def content(tmp_path):
    return shutil.copytree(REPO / "content", tmp_path / "content")


@pytest.fixture
def served(content, tmp_path):
    server = start_serve(content, tmp_path)
    yield server
    server.stop()


def append(path, data: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(data)


def test_serves_the_built_site_on_localhost(served):
    assert served.url.startswith("http://127.0.0.1:")
    home = served.get("/")
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert "Daily Papers Archive" in home.text
    assert served.get(OLD_PAPER).status == 200
    assert re.search(r"built \d+ pages for 472 papers", served.log())


def test_an_added_paper_appears_and_open_pages_are_told_to_reload(served, content):
    events = EventStream(served.url)
    first = events.wait_for("state")
    assert served.get(NEW_PAPER).status == 404

    append(content / "listings" / LISTING, NEW_BLOCK.encode("utf-8"))

    reload = events.wait_for("reload")
    assert reload["epoch"] != first["epoch"] and reload["errors"] == []
    page = served.get(NEW_PAPER)
    assert page.status == 200
    assert NEW_TITLE in page.text
    assert f'data-epoch="{reload["epoch"]}"' in page.text  # the page knows which build it shows
    wait_until(lambda: f"{LISTING} changed; " in served.log(), what="the rebuild's line in the terminal")
    assert re.search(r"\nrebuilt in \d+ ms \(" + re.escape(LISTING) + r" changed; \d+ of \d+ pages rendered; no warnings\)\n",
                     served.log())
    events.close()


def indexed_papers(served) -> int:
    entry = served.get("/pagefind/pagefind-entry.json")
    # Pagefind counts each bundle's anchor record too (search/index.py's ANCHOR).
    return entry.status == 200 and sum(language["page_count"] for language in json.loads(entry.text)["languages"].values()) - 1


def test_the_search_index_catches_up_behind_the_reload(served, content):
    events = EventStream(served.url)
    events.wait_for("state")
    wait_until(lambda: indexed_papers(served) == 472, what="the first search index")
    append(content / "listings" / LISTING, NEW_BLOCK.encode("utf-8"))
    events.wait_for("reload")
    assert served.get(NEW_PAPER).status == 200
    wait_until(lambda: indexed_papers(served) == 473, what="the search index with the new paper")
    wait_until(lambda: re.search(r"search index updated in \d+ ms \(473 papers\)", served.log()), what="its line")
    events.close()


def test_a_broken_listing_shows_its_error_and_a_fix_recovers(served, content):
    listing = content / "listings" / LISTING
    good = listing.read_bytes()
    bad_line = good.count(b"\n") + 2  # the file does not end in a line break
    where = f"{listing}:{bad_line}: error: not valid UTF-8"
    events = EventStream(served.url)
    events.wait_for("state")

    append(listing, b"\nBroken \xff\xfe bytes\n")

    error = events.wait_for("error")
    assert any(line.startswith(where) for line in error["errors"])
    home = served.get("/")
    assert home.status == 200 and "Daily Papers Archive" in home.text  # the last good site
    assert where in home.text  # ... under the overlay
    assert served.get(OLD_PAPER).status == 200
    log = served.log()
    assert where in log and "still serving the last good site" in log
    assert "Traceback" not in log

    listing.write_bytes(good)

    events.wait_for("reload")
    assert where not in served.get("/").text
    assert served.get(OLD_PAPER).status == 200
    events.close()


def test_a_bad_edit_before_any_good_build_is_shown_too(content, tmp_path):
    (content / "site.toml").write_text('title = "A"\npage_size = "many"\n', encoding="utf-8")
    served = start_serve(content, tmp_path, wait_for_build=False)
    try:
        page = wait_until(lambda: (r := served.get("/")).status == 503 and "page_size" in r.text and r,
                          what="the error page")
        assert f"{content / 'site.toml'}:2: error: key &#x27;page_size&#x27;" in page.text
        (content / "site.toml").write_text('title = "A"\n', encoding="utf-8")
        wait_until(lambda: served.get("/").status == 200, what="the fixed build")
    finally:
        served.stop()


def test_with_out_the_site_is_kept_and_built_files_never_carry_the_reload_script(content, tmp_path):
    out = tmp_path / "out"
    served = start_serve(content, tmp_path, "--out", str(out))
    assert "/__sitegen/reload.js" in served.get("/").text
    events = EventStream(served.url)
    events.wait_for("state")
    append(content / "listings" / LISTING, NEW_BLOCK.encode("utf-8"))
    events.wait_for("reload")
    events.close()
    assert served.stop() == 0
    pages = list(out.rglob("*.html"))
    clean = tmp_path / "clean"
    build(BuildOptions(content_dir=content, out_dir=clean, search=False))
    assert sorted(p.relative_to(out) for p in pages) == sorted(p.relative_to(clean) for p in clean.rglob("*.html"))
    assert not [page for page in pages if b"__sitegen" in page.read_bytes()]
    assert not list(tmp_path.glob(".out.*"))  # no staging, replaced site or search index left beside it
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text())  # the index went in on the way out
    assert sum(language["page_count"] for language in entry["languages"].values()) == 473 + 1  # and the anchor record


def test_ctrl_c_stops_cleanly(served):
    EventStream(served.url).wait_for("state")  # an open page must not hold the server up
    assert served.stop() == 0
    assert served.log().rstrip().endswith("stopped")
    assert not served.group_alive()
    assert served.temporary_folder_gone()


def test_ctrl_c_stops_a_server_started_ignoring_it(content, tmp_path):
    served = start_serve(content, tmp_path, ctrl_c_ignored=True)  # as `nohup sitegen serve &` in a script
    assert served.stop() == 0
    assert served.log().rstrip().endswith("stopped")
    assert served.temporary_folder_gone()


def test_ctrl_c_during_a_large_build_stops_its_workers_and_cleans_up(tmp_path):
    # 2,000 papers: enough pages for the render phase to fork its workers.
    content = write_content(tmp_path / "content", 2000, seed=3)
    served = start_serve(content, tmp_path, wait_for_build=False)
    assert served.stop() == 0
    assert not served.group_alive()
    assert served.temporary_folder_gone()
    assert "Traceback" not in served.log()


def test_a_busy_port_is_one_clear_error(content):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "sitegen", "serve", "--content", str(content),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 1
    assert result.stderr.startswith(f"127.0.0.1:{port}: error: cannot listen there")
    assert "Traceback" not in result.stderr


def test_a_missing_content_folder_is_one_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sitegen", "serve", "--content", str(tmp_path / "nope")],
                            capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 1
    assert result.stderr == f"{tmp_path / 'nope'}: error: content folder not found; pass --content DIR\n"


def test_a_template_error_is_reported_with_its_line_and_the_old_site_kept(tmp_path):
    templates = shutil.copytree(REPO / "templates", tmp_path / "templates")
    status, lines = BuildStatus(), []
    options = BuildOptions(content_dir=REPO / "content", out_dir=tmp_path / "out", templates_dir=templates)
    rebuilder = Rebuilder(options, status, lines.append)
    rebuilder.rebuild(set())
    good = status.current()
    home = (tmp_path / "out" / "index.html").read_bytes()
    paper = templates / "paper.html"
    source = paper.read_text(encoding="utf-8")
    line = source[:source.index("{% endblock %}")].count("\n") + 1
    paper.write_text(source.replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")

    rebuilder.rebuild({paper})

    [error] = status.current().errors
    assert error.startswith(f"{paper}:{line}: error: TemplateSyntaxError: Encountered unknown tag 'endblok'")
    assert status.current().epoch == good.epoch
    assert (tmp_path / "out" / "index.html").read_bytes() == home
    assert lines[-2:] == [error, "build failed; still serving the last good site until the next good build"]

    paper.write_text(source, encoding="utf-8")
    rebuilder.rebuild({paper})
    assert status.current().errors == () and status.current().epoch != good.epoch
    assert lines[-1].startswith("rebuilt in ") and re.search(r"\(paper.html changed; 0 of \d+ pages rendered; no warnings\)", lines[-1])
