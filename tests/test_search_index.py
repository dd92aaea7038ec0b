"""The index phase of `sitegen build`: what Pagefind indexes, and how its failures read.

What a reader finds with the index is tested in a real browser (tests/browser/).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.search import index as search_index, service as search_service
from sitegen.build import BuildOptions, build
from sitegen.cache.command import FOLDER as CACHE
from sitegen.core.diagnostics import BuildError
from sitegen.search.index import TITLE_END, TITLE_START, SearchRecord, chunk, plain

from conftest import REPO
from test_build import LISTING, tree_digest, write_content

TWO_PAPERS = {"2025-11-13-a.txt": LISTING}


def indexed_pages(site: Path, bundle: str = "pagefind") -> int:
    """The papers Pagefind holds in `bundle`: its pages but the anchor record (search/index.py's ANCHOR)."""
    entry = json.loads((site / bundle / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values()) - 1


def run_build(content: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "--content", str(content), "--out", str(out), *extra],
                          capture_output=True, text=True, cwd=REPO, env={**os.environ, **(env or {})})


def fake_pagefind(folder: Path, script: str) -> dict[str, str]:
    """An environment whose Pagefind is `script`: one that fails as a real one can."""
    binary = folder / "pagefind"
    binary.write_text("#!/bin/sh\n" + script + "\n")
    binary.chmod(0o755)
    return {"PAGEFIND_BINARY_PATH": str(binary)}


def test_every_paper_page_and_nothing_else_is_indexed(tmp_path):
    content = write_content(tmp_path, TWO_PAPERS)
    out = tmp_path / "public"
    run = run_build(content, out)
    assert run.returncode == 0, run.stderr
    assert "index " in run.stderr  # the phase is timed in the summary
    assert indexed_pages(out) == 2  # of 14 HTML pages, the two papers
    assert not list(out.glob("pagefind-*"))  # no other bundles
    assert (out / "pagefind" / "pagefind-ui.js").is_file()
    assert (out / "pagefind" / "pagefind-ui.css").is_file()


def test_every_file_of_every_bundle_is_whole(tmp_path):
    # Pagefind's own writes could be cut short by its exit: under load a bundle
    # came out with an empty entry file or index chunk. Compressed files carry
    # a CRC and length, so a cut-short one fails to decompress here.
    out = tmp_path / "public"
    build(BuildOptions(content_dir=write_content(tmp_path, TWO_PAPERS), out_dir=out, search_shard_size=1))
    for bundle in ("pagefind", "pagefind-2"):
        folder = out / bundle
        chunks = [p for p in folder.rglob("*") if p.suffix in {".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment"}]
        assert {p.suffix for p in chunks} == {".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment"}
        for chunk in chunks:
            assert gzip.decompress(chunk.read_bytes()).startswith(b"pagefind_dcd"), chunk
        for wasm in folder.glob("wasm.*.pagefind"):
            assert gzip.decompress(wasm.read_bytes()).startswith(b"pagefind_dcd\0asm"), wasm
        for script in ("pagefind.js", "pagefind-ui.js", "pagefind-worker.js"):
            assert (folder / script).stat().st_size > 1000, script
        assert indexed_pages(out, bundle) == 1


def test_a_bundle_file_named_outside_its_folder_is_refused(tmp_path):
    with pytest.raises(BuildError, match="outside its bundle"):
        search_service.write_bundle([{"path": "../escaped.js", "content": "YQ=="}], tmp_path / "pagefind")
    assert not (tmp_path / "escaped.js").exists()


def test_only_papers_are_indexed_whatever_the_templates_mark(tmp_path):
    # The index is built from the papers, not from the HTML: a template that
    # marks a day list as searchable cannot put lists or navigation in it.
    content = write_content(tmp_path, TWO_PAPERS)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    day_list = templates / "list.html"
    day_list.write_text(day_list.read_text().replace("{% block main %}", "{% block main %}<div data-pagefind-body>", 1)
                        .replace("{% endblock %}", "</div>{% endblock %}", 1))
    out = tmp_path / "public"
    build(BuildOptions(content_dir=content, out_dir=out, templates_dir=templates))
    assert indexed_pages(out) == 2


def test_a_large_archive_is_split_into_bundles_that_name_each_other(tmp_path):
    three = {"2025-11-13-a.txt": LISTING, "2025-11-14-b.txt": LISTING.replace("Tiny Robots", "Tiny Boats")
             .replace("Without Labels", "Without Boats")}
    content = write_content(tmp_path, three)
    out = tmp_path / "public"
    build(BuildOptions(content_dir=content, out_dir=out, search_shard_size=3))
    bundles = sorted(p.name for p in out.iterdir() if p.name.startswith("pagefind"))
    assert bundles == ["pagefind", "pagefind-2"]
    assert indexed_pages(out) + indexed_pages(out, "pagefind-2") == 4
    names = json.loads((out / "pagefind" / "sitegen-shards.json").read_text())
    assert (names["bundles"], names["papers"]) == (["../pagefind-2/"], [3, 1])
    # Each bundle's upvotes, lowest first, as [value, count] runs: three papers upvoted 12, 12 and 7, then one of 7.
    assert names["upvotes"] == [[[7, 1], [12, 2]], [[7, 1]]]
    build(BuildOptions(content_dir=content, out_dir=out))  # the default: one bundle, naming no others
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("pagefind")) == ["pagefind"]
    assert json.loads((out / "pagefind" / "sitegen-shards.json").read_text())["bundles"] == []


def test_a_build_with_no_memory_to_spare_while_rendering_indexes_every_paper_afterwards(tmp_path, monkeypatch):
    # At 100,000 papers the render worker leaves no room in the memory budget
    # for a Pagefind service: the shards wait for the render to end.
    monkeypatch.setattr(search_index, "PARALLEL_SHARDS", 2)
    assert search_index.service_counts(100_000, 10_000) == (0, 2)
    assert search_index.service_counts(10_000, 10_000) == (2, 2)
    # Nor do they start beside it where they are more than one round of services.
    assert search_index.service_counts(10_000, 5_000) == (2, 2)
    assert search_index.service_counts(15_000, 5_000) == (0, 2)
    assert search_index.service_counts(100_000, 5_000) == (0, 2)
    monkeypatch.setattr(search_index, "MEMORY_BUDGET", 0)
    three = {"2025-11-13-a.txt": LISTING, "2025-11-14-b.txt": LISTING.replace("Tiny Robots", "Tiny Boats")
             .replace("Without Labels", "Without Boats")}
    out = tmp_path / "public"
    build(BuildOptions(content_dir=write_content(tmp_path, three), out_dir=out, search_shard_size=3))
    assert indexed_pages(out) + indexed_pages(out, "pagefind-2") == 4


def test_a_pagefind_started_before_a_fork_ends_when_its_input_does(tmp_path, monkeypatch):
    # A render worker forked while a service runs inherits the pipe to it; the
    # service must still see the end of its input when the build closes it,
    # not wait for the worker (without the fix it was killed after EXIT_TIMEOUT).
    import multiprocessing
    import time
    monkeypatch.setattr(search_service, "EXIT_TIMEOUT", 5)
    record = SearchRecord("/papers/a/", "Tiny robots", {"title": "Tiny robots"}, {}, {})
    service = search_service.PagefindService()
    worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
    worker.start()
    try:
        with service:
            assert service.index([record], tmp_path / "bundle", "en") == 1
        assert service.process.returncode == 0
        assert worker.is_alive()
    finally:
        worker.kill()
        worker.join()


def test_no_search_builds_no_index_and_no_stale_one_survives(tmp_path):
    content = write_content(tmp_path, TWO_PAPERS)
    out = tmp_path / "public"
    assert run_build(content, out).returncode == 0
    assert indexed_pages(out) == 2
    run = run_build(content, out, "--no-search")
    assert run.returncode == 0, run.stderr
    assert not (out / "pagefind").exists()
    assert "index " not in run.stderr
    (content / "listings" / "2025-11-14-b.txt").write_text(LISTING.replace("Tiny Robots", "Tiny Boats")
                                                           .replace("Without Labels", "Without Boats"))
    assert run_build(content, out).returncode == 0
    assert indexed_pages(out) == 4


@pytest.mark.parametrize("script, message", [
    ("echo 'Error: no space left on device' >&2; exit 3", "Pagefind exited with status 3: Error: no space left on device"),
    ("kill -9 $$", "Pagefind was killed by SIGKILL (out of memory?): no output"),
])
def test_a_failing_pagefind_fails_the_build_with_one_clear_line(tmp_path, script, message):
    content = write_content(tmp_path, TWO_PAPERS)
    out = tmp_path / "public"
    assert run_build(content, out, "--no-search").returncode == 0
    before = tree_digest(out)
    run = run_build(content, out, env=fake_pagefind(tmp_path, script))
    assert run.returncode == 1
    assert f"(search index): error: {message}" in run.stderr
    assert "Traceback" not in run.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE, "content", "pagefind", "public"]  # no staging left


def test_a_missing_pagefind_says_how_to_get_it(tmp_path):
    content = write_content(tmp_path, TWO_PAPERS)
    run = run_build(content, tmp_path / "public", env={"PAGEFIND_BINARY_PATH": str(tmp_path / "nowhere")})
    assert run.returncode == 1
    assert "error: cannot run Pagefind" in run.stderr and "--no-search" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_page_where_the_index_goes_is_refused(tmp_path):
    content = write_content(tmp_path, TWO_PAPERS, {"pages/pagefind.md": "# Our search engine\n"})
    run = run_build(content, tmp_path / "public")
    assert run.returncode == 1
    assert (f"{content / 'pages' / 'pagefind.md'}: error: page 'pagefind' would write pagefind/index.html, "
            f"inside pagefind/ where the search index goes; rename the file") in run.stderr
    assert not (tmp_path / "public").exists()


def dated_records(papers: int, seed: int) -> list[SearchRecord]:
    import random
    rng = random.Random(seed)
    return [SearchRecord(f"/papers/{n}/", "", {}, {}, {"date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                                      "upvotes": "0"}) for n in range(papers)]


@pytest.mark.parametrize("papers, shard_size", [(472, 100), (10, 3), (7, 7), (1, 5)])
def test_bundles_are_stretches_of_the_date_order(papers, shard_size):
    # The search page puts sorted results in order bundle by bundle, newest bundle
    # first (static/search.js); the browser tests check the real thing on the shipped site.
    records = dated_records(papers, papers)
    shards = chunk(records, shard_size)
    assert len(shards) == -(-papers // shard_size)
    assert all(len(shard) == shard_size for shard in shards[:-1])
    assert sorted(r.url for shard in shards for r in shard) == sorted(r.url for r in records)
    merged = [record.sort["date"] for shard in reversed(shards)
              for record in sorted(shard, key=lambda r: r.sort["date"], reverse=True)]
    assert merged == sorted((r.sort["date"] for r in records), reverse=True)


def test_a_listing_of_papers_newer_than_all_changes_the_last_bundle_alone():
    records = dated_records(472, 1)
    before = chunk(records, 100)
    newer = [SearchRecord(f"/papers/new-{n}/", "", {}, {}, {"date": "2026-01-0" + str(n % 9 + 1), "upvotes": "0"})
             for n in range(20)]
    after = chunk(records + newer, 100)
    assert after[:4] == before[:4] and after[4] != before[4] and len(after) == 5
    assert len(chunk(records + newer * 2, 100)) == 6  # a full last bundle: a new one, the others as they were


def test_a_pagefind_that_stops_answering_fails_the_build_instead_of_waiting_forever(tmp_path, monkeypatch):
    content = write_content(tmp_path, TWO_PAPERS)
    monkeypatch.setattr(search_service, "STALL_TIMEOUT", 1)
    monkeypatch.setattr(search_service, "EXIT_TIMEOUT", 1)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", fake_pagefind(tmp_path, "exec sleep 600")["PAGEFIND_BINARY_PATH"])
    with pytest.raises(BuildError) as caught:
        build(BuildOptions(content_dir=content, out_dir=tmp_path / "public"))
    assert [str(d) for d in caught.value.diagnostics] == [
        "(search index): error: Pagefind stopped answering for 1 s; build again, or with --no-search"]
    assert not (tmp_path / "public").exists()


def test_a_text_cannot_spell_pagefinds_weight_markers_and_is_otherwise_left_as_it_is():
    hostile = f"Look: {TITLE_START} boosted {TITLE_END} and ____underline snake_case __init__"
    cleaned = plain(hostile)
    assert TITLE_START not in cleaned and TITLE_END not in cleaned
    assert cleaned == "Look: __PAGEFIND_WEIGHT___7 boosted __END_PAGEFIND_WEIGHT___ and __underline snake_case __init__"
    ordinary = "Snake_case, __init__ and a_b__c stay as written."
    assert plain(ordinary) == ordinary
