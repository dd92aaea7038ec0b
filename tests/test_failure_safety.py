"""A build that fails leaves the previous output byte for byte as it was and no
staging folder behind, and says why in one line: no traceback, exit status 1."""

from __future__ import annotations

import re

import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.cache.command import FOLDER as CACHE

from built_site import LATE_DATE_DUMP, snapshot
from conftest import REPO, SHIPPED_CONTENT

FILE_SIZE_LIMIT = 4096  # bytes: smaller than any page, so the first page written fails


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("previous") / "public"
    build(BuildOptions(content_dir=SHIPPED_CONTENT, out_dir=out, search=False))
    return out


@pytest.fixture
def workspace(tmp_path, previous_site) -> tuple[Path, Path]:
    """A copy of the shipped content and of a previous build of it, side by side."""
    content = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    shutil.copytree(previous_site, tmp_path / "public")
    return content, tmp_path / "public"


def limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def failing_build(content: Path, out: Path, *args: str, preexec_fn=None) -> list[str]:
    """Run `sitegen build`, expect it to fail safely, and return the lines it printed above its verdict."""
    before = snapshot(out)
    run = subprocess.run([sys.executable, "-m", "sitegen", "build", "--content", str(content), "--out", str(out), *args],
                         cwd=REPO, capture_output=True, text=True, timeout=300, preexec_fn=preexec_fn)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert snapshot(out) == before
    # No staging folder left; the build cache beside the content folder stays (README: "The build cache").
    assert sorted(path.name for path in out.parent.iterdir() if path.name != CACHE) == ["content", "public"]
    lines = run.stderr.splitlines()
    assert lines[-1] == f"build failed; {out} was left as it was"
    return lines[:-1]


def test_a_warning_in_strict_mode(workspace):
    content, out = workspace
    (content / "listings" / "2025-11-13-late.txt").write_text(LATE_DATE_DUMP, encoding="utf-8")
    lines = failing_build(content, out, "--strict")
    assert lines[0].startswith(f"{content / 'listings' / '2025-11-13-late.txt'}:9: warning: "), lines
    assert len(lines) == 1, lines


def test_a_broken_site_toml(workspace):
    content, out = workspace
    settings = content / "site.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + 'page_size = "fifty\n', encoding="utf-8")
    errors = failing_build(content, out)
    assert len(errors) == 1 and errors[0].startswith(f"{settings}:8: error: "), errors


def test_an_unwritable_output(workspace):
    content, out = workspace
    errors = failing_build(content, out, preexec_fn=limit_file_size)
    # The build cache (beside the content folder) hits the limit too: a note, and the build goes on.
    cache = out.parent / CACHE
    assert errors[0] == f"{cache}: note: cannot write the cache (File too large); this build keeps nothing more in it"
    errors = errors[1:]
    assert len(errors) == 1, errors
    # The pages and the search index are written at once: whichever hits the limit first says so.
    page = errors[0].startswith(str(out.resolve()))
    bundle = re.match(r"\(search index\): error: cannot write pagefind/", errors[0])
    assert (page or bundle) and "File too large" in errors[0], errors
