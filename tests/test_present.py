"""How facts read on a page (plan/present.py): dates, counts, the pagination window."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.plan.present import date_label, long_date, page_window, plural
from sitegen.plan.views import Link


def test_dates_read_as_the_listings_write_them():
    assert date_label(dt.date(2024, 10, 9)) == "Oct 9, 2024"
    assert date_label(None) == "Undated"
    assert long_date(dt.date(2024, 10, 9)) == "Wednesday, October 9, 2024"


def test_counts_agree_with_their_noun():
    assert [plural(n, "paper") for n in (0, 1, 2)] == ["0 papers", "1 paper", "2 papers"]


def labels(count: int, current: int) -> list[str]:
    pages = tuple(Link(f"/page/{n}/", str(n)) for n in range(1, count + 1))
    return ["…" if link is None else link.label for link in page_window(pages, current)]


@pytest.mark.parametrize("count, current, shown", [
    (1, 1, ["1"]),
    (4, 2, ["1", "2", "3", "4"]),
    (10, 1, ["1", "2", "3", "…", "10"]),
    (10, 5, ["1", "…", "3", "4", "5", "6", "7", "…", "10"]),
    (10, 4, ["1", "2", "3", "4", "5", "6", "…", "10"]),
    (10, 10, ["1", "…", "8", "9", "10"]),
    (600, 300, ["1", "…", "298", "299", "300", "301", "302", "…", "600"]),
])
def test_the_pagination_shows_first_last_and_nearby_pages_with_gaps_marked(count, current, shown):
    assert labels(count, current) == shown
