"""Date lines (`Oct 9, 2024 2`, `Oct 21 5`, `Dec 9, 2023`) and save dates.

A paper's date line may omit the year; it then means the year the page was
saved. The save date comes from exactly one place, the ISO date that starts
the file name (`2025-11-13-anything.txt`), because the dumps' own headers
carry only `Mon D`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_LINE = re.compile(
    rf"(?P<month>{_MONTH_ALTERNATION})\.?[ \t]+(?P<day>\d{{1,2}})"
    rf"(?:,[ \t]*(?P<year>\d{{4}}))?(?:[ \t]+(?P<upvotes>\d{{1,9}}))?",
    # ASCII only: with Unicode rules `ſep` (long s) and `\d` (any script's
    # digits) would match too, and `ſep` is no key of MONTHS.
    re.IGNORECASE | re.ASCII,
)
FILE_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?=$|[^0-9])", re.ASCII)


@dataclass(frozen=True)
class DateLine:
    """A date line as written; the year is resolved later against the save date."""

    text: str
    month: int
    day: int
    year: int | None
    upvotes: int | None


def parse_date_line(text: str) -> DateLine | None:
    """Return the parts of `text` if the whole line is a date line, else None."""
    match = DATE_LINE.fullmatch(text)
    if not match:
        return None
    return DateLine(
        text=text,
        month=MONTHS[match["month"].lower()],
        day=int(match["day"]),
        year=int(match["year"]) if match["year"] else None,
        upvotes=int(match["upvotes"]) if match["upvotes"] else None,
    )


def resolve(line: DateLine, saved_on: dt.date | None) -> tuple[dt.date | None, str | None]:
    """The calendar date a date line means, or None and the reason why not."""
    if line.year is not None:
        try:
            return dt.date(line.year, line.month, line.day), None
        except ValueError:
            return None, f"impossible date {line.text!r}; the paper is kept undated: correct the date line"
    if saved_on is None:
        return None, (
            f"date {line.text!r} has no year and this listing's save date is unknown, "
            "so the paper is kept undated; start the file name with the save date "
            "(YYYY-MM-DD-...) to date it"
        )
    # A yearless date means the save year, unless that lies after the save
    # date: then the page was showing a paper from the previous year.
    for year in (saved_on.year, saved_on.year - 1):
        try:
            candidate = dt.date(year, line.month, line.day)
        except ValueError:
            continue
        if candidate <= saved_on:
            return candidate, None
    return None, f"impossible date {line.text!r}; the paper is kept undated: correct the date line"


def save_date_from_file_name(name: str) -> tuple[dt.date | None, str | None]:
    """The ISO date that starts a listing's file name, if any."""
    match = FILE_NAME_DATE.match(name)
    if not match:
        return None, None
    try:
        return dt.date(*(int(part) for part in match.groups())), None
    except ValueError:
        return None, f"file name starts with an impossible date {match.group(0)!r}"
