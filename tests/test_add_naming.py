"""How `sitegen add` decides a dump's save date: the rules in sitegen/add/naming.py, one case each."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.add.naming import copy_name, save_date

TODAY = dt.date(2025, 12, 1)
NEWEST = dt.date(2025, 11, 25)
D = dt.date


@pytest.mark.parametrize("saved, name, header, newest, expected, source", [
    (D(2025, 11, 13), "2024-01-01 dump.txt", "Nov 12", NEWEST, D(2025, 11, 13), "--saved"),  # --saved wins
    (None, "Daily Papers 2025-11-13 (1).txt", "Nov 12", NEWEST, D(2025, 11, 13), "file name"),  # anywhere in it
    (None, "dump.txt", "Nov 13, 2024", NEWEST, D(2024, 11, 13), "header"),  # a year as written is no guess
    (None, "dump.txt", "Nov 13", NEWEST, D(2025, 11, 13), "header, year guessed"),
    (None, "dump.txt", "Nov 13", None, D(2025, 11, 13), "header, year guessed"),  # empty archive: this year
    (None, "dump.txt", "Dec 5", NEWEST, D(2024, 12, 5), "header, year guessed"),  # never after today
    (None, "dump.txt", "Feb 29", NEWEST, D(2024, 2, 29), "header, year guessed"),  # the last Feb 29 up to today
    (None, "dump.txt", None, NEWEST, None, "none"),
    (None, "20251113.txt", None, NEWEST, None, "none"),  # only ISO dates count
])
def test_save_date(saved, name, header, newest, expected, source):
    decided = save_date(saved, name, header, newest, TODAY)
    assert (decided.date, decided.source, decided.error) == (expected, source, None)
    assert (decided.warning is not None) == (source in ("header, year guessed", "none"))


@pytest.mark.parametrize("name, header, error", [
    ("2025-02-30-dump.txt", "Feb 28", "impossible date '2025-02-30'; pass --saved YYYY-MM-DD"),
    ("2026-01-01.txt", None, "the file name says 2026-01-01, after today (2025-12-01); pass --saved"),
    ("dump.txt", "Dec 24, 2025", "the header's date 'Dec 24, 2025' is no day up to today; pass --saved"),
])
def test_save_dates_that_cannot_be_are_errors(name, header, error):
    decided = save_date(None, name, header, NEWEST, TODAY)
    assert decided.date is None and error in decided.error


def test_copy_name_is_the_date_and_a_hash_of_the_bytes():
    assert copy_name(D(2025, 11, 13), b"x") == "2025-11-13-2d711642b726b044.txt"
    assert copy_name(None, b"x") == "2d711642b726b044.txt"


def test_the_copy_is_written_whole_and_never_over_a_file(tmp_path):
    from sitegen.add.store import write_new

    target = tmp_path / "listings" / "2025-11-13-0123456789abcdef.txt"
    write_new(target, b"Title\n\nAbstract.\n")
    assert target.read_bytes() == b"Title\n\nAbstract.\n"
    with pytest.raises(FileExistsError):
        write_new(target, b"other bytes")
    assert target.read_bytes() == b"Title\n\nAbstract.\n"
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left behind
