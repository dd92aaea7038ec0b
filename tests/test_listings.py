"""Finding and reading listing files (read/listings.py): which files count, and
that reading on every core reports exactly what a plain read does."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from sitegen.core.diagnostics import Diagnostics
from sitegen.read.listings import inside, listing_files, parse_ahead, read_listings

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "content" / "listings").glob("*.txt"))
BROKEN = Path(__file__).parent / "data" / "broken"


@pytest.fixture(autouse=True)
def unfreeze():
    yield
    gc.unfreeze()  # parse_ahead freezes the heap before forking, as a build does


def test_a_content_folder_a_dump_folder_and_single_files_all_count(tmp_path):
    (tmp_path / "site" / "listings").mkdir(parents=True)
    for name in ("b.txt", "a.txt", "notes.md"):
        (tmp_path / "site" / "listings" / name).write_text("x")
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "c.txt").write_text("x")
    report = Diagnostics()
    found = listing_files([tmp_path / "site", tmp_path / "dumps", tmp_path / "dumps" / "c.txt"], report)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "site/listings/a.txt", "site/listings/b.txt", "dumps/c.txt", "dumps/c.txt"]
    assert report.items == []


def test_a_missing_path_and_an_empty_folder_are_clear_errors(tmp_path):
    report = Diagnostics()
    assert listing_files([tmp_path / "nope"], report) == []
    assert [str(d) for d in report.items] == [
        f"{tmp_path / 'nope'}: error: no such file or folder; pass a listing file or a content folder"]
    report = Diagnostics()
    listing_files([tmp_path], report)
    assert [str(d) for d in report.items] == [
        f"{tmp_path}: error: no listing files (*.txt) found; put dumps in content/listings/"]


def test_two_files_with_one_listing_id_name_both(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        shutil.copy(SHIPPED[0], folder / SHIPPED[0].name)
    report = Diagnostics()
    listings = read_listings([first / SHIPPED[0].name, second / SHIPPED[0].name], report)
    assert len(listings) == 1
    assert [str(d) for d in report.errors] == [
        f"{second / SHIPPED[0].name}: error: listing id {listings[0].id!r} is also used by "
        f"{first / SHIPPED[0].name}; rename one of the files"]


def test_reading_on_every_core_gives_what_a_plain_read_gives():
    files = [*SHIPPED, *sorted(p for p in BROKEN.glob("*/*.txt") if p.name != "expected.txt")]
    assert len(files) >= 8  # enough for parse_ahead to fork
    plain, ahead = Diagnostics(), Diagnostics()
    expected = read_listings(files, plain)
    assert read_listings(files, ahead, parse_ahead(files)) == expected
    assert [str(d) for d in ahead.items] == [str(d) for d in plain.items] and plain.items


def test_a_file_edited_after_the_read_ahead_is_read_again(tmp_path):
    files = []
    for source in SHIPPED * 2:
        files.append(tmp_path / f"{len(files)}-{source.name}")
        shutil.copy(source, files[-1])
    parse = parse_ahead(files)
    files[0].write_bytes(SHIPPED[1].read_bytes())  # now another dump's papers
    report = Diagnostics()
    listings = read_listings(files[:1], report, parse)
    assert [e.title for e in listings[0].entries] == [e.title for e in read_listings(SHIPPED[1:2], Diagnostics())[0].entries]


def test_a_file_gone_between_listing_and_reading_its_folder_is_named_as_removed(tmp_path):
    # `sitegen serve` rebuilds while a curator moves or deletes the content folder.
    kept, gone = tmp_path / "kept.txt", tmp_path / "gone.txt"
    kept.write_text("x", encoding="utf-8")
    report = Diagnostics()
    assert inside(tmp_path, [kept, gone], report) == [kept]
    assert [(d.file, d.message) for d in report.errors] == [
        (str(gone), "was removed while the build read its folder; build again once the folder is back")]
