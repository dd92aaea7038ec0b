"""Date lines (`Oct 9, 2024 2`, `Oct 21 5`, `Dec 9, 2023`) and save dates.

The save-date rule. A listing's save date comes from exactly one place: the
ISO date that starts its file name (`2025-11-13-anything.txt`), because the
dumps' own headers carry only `Mon D`. When the header has that `Mon D`, it
is cross-checked and a mismatch is a warning (the file name still wins). A
file name that starts with an impossible date (`2025-02-30-...`) is an error.
A file name without a leading date means the save date is unknown.

Paper dates. `Mon D, YYYY` is that day. `Mon D` (no year) is in the save
date's year, or the year before when that would put the paper after the save
date; month and day alone decide this, so `Feb 29` in a non-leap save year is
an impossible date. With no save date, a yearless date is not guessed: the
paper stays undated, with a warning that says how to fix it. Impossible dates
(`Feb 30, 2024`) leave the paper undated, with a warning; the block keeps its
place and its upvotes. Month names and digits are matched as ASCII only.
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
    # date: then the page was showing a paper from the previous year. Which
    # year is decided by month and day alone, so `Feb 29` in a non-leap year
    # is impossible rather than quietly moved to another year.
    year = saved_on.year - 1 if (line.month, line.day) > (saved_on.month, saved_on.day) else saved_on.year
    try:
        return dt.date(year, line.month, line.day), None
    except ValueError:
        return None, f"impossible date {line.text!r} (in {year}); the paper is kept undated: correct the date line"


def save_date_from_file_name(name: str) -> tuple[dt.date | None, str | None]:
    """The ISO date that starts a listing's file name, if any."""
    match = FILE_NAME_DATE.match(name)
    if not match:
        return None, None
    try:
        return dt.date(*(int(part) for part in match.groups())), None
    except ValueError:
        return None, f"file name starts with an impossible date {match.group(0)!r}"
