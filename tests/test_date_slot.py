"""Issue 15, item 14: whatever stands in a block's date slot (the line after its
byline's `·`), the block stays one paper. A line that is no date is that paper's
malformed date: a FILE:LINE warning, the paper kept undated, and never a new
"paper" titled with the date line. Property tests over many kinds of bad dates."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitegen.core.diagnostics import Diagnostics
from sitegen.read.dates import parse_date_line, resolve
from sitegen.read.lexer import AUTHORS_LINE, CHROME_LINES, clean
from sitegen.read.parser import parse_listing
from tests.dumps import FILE_NAME, MONTHS, SAVED_ON, block_lines, header_lines, papers

WRONG_MONTHS = ["Oxt", "Jnu", "Sepember", "Octobre", "Okt", "Dez", "Mai", "Smarch", "Mon", "Thu", "Janu", "0ct", "M4r"]
DAY = st.integers(-5, 400).map(str)
YEAR = st.sampled_from(["2024", "24", "20245", "'24", "MMXXIV", "2O24"])
UPVOTES = st.integers(0, 99999).map(str)


def joined(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


@st.composite
def wrong_month(draw) -> str:
    day = draw(DAY) + (f", {draw(YEAR)}" if draw(st.booleans()) else "")
    return joined(draw(st.sampled_from(WRONG_MONTHS)), day, draw(st.none() | UPVOTES))


@st.composite
def impossible_day(draw) -> str:
    month = draw(st.sampled_from(MONTHS))
    day = draw(st.sampled_from(["0", "00", "30", "31", "32", "99", "123", "1000", "-1", "1.5", "½"]))
    year = draw(st.sampled_from(["", ", 2024", ", 2023", ", 1900", ", 0000", ", 99999"]))
    return joined(f"{month} {day}{year}", draw(st.none() | UPVOTES))


def other_formats() -> st.SearchStrategy[str]:
    return st.sampled_from(["2024-10-09", "2024-13-45", "10/09/2024", "9.10.2024", "09 Oct 2024", "Oct-9-2024",
                            "Oct 9,", "Oct , 2024", "Oct", "9", "Oct 9, 2024, 12", "Oct 9, 2024 12 upvotes",
                            "Oct 9 · 12", "yesterday", "today", "n/a", "??", "—", "TBD", "unknown date",
                            "Date: Oct 9", "Published Oct 9", "12 upvotes", "Oct 9th, 2024", "October ninth"])


GARBAGE = st.text(alphabet="abcxyzOQ019 ,:/-'()#", min_size=1, max_size=30)
BAD_DATES = st.one_of(wrong_month(), impossible_day(), other_formats(), GARBAGE)


def usable(line: str) -> bool:
    """A bad date for this test: not a real date line, page chrome or a byline (each of which
    means something else in that slot), and not blank."""
    text = clean(line)
    date_line = parse_date_line(text)
    if date_line and resolve(date_line, SAVED_ON)[0] is not None:
        return False  # a real date
    return bool(text) and text.lower() not in CHROME_LINES and not AUTHORS_LINE.fullmatch(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(papers("dated"), min_size=1, max_size=5, unique_by=lambda paper: paper.title),
       st.data(), st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_bad_date_in_the_date_slot_is_that_papers_undated_date_never_a_paper(chosen, data, end):
    dated = [index for index, paper in enumerate(chosen) if paper.date]
    assume(dated)
    bad_index = data.draw(st.sampled_from(dated))
    bad = data.draw(BAD_DATES.filter(usable))
    lines = header_lines("dated")
    for index, paper in enumerate(chosen):
        block = block_lines(paper, "dated", year_shown=data.draw(st.booleans()))
        if index == bad_index:
            assert block[5] == "·"
            block[6] = bad
            bad_line = len(lines) + 7
        lines += block
    report = Diagnostics()
    listing = parse_listing(end.join(lines).encode("utf-8"), FILE_NAME, report)
    assert [entry.title for entry in listing.entries] == [paper.title for paper in chosen]
    assert [entry.abstract for entry in listing.entries] == [paper.abstract for paper in chosen]
    expected_dates = [None if index == bad_index else paper.date for index, paper in enumerate(chosen)]
    if parse_date_line(clean(bad)):  # a date line's shape with an impossible day: also undated
        assert listing.entries[bad_index].date is None
    assert [entry.date for entry in listing.entries] == expected_dates
    warnings = [d for d in report.items if d.line == bad_line]
    assert len(warnings) == 1 and warnings[0].severity.value == "warning", [str(d) for d in report.items]
    assert repr(clean(bad)) in warnings[0].message and "kept undated" in warnings[0].message
    assert [str(d) for d in report.items if d.line != bad_line] == []


def test_the_issues_example_reads_as_one_undated_paper_with_a_warning():
    text = ("Daily Papers\n\nOct 10\n\nDenoising Diffusion Models\n\nWe study diffusion.\n\n  • 3 authors\n·\n"
            "Oxt 9, 2024 12\n\nSecond Paper\n\nAnother abstract.\n\n  • 2 authors\n·\nOct 9, 2024 3\n")
    report = Diagnostics()
    listing = parse_listing(text.encode(), "2024-10-10-x.txt", report)
    assert [(e.title, e.date) for e in listing.entries] == [("Denoising Diffusion Models", None),
                                                              ("Second Paper", listing.entries[1].date)]
    assert listing.entries[1].date is not None
    assert [str(d) for d in report.items] == [
        "2024-10-10-x.txt:11: warning: date line 'Oxt 9, 2024 12' of paper 'Denoising Diffusion Models' is not a "
        "date such as 'Oct 9, 2024 12'; the paper is kept undated: correct the date line"]


def test_a_missing_date_line_still_leaves_the_next_title_a_paper():
    # The other side of the rule: a block whose date line was lost is not allowed to eat the next title.
    for title in ("Attention Is All You Need", "GPT-4 Technical Report", "Llama 3", "A"):
        text = (f"Daily Papers\n\nOct 10\n\nFirst Paper\n\nWe study things.\n\n  • 3 authors\n·\n\n{title}\n\n"
                "We study other things at length, with results.\n\n  • 2 authors\n·\nOct 9, 2024 3\n")
        listing = parse_listing(text.encode(), "2024-10-10-x.txt", Diagnostics())
        assert [e.title for e in listing.entries] == ["First Paper", title]
