"""Tokens of one dump -> a `Listing` of paper blocks.

A paper block is: a title line, an abstract (one or more paragraphs), and
optionally a byline (`• N authors` or an organisation line), a `·` and a date
line. Nothing marks where a title ends and an abstract begins except order and
shape, so the parser does not guess line by line. It finds the reading of the
*whole file* that fits the block grammar best (a Viterbi search over a small
state machine): titles are short and not sentences, abstracts are prose,
an organisation line sits right before the `·`/date (in place of `• N
authors`), and unknown text may only come before the first paper (and not
after the page's own `Mon D`). A file with no blank lines, extra blank lines,
a cut-off last block or an unknown header all read the same way, and every
line that is not part of a paper is reported rather than silently dropped.
The save date and how paper dates get their year: see read/dates.py.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.read import dates
from sitegen.core.diagnostics import Diagnostics
from sitegen.read.controls import drop_forbidden
from sitegen.read.lexer import DecodeError, Kind, Token, decode, tokenize
from sitegen.core.models import Listing, ListingEntry, Org
from sitegen.core.slugs import slugify



class Label(enum.Enum):
    """How the best reading reads one token."""

    TITLE = "title"
    ABSTRACT = "abstract"
    MORE = "more"  # another paragraph of the abstract
    ORG = "org"  # an organisation byline
    BYLINE = "byline"  # `• N authors`
    DOT = "dot"
    DATE = "date"
    BAD_DATE = "bad date"  # the line in a block's date slot that is not a date
    HEADER = "header"  # unknown page text before the list
    HEADER_DATE = "header date"  # the page's own `Mon D`
    SKIP = "skip"  # page chrome
    STRAY = "stray"  # a meta line that belongs to no paper


# Costs of the less likely readings. A reading that drops an abstract or
# ignores a meta line must pay more than any plausible misreading of shape.
MISSING_ABSTRACT = 4.0
STRAY = 6.0
CONTINUATION = 2.0
HEADER_AFTER_CHROME = 3.0  # unknown page text sits above the page's chrome, rarely between

SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]?\s+[A-Z(\"']")
ORG_LINE = re.compile(r"(?P<handle>\S{1,64})(?:\s+(?P<name>\S.{0,79}))?")
LONGEST_ORG_LINE = 64 + 1 + 80
LONGEST_BAD_DATE = 40  # `September 30, 2024 12345` with room for typos

# PRE: before the list, AFTER_CHROME: right after a line of page chrome,
# LISTED: after the page's own date, where the list of papers starts.
PRE, AFTER_CHROME, LISTED, TITLE, ABSTRACT, ORG, BYLINE, DOT, DATED = range(9)
BYLINE_ENDS = (Kind.DOT, Kind.DATE)  # what may follow an organisation line (it replaces `• N authors`)
OPEN_BLOCK = (TITLE, ABSTRACT, ORG, BYLINE, DOT)  # states a meta line may follow


def title_cost(text: str) -> float:
    cost = max(0.0, (len(text) - 200) / 50)
    # Breaks past the first 600 characters would only add to a cost already
    # far above any title's; not looking for them keeps long abstracts cheap.
    cost += 1.5 * len(SENTENCE_BREAK.findall(text, 0, 600))
    if text.endswith(".") and not text.endswith("et al."):
        cost += 1.0
    if "http://" in text or "https://" in text:
        cost += 2.0
    return cost


def abstract_cost(text: str) -> float:
    # Prose (a sentence end) is an abstract even when short; a short line
    # without one more likely is a title or header text. Without that
    # distinction a page of short abstracts read cheaper as header text and
    # every paper in it was skipped.
    if text.endswith((".", "!", "?")) or SENTENCE_BREAK.search(text):
        return max(0.0, (60 - len(text)) / 40)
    return 1.0 + max(0.0, (150 - len(text)) / 40)


def org_cost(text: str) -> float:
    if len(text) > LONGEST_ORG_LINE:
        return math.inf
    match = ORG_LINE.fullmatch(text)
    if not match:
        return math.inf
    return 0.3 if match["name"] else 1.0


def header_cost(text: str) -> float:
    return 1.0 + len(text) / 100


def bad_date_cost(text: str) -> float:
    """The cost of reading the line in a block's date slot (after its `·`) as a
    date that is not one (`Oxt 9, 2024`, `Oct 123`, `yesterday`): cheap for a
    short line with digits, dearer for words alone, never for a long line. Read as
    a title instead, it would make a paper of the date (issue 15)."""
    if len(text) > LONGEST_BAD_DATE:
        return math.inf
    return 0.5 if any(char.isdigit() for char in text) else 2.0


# A text line's cost vector, indexed by these; other tokens cost nothing of their own.
TITLE_COST, ABSTRACT_COST, ORG_COST, HEADER_COST, NO_COST, BAD_DATE_COST = range(6)
FREE = (0.0,) * 6


def text_costs(text: str, next_kind: Kind | None, previous_kind: Kind | None) -> tuple[float, ...]:
    # An organisation line is only ever read right before its `·` or date, so
    # most lines skip the org pattern; a bad date only right after a `·`.
    org = org_cost(text) if next_kind in BYLINE_ENDS else math.inf
    bad_date = bad_date_cost(text) if previous_kind is Kind.DOT else math.inf
    return (title_cost(text), abstract_cost(text), org, header_cost(text), 0.0, bad_date)


def moves(state: int, kind: Kind) -> list[tuple[Label, int, int, float]]:
    """(label, next state, which text cost, fixed cost) for each way a `kind` token may be read in `state`."""
    missing = MISSING_ABSTRACT if state == TITLE else 0.0
    if state == ORG and kind not in BYLINE_ENDS:
        return []  # an organisation line is a byline only right before its `·` or date
    if kind is Kind.TEXT:
        options = [(Label.TITLE, TITLE, TITLE_COST, missing)]
        if state in (PRE, AFTER_CHROME):
            options.append((Label.HEADER, PRE, HEADER_COST, HEADER_AFTER_CHROME if state == AFTER_CHROME else 0.0))
        elif state == TITLE:
            options.append((Label.ABSTRACT, ABSTRACT, ABSTRACT_COST, 0.0))
        elif state == ABSTRACT:
            options.append((Label.MORE, ABSTRACT, ABSTRACT_COST, CONTINUATION))
        if state in (TITLE, ABSTRACT):
            options.append((Label.ORG, ORG, ORG_COST, missing))
        if state == DOT:
            options.append((Label.BAD_DATE, DATED, BAD_DATE_COST, 0.0))
        return options
    if kind is Kind.CHROME:
        return [(Label.SKIP, AFTER_CHROME if state == PRE else state, NO_COST, 0.0)]
    if kind is Kind.HEADER_DATE:
        return [(Label.SKIP, LISTED if state in (PRE, AFTER_CHROME) else state, NO_COST, 0.0)]
    if kind is Kind.AUTHORS and state in (TITLE, ABSTRACT):
        return [(Label.BYLINE, BYLINE, NO_COST, missing)]
    if kind is Kind.DOT and state in OPEN_BLOCK and state != DOT:
        return [(Label.DOT, DOT, NO_COST, missing)]
    if kind is Kind.DATE and state in OPEN_BLOCK:
        return [(Label.DATE, DATED, NO_COST, missing)]
    if kind is Kind.DATE and state in (PRE, AFTER_CHROME):
        return [(Label.HEADER_DATE, LISTED, NO_COST, 0.0)]
    return [(Label.STRAY, state, NO_COST, STRAY)]


# The grammar as a table, built once: for each token kind, every state's moves.
STATES = range(DATED + 1)
GRAMMAR = {kind: [tuple(moves(state, kind)) for state in STATES] for kind in Kind}


def best_reading(tokens: list[Token]) -> list[Label]:
    """The labels of the lowest-cost reading of the whole token sequence."""
    frontier: dict[int, float] = {PRE: 0.0}  # the reachable states only: a few at a time
    history: list[dict[int, tuple[int, Label]]] = []
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        kind = token.kind
        if kind is Kind.TEXT:
            costs = text_costs(token.text, tokens[index + 1].kind if index < last else None,
                               tokens[index - 1].kind if index else None)
        else:
            costs = FREE
        moves_of = GRAMMAR[kind]
        step: dict[int, float] = {}
        back: dict[int, tuple[int, Label]] = {}
        for state, so_far in frontier.items():
            for label, target, which, fixed in moves_of[state]:
                total = so_far + costs[which] + fixed
                if total < step.get(target, math.inf):
                    step[target] = total
                    back[target] = (state, label)
        frontier = step
        history.append(back)
    # A file may end anywhere but inside an organisation byline; ending on a
    # bare title means the file was cut off after it.
    final = {s: c + (MISSING_ABSTRACT if s == TITLE else 0.0) for s, c in frontier.items() if s != ORG}
    state = min(final, key=lambda s: (final[s], s))
    labels: list[Label] = []
    for back in reversed(history):
        state, label = back[state]
        labels.append(label)
    labels.reverse()
    return labels


@dataclass
class Draft:
    title: Token
    abstract: list[str] = field(default_factory=list)
    authors: int | None = None
    org: Org | None = None
    meta: Token | None = None  # the byline or `·`, which promise a date line
    date: Token | None = None
    bad_date: Token | None = None  # a line in the date slot that is no date


def parse_org(text: str) -> Org:
    match = ORG_LINE.fullmatch(text)
    assert match, "the parser reads a line as an organisation only if it matches ORG_LINE"
    return Org(handle=match["handle"], name=match["name"] or match["handle"])


def read_blocks(tokens: list[Token], labels: list[Label], source: str, report: Diagnostics) -> tuple[list[Draft], Token | None]:
    drafts: list[Draft] = []
    header_date: Token | None = None
    for token, label in zip(tokens, labels):
        draft = drafts[-1] if drafts else None
        if label is Label.TITLE:
            drafts.append(Draft(title=token))
        elif label is Label.ABSTRACT or label is Label.MORE:
            draft.abstract.append(token.text)
        elif label is Label.ORG:
            draft.org, draft.meta = parse_org(token.text), token
        elif label is Label.BYLINE:
            draft.authors, draft.meta = token.authors, token
        elif label is Label.DOT:
            draft.meta = draft.meta or token
        elif label is Label.DATE:
            draft.date = token
        elif label is Label.BAD_DATE:
            draft.bad_date = token
            report.warn(source, token.line, f"date line {token.text!r} of paper {draft.title.text[:80]!r} is not a date "
                        "such as 'Oct 9, 2024 12'; the paper is kept undated: correct the date line")
        elif label in (Label.HEADER_DATE, Label.SKIP) and token.kind in (Kind.DATE, Kind.HEADER_DATE):
            header_date = header_date or token
        elif label is Label.HEADER:
            report.warn(source, token.line, f"skipped text before the first paper: {token.text[:80]!r}")
        elif label is Label.STRAY:
            report.warn(source, token.line, f"{token.kind.value} line {token.text!r} belongs to no paper and was ignored; "
                        "delete it or move it back into its paper's block")
    for draft in drafts:
        if not draft.abstract:
            report.warn(
                source,
                draft.title.line,
                f"paper {draft.title.text[:80]!r} has no abstract (is the file cut off?); kept with an empty abstract",
            )
        elif draft.meta and not draft.date and not draft.bad_date:
            report.warn(
                source,
                draft.meta.line,
                f"paper {draft.title.text[:80]!r} has a byline but no date line after it (is the file cut off?); kept undated",
            )
    return drafts, header_date


def save_date(file_name: str, header_date: Token | None, source: str, report: Diagnostics):
    saved_on, problem = dates.save_date_from_file_name(file_name)
    if problem:
        report.error(source, 0, f"{problem}; rename the file to start with a real YYYY-MM-DD date")
    if saved_on and header_date and header_date.date:
        said = header_date.date
        if (said.month, said.day) != (saved_on.month, saved_on.day) or (said.year not in (None, saved_on.year)):
            report.warn(
                source,
                header_date.line,
                f"the header says {header_date.text!r} but the file name says {saved_on.isoformat()}; "
                "the file name's date is used: rename the file if it is wrong",
            )
    return saved_on


def parse_listing(data: bytes, source_path: Path | str, report: Diagnostics) -> Listing | None:
    """Parse one dump. Problems go to `report`; None only if the file is unreadable.

    It makes a token per line and an entry per block, and no cycles among
    them: callers parsing many dumps pause the collector around it (build.py)."""
    source = str(source_path)
    name = Path(source_path).name
    try:
        text = decode(data)
    except DecodeError as exc:
        report.error(source, exc.line, str(exc))
        return None
    tokens = tokenize(drop_forbidden(text, source, report))
    labels = best_reading(tokens)
    drafts, header_date = read_blocks(tokens, labels, source, report)
    saved_on = save_date(name, header_date, source, report)
    entries = []
    for draft in drafts:
        date, upvotes = None, None
        if draft.date:
            date, problem = dates.resolve(draft.date.date, saved_on)
            upvotes = draft.date.date.upvotes
            if problem:
                report.warn(source, draft.date.line, problem)
            elif saved_on and date > saved_on:
                report.warn(source, draft.date.line, f"date {draft.date.text!r} is after the listing was saved ({saved_on})")
        entries.append(
            ListingEntry(
                line=draft.title.line,
                title=draft.title.text,
                abstract="\n\n".join(draft.abstract),
                authors=draft.authors,
                org=draft.org,
                date=date,
                upvotes=upvotes,
            )
        )
    if not entries:
        report.warn(source, 0, "no papers found in this file (is it empty or only a page header?); "
                    "save the whole Daily Papers page into it, or delete it")
    return Listing(
        id=slugify(Path(name).stem, max_length=120),
        source_path=source,
        saved_on=saved_on,
        header_date=header_date.text if header_date else None,
        entries=tuple(entries),
    )
