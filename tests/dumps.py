"""Hypothesis strategies: random papers, rendered into listing dumps as a browser saves them.

A `Dump` holds the papers it was made from and the bytes it renders to, so a
test can parse the bytes and compare with the papers. The three layouts are
the ones the shipped dumps show (see content/listings and its README):

- "plain": title, blank, abstract, blank; no bylines or dates;
- "dated": as plain, plus a byline, a `·` line and a date line after abstracts;
- "glued": no blank lines at all, the first title glued to "Subscribe".

On top, the saving varies the way real saves do: LF, CRLF, CR or a mix of
them, a UTF-8 BOM, trailing whitespace and extra blank lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import assume
from hypothesis import strategies as st

SAVED_ON = dt.date(2025, 6, 10)
FILE_NAME = "2025-06-10-random.txt"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
LAYOUTS = ("plain", "dated", "glued")


@dataclass(frozen=True)
class Paper:
    title: str
    abstract: str
    authors: int | None = None
    org: tuple[str, str] | None = None  # (handle, name)
    date: dt.date | None = None
    upvotes: int | None = None


@dataclass(frozen=True)
class Dump:
    layout: str
    papers: tuple[Paper, ...]
    data: bytes


# Words as titles and abstracts use them: ASCII, digits, hyphenated names,
# other scripts, markup-like text and an emoji. Abstracts may also hold URLs
# and abbreviations with a full stop; titles do not (a title that reads like
# prose is exactly what tells it from an abstract in a dump without blank lines).
TITLE_WORD = st.one_of(
    st.from_regex(r"[a-z]{1,10}", fullmatch=True),
    st.sampled_from(["LLM", "GPT-4", "3D", "mGPT", "Pre-Training", "注意力", "Привет", "&", "<EOS>", "🚀",
                     "(LMs),", "50%", "O(n)", "über"]),
)
WORD = TITLE_WORD | st.sampled_from(["https://example.org/x?a=1&b=2", "vs.", "e.g.", "i.e.,"])


CHROME = {"new", "subscribe", "daily papers", "trending papers"}


def capitalised(word: str) -> str:
    """`word` with a capital first letter, unless it has capitals inside already (`mGPT`)."""
    if any(char.isupper() for char in word[1:]):
        return word
    return word[:1].upper() + word[1:]


@st.composite
def titles(draw) -> str:
    words = draw(st.lists(TITLE_WORD, min_size=1, max_size=12))
    title = " ".join([capitalised(words[0]), *words[1:]])
    if draw(st.booleans()):
        title = f"{draw(st.from_regex(r'[A-Z][A-Za-z0-9-]{1,12}', fullmatch=True))}: {title}"
    title = title.rstrip(".")
    assume(title.lower() not in CHROME)
    return title


@st.composite
def sentences(draw) -> str:
    words = draw(st.lists(WORD, min_size=3, max_size=25))
    return " ".join([capitalised(words[0]), *words[1:]]) + draw(st.sampled_from([".", ".", ".", "!", "?"]))


@st.composite
def abstracts(draw) -> str:
    return " ".join(draw(st.lists(sentences(), min_size=1, max_size=6)))


def dates():
    return st.dates(min_value=SAVED_ON - dt.timedelta(days=900), max_value=SAVED_ON)


@st.composite
def papers(draw, layout: str) -> Paper:
    title, abstract = draw(titles()), draw(abstracts())
    if layout != "dated" or draw(st.integers(0, 9)) == 0:  # the dated layout has the odd undated block too
        return Paper(title, abstract)
    by_org = draw(st.booleans())
    handle = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,20}", fullmatch=True))
    name = draw(st.sampled_from([handle, capitalised(handle), "Google", "Meta Llama", "MIT HAN Lab", "Ai2"]))
    return Paper(
        title,
        abstract,
        authors=None if by_org else draw(st.integers(1, 300)),
        org=(handle, name) if by_org else None,
        date=draw(dates()),
        upvotes=draw(st.none() | st.integers(0, 5000)),
    )


def date_line(paper: Paper, year_shown: bool) -> str:
    day = f"{MONTHS[paper.date.month - 1]} {paper.date.day}"
    year = f", {paper.date.year}" if year_shown or paper.date.year != SAVED_ON.year else ""
    upvotes = f" {paper.upvotes}" if paper.upvotes is not None else ""
    return day + year + upvotes


def block_lines(paper: Paper, layout: str, year_shown: bool) -> list[str]:
    if layout == "glued":
        return [paper.title, paper.abstract]
    lines = [paper.title, "", paper.abstract, ""]
    if paper.date:
        byline = f"{paper.org[0]} {paper.org[1]}" if paper.org else f"  • {paper.authors} authors"
        lines += [byline, "·", date_line(paper, year_shown), ""]
    return lines


def header_lines(layout: str) -> list[str]:
    if layout == "glued":
        return ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
    saved = f"{MONTHS[SAVED_ON.month - 1]} {SAVED_ON.day}"
    return ["new", "", "Get trending papers in your email inbox!", "", "Subscribe", "", "Daily Papers", "",
            "byAK and the research community", "", saved, ""]


@st.composite
def dumps(draw, layout: str | None = None) -> Dump:
    layout = layout or draw(st.sampled_from(LAYOUTS))
    chosen = draw(st.lists(papers(layout), min_size=1, max_size=6, unique_by=lambda p: p.title))
    lines = header_lines(layout)
    for paper in chosen:
        lines += block_lines(paper, layout, year_shown=draw(st.booleans()))
    if layout == "glued":
        first = len(lines) - 2 * len(chosen)
        lines[first] = draw(st.sampled_from(["Subscribe", "subscribe"])) + lines[first]
    elif draw(st.booleans()):  # extra blank lines anywhere
        for _ in range(draw(st.integers(1, 5))):
            lines.insert(draw(st.integers(0, len(lines))), "")
    ends = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    text = ""
    for line in lines:
        padding = draw(st.sampled_from(["", "", " ", "\t", "  \t"]))
        end = draw(st.sampled_from(["\n", "\r\n", "\r"])) if ends == "mixed" else ends
        text += line + padding + end
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return Dump(layout, tuple(chosen), data)
