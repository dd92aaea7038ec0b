"""What the shipped dumps hold, counted without sitegen's parser.

The five files in content/listings/ use three layouts, and all three are
regular enough to count with a few plain rules: drop the page header, take
the `·` line with the byline above it and the date line below it as a block's
meta lines, and what is left alternates title line, abstract line. The tests
compare the parser's reading with these counts, so a parser bug cannot hide
by agreeing with itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "content" / "listings"
HEADER_LINES = {
    "new",
    "Get trending papers in your email inbox!",
    "Get trending papers in your email inbox once a day!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
}
HEADER_DATE = re.compile(r"[A-Z][a-z]{2} \d{1,2}")
DATE = re.compile(r"(?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?(?: (?P<upvotes>\d+))?")


@dataclass(frozen=True)
class Block:
    line: int  # of the title, 1-based
    title: str
    abstract: str
    byline: str | None
    date: str | None


def body_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of the non-blank lines after the page header."""
    numbered = [(n, text) for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text.strip()]
    start = 0
    while numbered[start][1] in HEADER_LINES:
        start += 1
    if HEADER_DATE.fullmatch(numbered[start][1]):
        start += 1
    n, first = numbered[start]
    if first.startswith("Subscribe"):  # the layout with the first title glued to it
        numbered[start] = (n, first.removeprefix("Subscribe"))
    return numbered[start:]


def blocks(path: Path) -> list[Block]:
    lines = body_lines(path)
    dots = {i for i, (_, text) in enumerate(lines) if text == "·"}
    meta = dots | {i - 1 for i in dots} | {i + 1 for i in dots}
    found: list[Block] = []
    i = 0
    while i < len(lines):
        assert i not in meta, f"{path.name}:{lines[i][0]}: a meta line where a title belongs"
        assert i + 1 not in meta, f"{path.name}:{lines[i][0]}: a title without an abstract"
        dated = i + 3 in dots
        found.append(Block(
            line=lines[i][0],
            title=lines[i][1],
            abstract=lines[i + 1][1],
            byline=lines[i + 2][1].strip() if dated else None,
            date=lines[i + 4][1] if dated else None,
        ))
        i += 5 if dated else 2
    return found


def shipped_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.txt"))
