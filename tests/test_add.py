"""`sitegen add` as a curator runs it, against the shipped listings (472 papers)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.add.intake import add_listings
from sitegen.add.naming import copy_name
from sitegen.assemble.merge import merge_papers
from sitegen.build import BuildOptions, build
from sitegen.core.diagnostics import Diagnostics
from sitegen.read.listings import listing_files, read_listings
from tests.shipped_dumps import SHIPPED, shipped_files

ROOT = Path(__file__).resolve().parent.parent
NOT_UTF8 = ROOT / "tests" / "data" / "broken" / "not-utf8" / "2025-06-10-latin1.txt"


def sitegen(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], cwd=cwd, capture_output=True, text=True)
    assert "Traceback" not in run.stderr, run.stderr
    return run


def papers_of(content: Path) -> dict[str, dict]:
    """Every paper's public JSON, with each listing named by a hash of its bytes (copies are renamed)."""
    report = Diagnostics()
    files = listing_files([content], report)
    by_bytes = {path.stem: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    papers = merge_papers(read_listings(files, report), report)
    found = {}
    for paper in papers:
        record = paper.to_json()
        record["seen_in"] = sorted((by_bytes[seen["listing"]], seen["line"]) for seen in record["seen_in"])
        found[paper.id] = record
    return found


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())} if folder.is_dir() else {}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """An empty content folder with the shipped settings and tags (no listings)."""
    folder = tmp_path / "content"
    folder.mkdir()
    for name in ("site.toml", "tags.toml"):
        shutil.copy(SHIPPED.parent / name, folder / name)
    return folder


def test_adding_each_shipped_listing_one_by_one_reproduces_the_archive(content: Path):
    for dump in shipped_files():
        run = sitegen("add", "--content", content, dump)
        assert run.returncode == 0, run.stderr
        assert run.stdout.startswith(f"added {dump} as {content / 'listings'}")
    copies = sorted((content / "listings").iterdir())
    assert sorted(p.read_bytes() for p in copies) == sorted(p.read_bytes() for p in shipped_files())  # verbatim
    # Named by save date and a hash of the bytes: the four dated dumps keep their dates, the undated one has none.
    expected = sorted(copy_name(dt.date.fromisoformat(p.name[:10]) if p.name[4:5] == "-" else None, p.read_bytes())
                      for p in shipped_files())
    assert [p.name for p in copies] == expected
    assert [name[:11] for name in expected if name[4:5] == "-"] == ["2025-03-12-", "2025-11-13-", "2025-11-21-", "2025-11-25-"]
    added, shipped = papers_of(content), papers_of(SHIPPED.parent)
    assert len(added) == len(shipped) == 472
    assert added == shipped  # same ids, titles, abstracts, dates, upvotes, bylines and sightings


def test_dates_guessed_from_headers_reproduce_the_archive(content: Path, tmp_path: Path):
    """The dumps as first saved (`000_<id>.txt`: no date in the name) are dated from their headers' `Mon D`."""
    originals = tmp_path / "originals"
    originals.mkdir()
    for number, dump in enumerate(shipped_files()):
        shutil.copy(dump, originals / f"{number:03d}_{dump.stem[-16:]}.txt")
    today = dt.date(2025, 12, 1)
    for dump in sorted(originals.iterdir()):
        report = Diagnostics()
        (intake,) = add_listings([dump], content, None, today, False, report)
        assert intake.status == "added", report.items
    assert papers_of(content) == papers_of(SHIPPED.parent)
    messages = [str(d) for d in report.items]
    assert sorted(p.name[:10] for p in (content / "listings").iterdir())[1:] == \
        ["2025-03-12", "2025-11-13", "2025-11-21", "2025-11-25"]
    assert any("added undated" in m and m.startswith(str(dump)) for m in messages)


def test_a_guessed_save_date_is_never_after_today(content: Path):
    nov_25 = next(p for p in shipped_files() if p.name.startswith("2025-11-25"))
    dump = content.parent / "saved page.txt"
    shutil.copy(nov_25, dump)
    report = Diagnostics()
    (intake,) = add_listings([dump], content, None, dt.date(2025, 11, 20), True, report)
    assert intake.status == "would add" and intake.saved_on == dt.date(2024, 11, 25)
    assert intake.saved_from == "header, year guessed"
    assert f"{dump}: warning: save date 2024-11-25 guessed from the header's 'Nov 25'" in str(report.items[0])
    assert not (content / "listings").exists()


def test_re_adding_is_a_no_op(content: Path):
    assert sitegen("add", "--content", content, *shipped_files()).returncode == 0
    before = folder_state(content / "listings")
    run = sitegen("add", "--content", content, *shipped_files())
    assert run.returncode == 0, run.stderr
    copy_of = {data: name for name, (data, _) in before.items()}
    assert run.stdout.splitlines() == [
        f"skipped {dump}: the very same bytes are already in the archive as {content / 'listings' / copy_of[dump.read_bytes()]}"
        for dump in shipped_files()]
    assert folder_state(content / "listings") == before


def test_a_dump_with_an_error_writes_nothing(content: Path):
    good = shipped_files()[1]
    run = sitegen("add", "--content", content, good, NOT_UTF8)
    assert run.returncode == 1
    assert (f"{NOT_UTF8}:3: error: not valid UTF-8 at column 33 (byte 0xE9); re-save the file as UTF-8 "
            "(in most editors: Save As, encoding UTF-8)") in run.stderr.splitlines()
    assert f"refused {NOT_UTF8}: it has errors (above); nothing was written" in run.stdout.splitlines()
    assert "refused 1 of 2 dump(s); nothing was written" in run.stderr
    assert not (content / "listings").exists()  # not even the good one


def test_an_existing_listing_is_never_overwritten(content: Path):
    dump = shipped_files()[1]
    taken = content / "listings" / copy_name(dt.date(2025, 11, 13), dump.read_bytes())
    taken.parent.mkdir()
    taken.write_bytes(b"Some Title\n\nA hand-made listing that happens to have the name.\n")
    before = folder_state(taken.parent)
    run = sitegen("add", "--content", content, dump)
    assert run.returncode == 1
    assert "already exists with other bytes; it is left as it was" in run.stderr
    assert folder_state(taken.parent) == before


def test_a_hostile_file_name_is_handled(content: Path, tmp_path: Path):
    odd = tmp_path / "a folder" / "..  dump ünïcode ✓ saved 2025-11-21 (copy)..txt"
    odd.parent.mkdir()
    shutil.copy(shipped_files()[2], odd)
    through_dots = tmp_path / "a folder" / ".." / "a folder" / odd.name  # `..` in the path itself
    run = sitegen("add", "--content", content, through_dots)
    assert run.returncode == 0, run.stderr
    (copy,) = (content / "listings").iterdir()
    assert copy.name == copy_name(dt.date(2025, 11, 21), odd.read_bytes())
    assert copy.read_bytes() == odd.read_bytes()
    assert sorted(p.name for p in content.iterdir()) == ["listings", "site.toml", "tags.toml"]
    assert run.stdout.startswith(f"added {through_dots} as {copy} (saved 2025-11-21, from the file name)")


def test_the_report_says_what_a_listing_brings_and_its_counts_match_a_build(content: Path, tmp_path: Path):
    first, second, *_ = shipped_files()
    assert sitegen("add", "--content", content, first).returncode == 0
    run = sitegen("add", "--content", content, "--json", second)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    (report,) = document["listings"]
    assert document["dry_run"] is False and report["status"] == "added"
    assert (report["saved_on"], report["saved_from"]) == ("2025-11-13", "file name")
    brings = report["brings"]
    points = next(p for p in brings["known"] if p["title"].startswith("POINTS: Improving"))
    assert points["changes"] == {"date": {"before": None, "after": "2024-09-07"},
                                 "upvotes": {"before": None, "after": 6}}
    assert len(brings["new"]) + len(brings["known"]) <= brings["entries"] == 97
    assert brings["papers_after"] == brings["papers_before"] + len(brings["new"])

    site = build(BuildOptions(content_dir=content, out_dir=tmp_path / "public", search=False)).site
    assert brings["papers_after"] == len(site.papers)
    groups = {"days": {**{key: day for key, day in site.days.items()}, "undated": site.undated},
              "tags": {tag.key: tag for tag in site.tags}, "orgs": {org.key: org for org in site.orgs}}
    for kind, built in groups.items():
        for gain in brings[kind]:
            assert gain["papers"] == len(built[gain["key"]].paper_ids), (kind, gain)
            assert gain["name"] == built[gain["key"]].name
    # every paper of the listing is on a day (or undated) it gained or already had
    assert sum(g["gained"] for g in brings["days"]) == len(brings["new"]) + sum(
        1 for p in brings["known"] if "date" in p["changes"])


def test_dry_run_writes_nothing_and_text_names_new_papers(content: Path):
    run = sitegen("add", "--content", content, "--dry-run", shipped_files()[0])
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith(f"would add {shipped_files()[0]} as ")
    assert "71 new papers" in run.stdout and "    + ELECTRA: Pre-training Text Encoders" in run.stdout
    assert not (content / "listings").exists()


def test_same_title_conflicts_are_reported_at_the_new_dump(content: Path, tmp_path: Path):
    assert sitegen("add", "--content", content, shipped_files()[0]).returncode == 0
    namesake = tmp_path / "2025-12-01 namesake.txt"
    namesake.write_text("UL2: Unifying Language Learning Paradigms\n\n"
                        "A different paper that happens to share this title, with an abstract of its own.\n")
    run = sitegen("add", "--content", content, "--json", namesake)
    assert run.returncode == 0, run.stderr
    (conflict,) = json.loads(run.stdout)["listings"][0]["brings"]["same_title"]
    assert conflict["title"] == "UL2: Unifying Language Learning Paradigms"
    assert conflict["others"] == ["ul2-unifying-language-learning-paradigms"]
    assert any(line.startswith(f"{namesake}:1: warning: a different paper (other abstract) has the same title")
               for line in run.stderr.splitlines())


@pytest.mark.parametrize("args, message", [
    (["--saved", "13/11/2025", "x.txt"], "'13/11/2025' is not a date; write it as YYYY-MM-DD"),
    (["--saved", "2999-01-01", "README.md"], "--saved 2999-01-01 is after today"),
    (["no-such-dump.txt"], "no-such-dump.txt: no such file"),
    (["--content", "no-such-folder", "README.md"], "no-such-folder: content folder not found"),
    ([], "the following arguments are required: PATH"),
])
def test_bad_usage_exits_2_with_one_line(args: list[str], message: str):
    run = sitegen("add", *args)
    assert run.returncode == 2 and message in run.stderr and run.stdout == ""


def test_help_describes_it_all():
    run = sitegen("add", "--help")
    assert run.returncode == 0
    for words in ("--saved", "--json", "--dry-run", "YYYY-MM-DD-<hash>.txt", "never a date after today",
                  "never overwritten", "0 added", "1 refused", "2 bad usage"):
        assert words in run.stdout.replace("\n", " "), words


def test_readme_shows_the_command_in_the_content_folder_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The content folder", 1)[1].split("\n## ", 1)[0]
    assert "sitegen add PATH... [--content DIR] [--saved YYYY-MM-DD]" in section
    assert "add" in sitegen("--help").stdout
