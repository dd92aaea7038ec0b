"""The parser on the shipped dumps and on the layouts and damage real dumps show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.core.diagnostics import Diagnostics
from sitegen.assemble.merge import merge_papers
from sitegen.core.models import Org
from sitegen.read.parser import parse_listing
from tests.dumps import FILE_NAME, Dump, dumps
from tests.shipped_dumps import SHIPPED, blocks, shipped_files


def parse(text: str | bytes, name: str = "2025-06-10-test.txt"):
    report = Diagnostics()
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_listing(data, Path(name), report), report


def parse_shipped(name_start: str):
    (path,) = [p for p in shipped_files() if p.name.startswith(name_start)]
    report = Diagnostics()
    return parse_listing(path.read_bytes(), path, report), report


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.name)
def test_every_shipped_block_is_read_with_its_own_title_and_abstract(path: Path):
    report = Diagnostics()
    listing = parse_listing(path.read_bytes(), path, report)
    expected = blocks(path)
    assert [(e.line, e.title, e.abstract) for e in listing.entries] == [(b.line, b.title, b.abstract) for b in expected]
    assert [e.date is not None for e in listing.entries] == [b.date is not None for b in expected]
    assert report.items == []


def test_shipped_block_and_paper_counts():
    counts = {p.name[:10]: len(blocks(p)) for p in shipped_files()}
    # Counted by hand from the layouts (see tests/shipped_dumps.py) and checked against blocks().
    assert counts == {"2025-03-12": 71, "2025-11-13": 97, "2025-11-21": 79, "2025-11-25": 67, "5e64fd8ada": 221}
    report = Diagnostics()
    listings = [parse_listing(p.read_bytes(), p, report) for p in shipped_files()]
    papers = merge_papers(listings, report)
    distinct_titles = {" ".join(b.title.lower().split()) for p in shipped_files() for b in blocks(p)}
    dated_titles = {" ".join(b.title.lower().split()) for p in shipped_files() for b in blocks(p) if b.date}
    assert (len(distinct_titles), len(dated_titles)) == (472, 224)
    assert len(papers) == len(distinct_titles)
    assert sum(1 for paper in papers if paper.date) == len(dated_titles)
    assert report.items == []


def test_spot_check_a_dated_block_with_yearless_date_and_upvotes():
    listing, _ = parse_shipped("2025-11-25")
    entry = next(e for e in listing.entries if e.line == 77)
    assert entry.title == "Predictive Data Selection: The Data That Predicts Is the Data That Teaches"
    assert entry.abstract.startswith("Language model pretraining involves training on extensive co")
    assert (entry.authors, entry.org, entry.date, entry.upvotes) == (8, None, dt.date(2025, 3, 2), 2)
    assert listing.saved_on == dt.date(2025, 11, 25) and listing.header_date == "Nov 25"


def test_spot_check_an_organisation_byline():
    listing, _ = parse_shipped("2025-11-25")
    entry = next(e for e in listing.entries if e.line == 213)
    assert entry.title == "LinEAS: End-to-end Learning of Activation Steering with a Distributional Loss"
    assert entry.org == Org(handle="apple", name="Apple") and entry.authors is None
    assert (entry.date, entry.upvotes) == (dt.date(2025, 3, 11), 1)


def test_spot_check_a_block_with_a_year_and_one_without_byline():
    listing, _ = parse_shipped("2025-11-13")
    first = listing.entries[0]
    assert first.title == "Deciphering Cross-Modal Alignment in Large Vision-Language Models with Modality Integration Rate"
    assert (first.authors, first.date, first.upvotes) == (9, dt.date(2024, 10, 9), 2)
    wan = next(e for e in listing.entries if e.line == 85)
    assert wan.title == "Wan: Open and Advanced Large-Scale Video Generative Models"
    assert (wan.authors, wan.org, wan.date, wan.upvotes) == (None, None, None, None)


def test_spot_check_the_glued_layout():
    listing, _ = parse_shipped("5e64")
    first = listing.entries[0]
    assert first.line == 3
    assert first.title == "Transformer Language Models without Positional Encodings Still Learn Positional Information"
    assert first.abstract.startswith("Causal transformer language models (LMs), such as GPT-3,")
    assert listing.saved_on is None and listing.header_date is None


def test_spot_check_a_paper_merged_across_three_dumps():
    report = Diagnostics()
    papers = merge_papers([parse_listing(p.read_bytes(), p, report) for p in shipped_files()], report)
    paper = next(p for p in papers if p.title.startswith("Predictive Data Selection"))
    assert paper.id == "predictive-data-selection-the-data-that-predicts-is-the-data-that-teaches"
    assert [(s.listing, s.line) for s in paper.seen_in] == [
        ("2025-03-12-d0a1b90939778342", 39), ("2025-11-13-8564cca4cc7b9d26", 257), ("2025-11-25-9055317b84f6e392", 77),
    ]
    assert (paper.date, paper.upvotes, paper.authors) == (dt.date(2025, 3, 2), 2, 8)


@pytest.mark.parametrize("chrome", ["Subscribe", "subscribe", "SUBSCRIBE"])
@pytest.mark.parametrize("title", ["Transformer Models", "mGPT: Few-Shot Learners", "3D Gaussians", "iGPT Again"])
def test_first_title_glued_to_subscribe_in_any_case_is_split(chrome: str, title: str):
    listing, report = parse(f"Get trending papers in your email inbox!\n{chrome}{title}\n"
                            "We study things. They work well.\nSecond Paper\nMore prose here. It is an abstract.\n")
    assert [e.title for e in listing.entries] == [title, "Second Paper"]
    assert report.items == []


def test_a_word_that_merely_starts_with_subscribe_is_not_split():
    listing, _ = parse("Subscribe\nSubscribers of the Future\nWe study subscribers. They are many.\n")
    assert [e.title for e in listing.entries] == ["Subscribers of the Future"]


def test_long_s_or_kelvin_sign_is_no_month_name():
    listing, report = parse("A Title\n\nAn abstract that says things. And more.\n\n  • 3 authors\n·\nſep 3, 2024\n"
                            "B Title\n\nAnother abstract here. With two sentences.\n\n  • 2 authors\n·\nOct 3 \u212a\n")
    assert listing is not None
    assert all(e.date is None for e in listing.entries)
    assert all("warning" in str(d) for d in report.items)


def test_impossible_date_is_a_warning_and_the_block_keeps_its_place():
    listing, report = parse("A Title\n\nAn abstract. More of it.\n\n  • 3 authors\n·\nFeb 30, 2024 5\n\n"
                            "B Title\n\nAnother abstract. Yes.\n\n  • 2 authors\n·\nMar 1, 2024\n")
    assert [(e.title, e.date, e.upvotes) for e in listing.entries] == [
        ("A Title", None, 5), ("B Title", dt.date(2024, 3, 1), None)]
    assert [str(d) for d in report.items] == [
        "2025-06-10-test.txt:7: warning: impossible date 'Feb 30, 2024 5'; the paper is kept undated: correct the date line"]


def test_yearless_date_after_the_save_date_is_last_year():
    listing, _ = parse("A Title\n\nAn abstract. More.\n\n  • 3 authors\n·\nDec 24 7\n")
    assert listing.entries[0].date == dt.date(2024, 12, 24)


def test_not_utf8_names_line_and_column():
    listing, report = parse(b"Title\r\n\r\nabc \xc3\xa9 \xff rest\r\n")
    assert listing is None
    assert [str(d) for d in report.errors] == [
        "2025-06-10-test.txt:3: error: not valid UTF-8 at column 7 (byte 0xFF); "
        "re-save the file as UTF-8 (in most editors: Save As, encoding UTF-8)"]


def test_shipped_folder_is_where_the_tests_look():
    assert len(shipped_files()) == 5 and SHIPPED.name == "listings"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dumps())
def test_random_papers_in_any_layout_and_saving_parse_back(dump: Dump):
    listing, report = parse(dump.data, FILE_NAME)
    assert [str(d) for d in report.items] == []
    read = [
        (e.title, e.abstract, e.authors, (e.org.handle, e.org.name) if e.org else None, e.date, e.upvotes)
        for e in listing.entries
    ]
    assert read == [(p.title, p.abstract, p.authors, p.org, p.date, p.upvotes) for p in dump.papers]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")),
       st.sampled_from(["2025-06-10-x.txt", "x.txt", "2025-02-30-x.txt"]))
def test_any_bytes_give_a_listing_or_an_error_never_an_exception(data: bytes, name: str):
    listing, report = parse(data, name)
    assert listing is not None or report.errors
    if listing is not None:
        assert all(e.title for e in listing.entries)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Title Words", "An abstract sentence. Another one.", "  • 3 authors", "·",
                                 "Oct 9, 2024 2", "Jun 3", "apple Apple", "Subscribe", "Daily Papers", "", "Feb 30"]),
                max_size=40))
def test_any_arrangement_of_block_lines_parses_without_exception_and_loses_no_title(lines: list[str]):
    listing, report = parse("\n".join(lines))
    # Every title-looking line is a paper's title, abstract or organisation, or reported.
    titles = [e.title for e in listing.entries] + [e.abstract for e in listing.entries]
    titles += [f"{e.org.handle} {e.org.name}" for e in listing.entries if e.org]
    reported = " ".join(d.message for d in report.items)
    if "Title Words" in lines:
        assert any("Title Words" in t for t in titles) or "Title Words" in reported
