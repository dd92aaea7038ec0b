"""A new listing's save date and the name of its copy in `listings/`.

The build takes a listing's save date from the ISO date its file name starts
with (read/dates.py), so the copy is named `YYYY-MM-DD-<hash>.txt` and the
date is decided here, once, in this order:
1. `--saved`, which the curator knows best;
2. a date anywhere in the dump's own file name (`papers 2025-11-13.txt`);
3. the header: its `Mon D, YYYY` as written, or its `Mon D` in the year of the
   archive's newest listing (this year when the archive has none), the year
   before when that would be after today, with a warning, since it is a guess;
4. none: the copy is named `<hash>.txt` and added undated, with a warning.
A save date after today is never taken: nothing can have been saved then.
The hash is of the bytes, so the same dump always gets the same name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from sitegen.read.dates import parse_date_line, save_date_from_file_name

NAME_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
HASH_LENGTH = 16


@dataclass(frozen=True)
class SaveDate:
    """When a dump was saved, where that came from, and what to tell the curator about it."""

    date: dt.date | None
    source: str  # "--saved", "file name", "header", "header, year guessed" or "none"
    warning: str | None = None
    error: str | None = None


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def copy_name(saved: dt.date | None, data: bytes) -> str:
    return f"{saved.isoformat()}-{content_hash(data)}.txt" if saved else f"{content_hash(data)}.txt"


def date_in_name(name: str) -> tuple[dt.date | None, str | None]:
    """The first ISO date anywhere in a file name (the build reads one only at the start)."""
    match = NAME_DATE.search(name)
    if not match:
        return None, None
    named, problem = save_date_from_file_name(match.group(0))
    return named, problem and f"{problem}; pass --saved YYYY-MM-DD with the day the page was saved"


def guessed_year(month: int, day: int, newest: dt.date | None, today: dt.date) -> dt.date | None:
    """`Mon D` in the newest listing's year (or this year), stepped back a year if after today."""
    year = newest.year if newest else today.year
    for candidate in (year, year - 1):
        try:
            date = dt.date(candidate, month, day)
        except ValueError:  # Feb 29 outside a leap year
            continue
        if date <= today:
            return date
    return None


def save_date(saved: dt.date | None, file_name: str, header: str | None, newest: dt.date | None,
              today: dt.date) -> SaveDate:
    """Decide the save date of a dump called `file_name` whose header says `header` (`Mon D`, or None)."""
    if saved is not None:
        return SaveDate(saved, "--saved")
    named, problem = date_in_name(file_name)
    if problem:
        return SaveDate(None, "file name", error=problem)
    if named is not None:
        if named > today:
            return SaveDate(None, "file name", error=(
                f"the file name says {named.isoformat()}, after today ({today.isoformat()}); "
                "pass --saved YYYY-MM-DD with the day the page was saved"))
        return SaveDate(named, "file name")
    line = parse_date_line(header) if header else None
    if line is None:
        return SaveDate(None, "none", warning=(
            "no save date: neither the file name nor the header has one, so it is added undated and its "
            "papers without a year stay undated; pass --saved YYYY-MM-DD to date it"))
    if line.year is not None:
        try:
            written = dt.date(line.year, line.month, line.day)
        except ValueError:
            written = None
        if written is None or written > today:
            return SaveDate(None, "header", error=(
                f"the header's date {header!r} is no day up to today; pass --saved YYYY-MM-DD"))
        return SaveDate(written, "header")
    guess = guessed_year(line.month, line.day, newest, today)
    if guess is None:
        return SaveDate(None, "header", error=(
            f"the header's {header!r} is no day in {(newest or today).year} up to today; pass --saved YYYY-MM-DD"))
    basis = f"the year of the newest listing ({newest.isoformat()})" if newest else f"this year ({today.year})"
    return SaveDate(guess, "header, year guessed", warning=(
        f"save date {guess.isoformat()} guessed from the header's {header!r} and {basis}; "
        "pass --saved YYYY-MM-DD if it is wrong"))
