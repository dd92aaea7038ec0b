"""read/controls.py: every character HTML forbids is found and dropped, and nothing else is."""

from __future__ import annotations

from hypothesis import given, strategies as st

from sitegen.core.diagnostics import Diagnostics
from sitegen.read.controls import drop_forbidden

# From the HTML standard's list of characters that are parse errors in a document: the C0
# controls but tab, LF and CR (VT and FF are dropped too: XML refuses them), DEL, the C1 controls and
# Unicode's 66 noncharacters.
FORBIDDEN = sorted({*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), *range(0xFDD0, 0xFDF0),
                    *(plane * 0x10000 + low for plane in range(17) for low in (0xFFFE, 0xFFFF))})
# Their neighbours, which a page may hold.
ALLOWED = [0x09, 0x0A, 0x0D, 0x20, 0x7E, 0xA0, 0xFDCF, 0xFDF0, 0xFFFD, 0x10000, 0x1FFFD, 0x20000, 0x10FFFD]


def test_each_forbidden_character_is_dropped_with_a_warning_at_its_line():
    for code in FORBIDDEN:
        report = Diagnostics()
        text = f"Title\nan abstract with {chr(code)} in it\n"
        assert drop_forbidden(text, "listing.txt", report) == "Title\nan abstract with  in it\n", hex(code)
        assert [(w.line, f"U+{code:04X}" in w.message) for w in report.warnings] == [(2, True)], hex(code)


def test_characters_a_page_may_hold_are_kept_without_a_warning():
    report = Diagnostics()
    text = "".join(f"word {chr(code)} " for code in ALLOWED)
    assert drop_forbidden(text, "listing.txt", report) == text
    assert not report.warnings


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"])))
def test_what_is_left_holds_every_allowed_character_and_no_forbidden_one(text):
    cleaned = drop_forbidden(text, "listing.txt", Diagnostics())
    assert cleaned == "".join(char for char in text if ord(char) not in FORBIDDEN)
