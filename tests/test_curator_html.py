"""Issue 15, item 13: curator HTML (pages/, notes/) that runs script or loads from another host
is a FILE:LINE warning of `check` and `build`, refused by `--strict`, unless the file opts in
with `allow_html = true`. Real builds and the real command line on a copy of the tiny site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHIPPED_CONTENT
from sitegen.build import BuildOptions, build
from sitegen.core.diagnostics import BuildError

TINY = Path(__file__).parent / "data" / "tiny_site" / "content"
NOTE = "speech-tokens-at-scale"  # a paper of the tiny site, with a note
SMALL_LISTING = "2025-11-25-9055317b84f6e392.txt"  # a shipped listing, quick to check

PAYLOADS = {
    "inline-script": ("<script>alert(1)</script>", "an inline <script>"),
    "script-from-elsewhere": ('<script src="https://cdn.example/x.js"></script>', "<script> loading"),
    "javascript-link": ('<a href="javascript:alert(2)">click</a>', "a javascript: URL in <a href>"),
    "markdown-javascript-link": ("A [link](javascript:alert(3)) here.", "a javascript: URL in <a href>"),
    "entity-javascript-link": ('<a href="&#106;ava&#x09;script:alert(4)">x</a>', "a javascript: URL in <a href>"),
    "offsite-image-onerror": ('<img src="https://evil.example/x.png" onerror="alert(5)">',
                              "<img> loading 'https://evil.example/x.png' from another host (evil.example)"),
    "event-attribute": ('<p onmouseover="alert(6)">hover</p>', "an event-handler attribute `onmouseover` on <p>"),
    "iframe": ('<iframe src="https://www.youtube.com/embed/x"></iframe>', "<iframe> loading"),
    "markdown-image": ("![chart](//cdn.example/chart.png)", "<img> loading '//cdn.example/chart.png'"),
    "stylesheet": ('<link rel="stylesheet" href="https://cdn.example/x.css">', "<link> loading"),
}


def page(payload: str, allow: bool = False) -> str:
    """A page with `payload` on line 6; the opt-in takes the place of the blank line 4."""
    fourth = "allow_html = true\n+++" if allow else "+++\n"
    return f'+++\ntitle = "Embed"\n{fourth}\nSome text first.\n{payload}\n\nAnd after.\n'


def content_with(tmp_path: Path, pages: dict[str, str] = {}, note: str | None = None) -> Path:
    content_dir = tmp_path / "content"
    shutil.copytree(TINY, content_dir)
    for name, text in pages.items():
        (content_dir / "pages" / name).write_text(text, encoding="utf-8")
    if note is not None:
        (content_dir / "notes" / f"{NOTE}.md").write_text(note, encoding="utf-8")
    return content_dir


def strict_build_refusal(content_dir: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildError) as refused:
        build(BuildOptions(content_dir=content_dir, out_dir=tmp_path / "public", strict=True, search=False))
    assert not (tmp_path / "public").exists()  # nothing published
    return [str(d) for d in refused.value.diagnostics]


@pytest.mark.parametrize("name", PAYLOADS)
def test_a_strict_build_refuses_it_with_the_line_in_the_page(tmp_path, name):
    payload, says = PAYLOADS[name]
    content_dir = content_with(tmp_path, {"embed.md": page(payload)})
    messages = strict_build_refusal(content_dir, tmp_path)
    where = f"{content_dir / 'pages' / 'embed.md'}:6: warning: "
    assert any(message.startswith(where + says) for message in messages), messages
    assert all(message.startswith(where) and "allow_html = true" in message for message in messages), messages


def test_a_plain_build_warns_and_still_publishes(tmp_path):
    content_dir = content_with(tmp_path, {"embed.md": page(PAYLOADS["inline-script"][0])})
    result = build(BuildOptions(content_dir=content_dir, out_dir=tmp_path / "public", search=False))
    assert [d.line for d in result.report.warnings] == [6]
    assert "<script>alert(1)</script>" in (tmp_path / "public" / "embed" / "index.html").read_text(encoding="utf-8")


def test_notes_are_checked_too(tmp_path):
    note = '+++\ntags = ["speech"]\n+++\n\nA curator note.\n<img src="https://evil.example/x.png" onerror=alert(1)>\n'
    messages = strict_build_refusal(content_with(tmp_path, note=note), tmp_path)
    where = f"{tmp_path / 'content' / 'notes' / (NOTE + '.md')}:6: warning: "
    assert sorted(m.split(":", 1)[1].split(" warning: ")[1][:10] for m in messages) == ["<img> load", "an event-h"]
    assert all(m.startswith(where) for m in messages), messages


def test_allow_html_in_the_front_matter_lets_it_through(tmp_path):
    payloads = "\n\n".join(payload for payload, _ in PAYLOADS.values())
    content_dir = content_with(tmp_path, {"embed.md": page(payloads, allow=True)},
                               note='+++\nallow_html = true\n+++\n<script>alert(7)</script>\n')
    result = build(BuildOptions(content_dir=content_dir, out_dir=tmp_path / "public", strict=True, search=False))
    assert result.report.items == []
    served = (tmp_path / "public" / "embed" / "index.html").read_text(encoding="utf-8")
    assert '<iframe src="https://www.youtube.com/embed/x"></iframe>' in served
    assert "<script>alert(7)</script>" in (tmp_path / "public" / "papers" / NOTE / "index.html").read_text("utf-8")


def test_safe_html_is_not_flagged(tmp_path):
    """Links out, the site's own images, JSON-LD data and plain markup are what curators write every day."""
    safe = "\n".join([
        '[a paper](https://arxiv.org/abs/2205.13147) and <a href="https://example.org/">another site</a>',
        "![logo](https://example.org/tiny/static/favicon.svg) <img src=\"../static/favicon.svg\" alt=\"\">",
        '<script type="application/ld+json">{"@type": "WebPage"}</script>',
        "Text mentioning javascript: and onerror= in prose.",
    ])
    content_dir = content_with(tmp_path, {"embed.md": page(safe)})
    result = build(BuildOptions(content_dir=content_dir, out_dir=tmp_path / "public", strict=True, search=False))
    assert result.report.items == []


def test_check_prints_it_and_strict_check_fails(tmp_path):
    """On the shipped settings and page with one shipped listing, which pass `check --strict` as they are."""
    content_dir = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, content_dir, ignore=lambda _, names: [n for n in names if n.endswith(".txt")])
    shutil.copy(SHIPPED_CONTENT / "listings" / SMALL_LISTING, content_dir / "listings")
    (content_dir / "pages" / "embed.md").write_text(page(PAYLOADS["javascript-link"][0]), encoding="utf-8")
    runs = [subprocess.run([sys.executable, "-m", "sitegen", "check", "--content", str(content_dir), *strict],
                           capture_output=True, text=True, timeout=300) for strict in ([], ["--strict"])]
    for run in runs:
        assert "Traceback" not in run.stderr
        assert run.stderr.splitlines()[0] == (f"{content_dir / 'pages' / 'embed.md'}:6: warning: a javascript: URL "
                                              "in <a href>: the site's Content-Security-Policy blocks it and a strict "
                                              "build refuses it; remove it, or put allow_html = true in the front "
                                              "matter if it is meant"), run.stderr
        assert run.stderr.splitlines()[1].endswith(" pages: 1 warning(s), 0 error(s)"), run.stderr
    assert [run.returncode for run in runs] == [0, 1]
