"""`sitegen parse` as a user runs it: JSON on stdout, problems and a summary on stderr, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shipped_dumps import SHIPPED, blocks, shipped_files

ROOT = Path(__file__).resolve().parent.parent
BROKEN = sorted((Path(__file__).parent / "data" / "broken").iterdir())


def sitegen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True)


def expectation(case: Path) -> tuple[int, int, list[str]]:
    lines = [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return int(lines[0]), int(lines[1]), lines[2:]


def diagnostics(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line or ": error: " in line]


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_broken_listing_gives_the_message_the_user_must_see(case: Path):
    code, strict_code, messages = expectation(case)
    (listing,) = [p.name for p in case.iterdir() if p.name != "expected.txt"]
    for strict, expected_code in ((False, code), (True, strict_code)):
        run = sitegen("parse", listing, *["--strict"] * strict, cwd=case)
        assert "Traceback" not in run.stderr
        assert run.returncode == expected_code, run.stderr
        lines = run.stderr.splitlines()
        for message in messages:
            assert message in lines, run.stderr
        assert sorted(diagnostics(run.stderr)) == sorted(m for m in messages if ": warning: " in m or ": error: " in m)


def test_json_has_one_object_per_paper_with_the_documented_fields():
    run = sitegen("parse", "--json")
    assert run.returncode == 0, run.stderr
    papers = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(papers) == 472
    for paper in papers:
        assert {"id", "title", "abstract", "date", "upvotes", "authors", "org", "seen_in"} <= set(paper)
        assert all(set(seen) == {"listing", "line"} for seen in paper["seen_in"])
    ids = [paper["id"] for paper in papers]
    assert len(set(ids)) == len(ids) and all(len(i) <= 80 for i in ids)
    lineas = next(p for p in papers if p["title"].startswith("LinEAS"))
    assert (lineas["date"], lineas["upvotes"], lineas["authors"], lineas["org"]) == ("2025-03-11", 1, None, "apple")
    assert lineas["seen_in"] == [{"listing": "2025-11-25-9055317b84f6e392", "line": 213}]
    undated = next(p for p in papers if p["title"].startswith("Wan: Open and Advanced"))
    assert (undated["date"], undated["upvotes"], undated["authors"], undated["org"]) == (None, None, None, None)
    total_blocks = sum(len(blocks(p)) for p in shipped_files())
    assert sum(len(p["seen_in"]) for p in papers) == total_blocks
    assert run.stderr.splitlines()[-1] == (
        f"parsed 5 listing(s): {total_blocks} paper blocks, 472 papers (224 dated, 248 undated); 0 warning(s), 0 error(s)")


def test_paths_may_be_files_or_content_folders_and_output_is_the_same_either_way():
    by_folder = sitegen("parse", "--json", str(ROOT / "content"))
    by_files = sitegen("parse", "--json", *map(str, shipped_files()))
    assert by_folder.returncode == by_files.returncode == 0
    assert by_folder.stdout == by_files.stdout == sitegen("parse", "--json").stdout


def test_json_does_not_depend_on_file_order():
    files = list(map(str, shipped_files()))
    assert sitegen("parse", "--json", *files).stdout == sitegen("parse", "--json", *reversed(files)).stdout


def test_strict_fails_on_a_warning_and_without_it_passes(tmp_path: Path):
    listing = tmp_path / "2025-06-10-x.txt"
    listing.write_text("A Paper\n\nIt has an abstract. Yes.\n\n  • 2 authors\n·\nFeb 30, 2025\n", encoding="utf-8")
    lenient, strict = sitegen("parse", str(listing)), sitegen("parse", "--strict", str(listing))
    assert (lenient.returncode, strict.returncode) == (0, 1)
    assert f"{listing}:7: warning: impossible date 'Feb 30, 2025'" in strict.stderr
    assert "failed: 1 warning(s) and --strict is on" in strict.stderr


def test_a_missing_path_is_an_error_not_a_traceback(tmp_path: Path):
    run = sitegen("parse", str(tmp_path / "nope.txt"))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"{tmp_path / 'nope.txt'}: error: no such file or folder; pass a listing file or a content folder" in run.stderr


def test_shipped_content_is_where_parse_looks_by_default():
    assert SHIPPED == ROOT / "content" / "listings"
