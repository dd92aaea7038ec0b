"""A content folder of listings written to break out of HTML, XML, JSON and URLs.

Titles, abstracts and bylines carry script elements, event-handler attributes,
attribute break-outs, `javascript:` URLs, unclosed tags, comments, CDATA ends
and entities. Each paper has a plain word (`zanzibarite`, ...) so a test can
find it through search; every payload is also tagged, so it reaches tag pages
and their feeds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SHIPPED_CONTENT

TITLES = [
    '<script>alert("title")</script> Zanzibarite language models',
    '"><img src=x onerror=alert(2)> Quillfeather language models \' onmouseover=\'alert(3)',
    "<b><i>Unclosed <div class=x <svg onload=alert(4)> Marblewick language models &amp; &lt;tags&gt; &#60;b&#62;",
]
ABSTRACTS = [
    "We study <iframe src=javascript:alert(5)></iframe> and </textarea></title></script><script>alert(6)</script> "
    "in a large language model. Visit javascript:alert(7) or <a href=\"javascript:alert(8)\">this link</a>.",
    'Links that try to escape: https://evil.example/a"onmouseover="alert(9) and https://evil.example/b\'><svg/onload=alert(10)> '
    "and https://evil.example/c</script><script>alert(11)</script> end. A language model reads them all.",
    "Entities stay literal: &amp;lt;script&amp;gt; &#x3C;img src=x onerror=alert(12)&#x3E; ]]> <!-- comment --> "
    "<![CDATA[ x ]]> {{ 7*7 }} {% raw %} ${alert(13)} \\u003cscript\\u003e. Language model text.",
]
BYLINES = [
    'evil<b>corp</b> <img src=x onerror=alert(14)> "Evil" Corp',
    "  • 3 authors",
    "Mal</span>icious \"'><script>alert(15)</script> Labs",
]
TAGS_TOML = """\
[language-models]
name = "Language <script>alert(16)</script> models"
description = "Papers on \\"language models\\" <img src=x onerror=alert(17)>."
phrases = ["language model"]
"""


def dump(index: int) -> str:
    return (f"Daily Papers\n\nNov 2{index}\n\n{TITLES[index]}\n\n{ABSTRACTS[index]}\n\n"
            f"{BYLINES[index]}\n·\nNov 1{index}, 2025 {index + 3}\n")


def write_hostile_content(root: Path) -> Path:
    """The shipped site settings and pages, with hostile listings and tags only."""
    content = root / "content"
    shutil.copytree(SHIPPED_CONTENT, content, ignore=shutil.ignore_patterns("listings"))
    (content / "listings").mkdir()
    for index in range(len(TITLES)):
        (content / "listings" / f"2025-11-2{index}-hostile-{index}.txt").write_text(dump(index), encoding="utf-8")
    (content / "tags.toml").write_text(TAGS_TOML, encoding="utf-8")
    return content
