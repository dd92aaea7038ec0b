"""Bytes of a listing dump -> a flat list of typed tokens, one per logical line.

This is the part that deals with how dumps are *saved*: encodings and BOMs,
CR/LF/CRLF, stray whitespace, and lines the browser glued together. It knows
what a byline, a `·` separator and a date line look like, and which lines are
the Daily Papers page's own chrome. It does not decide what is a title and
what an abstract: that is the parser's job, from the order of the tokens.
"""

from __future__ import annotations

import codecs
import re
from enum import Enum
from typing import NamedTuple

from sitegen.read.dates import DateLine, parse_date_line


class Kind(Enum):
    TEXT = "text"  # a title, an abstract, an organisation byline or unknown header text
    AUTHORS = "authors"  # `• 7 authors`
    DOT = "dot"  # the lone `·` between byline and date
    DATE = "date"  # `Oct 9, 2024 2`
    HEADER_DATE = "header date"  # the page's own `Mar 12`, right after its chrome
    CHROME = "chrome"  # `Subscribe`, `Daily Papers`, ...: the page's fixed text


class Token(NamedTuple):  # a tuple: the cheapest record to build, and one is built per line
    kind: Kind
    line: int
    text: str
    authors: int | None = None
    date: DateLine | None = None


class DecodeError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


# The fixed text of the Daily Papers page around the list. Known phrases are
# only ever dropped when they stand alone or are glued to the *start* of a
# line, so a paper that merely mentions them is untouched.
CHROME_LINES = frozenset(
    s.lower()
    for s in (
        "new",
        "Subscribe",
        "Daily Papers",
        "Trending Papers",
        "byAK and the research community",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
    )
)
LONGEST_SPECIAL_LINE = max(map(len, CHROME_LINES))
GLUED_CHROME = (
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "byAK and the research community",
    "Daily Papers",
    "Subscribe",
)

AUTHORS_LINE = re.compile(r"(?:•[ \t]*)?(\d{1,5})[ \t]+authors?", re.IGNORECASE | re.ASCII)
GLUED_AUTHORS = re.compile(r"(?P<head>.*\S)[ \t]*(?P<byline>•[ \t]*\d{1,5}[ \t]+authors?)", re.IGNORECASE | re.ASCII)
LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
# Zero-width characters are trimmed at the ends only: inside a title they may
# hold an emoji sequence together.
EDGE_JUNK = " \ufeff\u200b\u200c\u200d\u2060"
# A date line is short and starts with a month name: cheap tests first, so the
# long abstract lines skip the regular expressions.
LONGEST_DATE_LINE = 40


def decode(data: bytes) -> str:
    """Text of a dump: UTF-8 (BOM optional) or UTF-16 with a BOM."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(1, f"not valid UTF-16 ({exc.reason}); save the file as UTF-8") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]  # so error offsets below count from the text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Lines and columns as an editor counts them: any line end, characters not bytes.
        lines_before = LINE_BREAK_BYTES.split(data[: exc.start])
        line = len(lines_before)
        column = len(lines_before[-1].decode("utf-8", "replace")) + 1
        raise DecodeError(
            line,
            f"not valid UTF-8 at column {column} (byte 0x{data[exc.start]:02X}); "
            "re-save the file as UTF-8 (in most editors: Save As, encoding UTF-8)",
        ) from None


def clean(text: str) -> str:
    """Runs of any whitespace -> one space; whitespace and zero-width characters trimmed at the ends."""
    return " ".join(text.split()).strip(EDGE_JUNK)


def glued_chrome(text: str) -> tuple[str, str] | None:
    """`(phrase, rest)` if `text` starts with page chrome glued to the next line.

    The phrase matches in any ASCII case (`subscribeMGPT`); the rest must not
    just continue a word (`Subscribers`), so it starts with a non-lowercase
    character or its first word has capitals in it (`SubscribemGPT: ...`).
    """
    for phrase in GLUED_CHROME:
        head, rest = text[: len(phrase)], text[len(phrase):]
        if not rest or not head.isascii() or head.lower() != phrase.lower() or rest[0].isspace():
            continue
        first_word = rest.split(" ", 1)[0]
        if not rest[0].islower() or not first_word.islower():
            return text[: len(phrase)], rest
    return None


def split_glued(text: str, after_chrome: bool) -> list[str]:
    """Undo the gluing a browser copy does when two elements touch.

    `SubscribeTransformer ...` -> `Subscribe`, `Transformer ...` (only right
    after other page chrome, so a title that starts with "Subscribe" stays);
    `... results. • 9 authors · Oct 9` -> text, byline, `·`, date.
    """
    if not after_chrome and "·" not in text and "•" not in text:
        return [text]  # nothing glued: the common case
    pieces: list[str] = []
    while after_chrome and (glued := glued_chrome(text)):
        pieces.append(glued[0])
        text = glued[1]
    if "·" in text and text != "·":
        head, _, tail = text.rpartition("·")
        head, tail = head.strip(), tail.strip()
        if not tail or parse_date_line(tail):
            pieces.extend(split_glued(head, False) if head else [])
            pieces.append("·")
            if tail:
                pieces.append(tail)
            return pieces
    if "•" in text:
        match = GLUED_AUTHORS.fullmatch(text)
        if match and not AUTHORS_LINE.fullmatch(text):
            pieces.extend([match["head"], match["byline"]])
            return pieces
    pieces.append(text)
    return pieces


def classify(text: str, line: int, after_chrome: bool) -> Token:
    if text == "·":
        return Token(Kind.DOT, line, text)
    if len(text) > LONGEST_SPECIAL_LINE:  # most lines: titles and abstracts
        return Token(Kind.TEXT, line, text)
    if text.isascii() and text.lower() in CHROME_LINES:
        return Token(Kind.CHROME, line, text)
    if len(text) > LONGEST_DATE_LINE:
        return Token(Kind.TEXT, line, text)
    if match := AUTHORS_LINE.fullmatch(text):
        return Token(Kind.AUTHORS, line, text, authors=int(match[1]))
    if date := parse_date_line(text):
        # The page's own date sits right under its chrome; a paper's comes
        # after a byline or an abstract.
        return Token(Kind.HEADER_DATE if after_chrome else Kind.DATE, line, text, date=date)
    return Token(Kind.TEXT, line, text)


def lines_of(text: str) -> list[str]:
    """Split at LF, CRLF or CR (and nothing else, so line numbers match editors')."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    after_chrome = True  # the top of the file counts as chrome: the page starts there
    for number, raw in enumerate(lines_of(text), start=1):
        line = clean(raw)
        if not line:
            continue
        for piece in split_glued(line, after_chrome):
            token = classify(piece, number, after_chrome)
            tokens.append(token)
            after_chrome = token.kind is Kind.CHROME or token.kind is Kind.HEADER_DATE
    return tokens
