"""Date lines and the save-date rule."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.read.dates import parse_date_line, resolve, save_date_from_file_name


@pytest.mark.parametrize(("text", "parts"), [
    ("Oct 9, 2024 2", (10, 9, 2024, 2)),
    ("Oct 21 5", (10, 21, None, 5)),
    ("Dec 9, 2023", (12, 9, 2023, None)),
    ("Feb 26", (2, 26, None, None)),
    ("September 3, 2024", (9, 3, 2024, None)),
    ("sept. 3", (9, 3, None, None)),
])
def test_date_lines(text, parts):
    line = parse_date_line(text)
    assert (line.month, line.day, line.year, line.upvotes) == parts


@pytest.mark.parametrize("text", ["Oct", "Octopus 9", "Oct 9 2024 5 6", "ſep 3", "Oct \u0663", "\u212aov 3", "9 Oct"])
def test_not_date_lines(text):
    assert parse_date_line(text) is None


SAVED = dt.date(2025, 11, 13)


def test_a_yearless_date_takes_the_save_year():
    assert resolve(parse_date_line("Feb 26"), SAVED) == (dt.date(2025, 2, 26), None)
    assert resolve(parse_date_line("Nov 13"), SAVED) == (dt.date(2025, 11, 13), None)


def test_a_yearless_date_after_the_save_date_is_the_year_before():
    assert resolve(parse_date_line("Nov 14"), SAVED) == (dt.date(2024, 11, 14), None)


def test_feb_29_without_a_year_finds_the_leap_year_if_it_is_the_one_before():
    assert resolve(parse_date_line("Feb 29"), dt.date(2025, 1, 10)) == (dt.date(2024, 2, 29), None)
    date, problem = resolve(parse_date_line("Feb 29"), dt.date(2025, 6, 1))
    assert date is None and "impossible date 'Feb 29'" in problem


def test_without_a_save_date_a_yearless_date_stays_undated_with_a_reason():
    date, problem = resolve(parse_date_line("Oct 21 5"), None)
    assert date is None and "save date is unknown" in problem and "YYYY-MM-DD" in problem


def test_a_date_with_its_year_needs_no_save_date():
    assert resolve(parse_date_line("Oct 9, 2024 2"), None) == (dt.date(2024, 10, 9), None)


def test_impossible_dates_are_a_reason_not_an_exception():
    date, problem = resolve(parse_date_line("Feb 30, 2024"), SAVED)
    assert date is None and problem.startswith("impossible date 'Feb 30, 2024'")


@pytest.mark.parametrize(("name", "expected"), [
    ("2025-11-13-8564cca4cc7b9d26.txt", (dt.date(2025, 11, 13), None)),
    ("2025-11-13.txt", (dt.date(2025, 11, 13), None)),
    ("5e64fd8ada249111.txt", (None, None)),
    ("20251113-x.txt", (None, None)),
    ("2025-11-135.txt", (None, None)),
])
def test_save_date_comes_from_the_start_of_the_file_name(name, expected):
    assert save_date_from_file_name(name) == expected


def test_an_impossible_file_name_date_is_reported():
    date, problem = save_date_from_file_name("2025-02-30-x.txt")
    assert date is None and "impossible date '2025-02-30'" in problem
