"""`sitegen check`: the same problems a build finds, plus broken links, without
leaving a site behind; exit status 1 on problems (and on warnings with --strict)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from built_site import LATE_DATE_DUMP
from conftest import SHIPPED_CONTENT
from test_broken_sites import CASES, expectation

SMALL_LISTING = "2025-11-25-9055317b84f6e392.txt"


def sitegen_check(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "sitegen", "check", *args], cwd=cwd, capture_output=True, text=True,
                         timeout=300)
    assert "Traceback" not in run.stderr
    return run


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, folder)
    return folder


@pytest.fixture
def small_content(tmp_path) -> Path:
    """The shipped settings and pages with one shipped listing: quick to check."""
    folder = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, folder, ignore=lambda _, names: [n for n in names if n.endswith(".txt") and n != SMALL_LISTING])
    return folder


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.parametrize("base_url", [None, "https://archive.example.org/sub/"])
def test_the_shipped_content_passes_and_nothing_is_written(content, base_url):
    before = files_under(content.parent)
    run = sitegen_check(content.parent, "--strict", *(["--base-url", base_url] if base_url else []))
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("checked ") and lines[0].endswith(" pages: 0 warning(s), 0 error(s)")
    assert int(lines[0].split()[1]) > 700  # every page of the site was rendered and checked
    assert files_under(content.parent) == before  # no public/, no search index, no temp folder


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_it_reports_what_a_build_reports(case):
    """The broken content folders of test_broken_sites: same exit status, same lines."""
    code, strict_code, messages = expectation(case)
    before = files_under(case)
    for strict, expected_code in ((False, code), (True, strict_code)):
        run = sitegen_check(case, "--content", "content", *["--strict"] * strict)
        assert run.returncode == expected_code, run.stderr
        lines = run.stderr.splitlines()
        for message in messages:
            assert any(line.startswith(message) for line in lines), run.stderr
    assert files_under(case) == before


def test_a_listing_that_is_not_utf8_is_named_with_its_line(small_content):
    content = small_content
    listing = content / "listings" / SMALL_LISTING
    lines = listing.read_bytes().split(b"\n")
    lines[6] += b" caf\xe9"
    listing.write_bytes(b"\n".join(lines))
    run = sitegen_check(content.parent)
    assert run.returncode == 1
    assert f"content/listings/{SMALL_LISTING}:7: error: not valid UTF-8" in run.stderr


def test_warnings_fail_only_with_strict(small_content):
    content = small_content
    (content / "listings" / "2025-11-13-late.txt").write_text(LATE_DATE_DUMP, encoding="utf-8")
    lenient, strict = sitegen_check(content.parent), sitegen_check(content.parent, "--strict")
    assert (lenient.returncode, strict.returncode) == (0, 1)
    assert "content/listings/2025-11-13-late.txt:9: warning: " in strict.stderr


def test_broken_links_in_a_page_are_pinned_to_its_file(small_content):
    content = small_content
    about = content / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [the list](/no-such-page/) and [this](#no-such-part).\n",
                     encoding="utf-8")
    run = sitegen_check(content.parent)
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 2, run.stderr
    assert any(error.startswith("content/pages/about.md: error: broken link '/no-such-page/': no such page")
               for error in errors), errors
    assert any(error.startswith("content/pages/about.md: error: broken link '#no-such-part': no element with id")
               for error in errors), errors
