"""Characters HTML forbids in a document, dropped from text read from files.

A saved page or a curator's file may carry NUL, backspace, escape and the like
(a bad copy, a terminal's colour codes). The HTML standard makes them parse
errors (and XML, for the feeds, refuses them outright), so they are removed
where text is read, with a warning per line, before any page is made of it.
Tab, line feed and carriage return stay: the readers treat them as whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from sitegen.core.diagnostics import Diagnostics

# C0 controls but tab, LF, VT, FF and CR; DEL and the C1 controls; Unicode's noncharacters.
FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
                       + "".join(f"{chr(plane * 0x10000 + 0xfffe)}{chr(plane * 0x10000 + 0xffff)}"
                                 for plane in range(1, 17)) + "\x0b\x0c]")

# The same characters in two scans for the common case, a text with none: one class that holds
# the noncharacters beyond the BMP makes Python's re take 1.6 s over 16 MB of listings, these two 0.25 s.
IN_BMP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
BEYOND_BMP = re.compile("[\U00010000-\U0010ffff](?<=[" + "".join(
    f"{chr(plane * 0x10000 + 0xfffe)}{chr(plane * 0x10000 + 0xffff)}" for plane in range(1, 17)) + "])")

LINE_BREAK = re.compile("\r\n|\r|\n")


def name_of(char: str) -> str:
    return f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(char, "") else "")


def drop_forbidden(text: str, source: str | Path, report: Diagnostics, first_line: int = 1) -> str:
    """`text` without the characters HTML forbids, warning once per line that had any."""
    if not (IN_BMP.search(text) or BEYOND_BMP.search(text)):
        return text  # the common case: two scans in C
    for number, line in enumerate(LINE_BREAK.split(text), start=first_line):  # lines as editors count them
        found = FORBIDDEN.findall(line)
        if found:
            names = ", ".join(dict.fromkeys(map(name_of, found)))
            report.warn(source, number, f"dropped {len(found)} control character(s) that a web page may not hold "
                                        f"({names}); remove them from the file to silence this")
    return FORBIDDEN.sub("", text)
