"""How dumps are saved: encodings, line ends, whitespace, glued lines."""

from __future__ import annotations

import codecs

import pytest

from sitegen.read.lexer import DecodeError, Kind, clean, decode, tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind.name, t.text) for t in tokenize(text)]


def test_utf8_with_or_without_bom_and_utf16_with_bom_decode_to_the_same_text():
    text = "Title — über\nAbstract."
    assert decode(text.encode()) == decode(codecs.BOM_UTF8 + text.encode()) == text
    assert decode(text.encode("utf-16")) == text


def test_a_bad_byte_names_its_line_and_column_in_characters():
    with pytest.raises(DecodeError) as caught:
        decode(b"one\r\ntwo\r" + "thré ".encode() + b"\xff")  # é is two bytes, one character
    assert caught.value.line == 3
    assert "at column 6 (byte 0xFF)" in str(caught.value)


def test_clean_trims_whitespace_and_zero_width_characters_and_collapses_runs():
    assert clean("\ufeff  Title \t with\u00a0 gaps \u200b ") == "Title with gaps"
    assert clean("👩\u200d💻 Coders") == "👩\u200d💻 Coders"


def test_line_numbers_count_lf_crlf_and_cr_alike():
    tokens = tokenize("A\r\nB\rC\n\nD")
    assert [(t.line, t.text) for t in tokens] == [(1, "A"), (2, "B"), (3, "C"), (5, "D")]


def test_byline_dot_and_date_glued_onto_an_abstract_are_split():
    assert kinds("Some results here. • 9 authors · Oct 9, 2024 2") == [
        ("TEXT", "Some results here."), ("AUTHORS", "• 9 authors"), ("DOT", "·"), ("DATE", "Oct 9, 2024 2")]


def test_a_middle_dot_inside_a_title_is_left_alone():
    assert kinds("Attention · Is All You Need") == [("TEXT", "Attention · Is All You Need")]


def test_the_page_date_under_the_chrome_is_the_header_date():
    assert kinds("Daily Papers\nMar 12\nTitle")[:2] == [("CHROME", "Daily Papers"), ("HEADER_DATE", "Mar 12")]


def test_chrome_is_only_split_off_right_after_other_chrome():
    assert kinds("Daily Papers\nSubscribeBench: a test") == [
        ("CHROME", "Daily Papers"), ("CHROME", "Subscribe"), ("TEXT", "Bench: a test")]
    assert kinds("A Title\nSubscribeBench: a test") == [("TEXT", "A Title"), ("TEXT", "SubscribeBench: a test")]


def test_authors_lines_in_their_variants():
    assert [t.authors for t in tokenize("  • 1 authors\n• 12 author\n3 authors")] == [1, 12, 3]
    assert tokenize("• ٣ authors")[0].kind is Kind.TEXT  # digits are ASCII digits
