"""Issue 15: content a clumsy curator or a hostile one could hand a build, each
refused or cleaned with a one-line `FILE[:LINE]: ...` message, never followed,
hung on, or written raw. Every test runs the real `sitegen` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TINY = Path(__file__).parent / "data" / "tiny_site" / "content"
SITEGEN = [sys.executable, "-m", "sitegen"]


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(TINY, folder)
    return folder


def sitegen(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*SITEGEN, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def test_a_listing_linked_to_a_file_outside_the_content_folder_is_refused(content, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\nSECRET-LINE\n")
    link = content / "listings" / "2024-10-12-p.txt"
    link.symlink_to(secret)
    run = sitegen("build", "--content", content, "--out", tmp_path / "public", "--no-search")
    assert run.returncode == 1
    assert f"{link}: error: is a link to {secret}, outside {content}; copy the file into the folder instead" in run.stderr
    assert "SECRET-LINE" not in run.stderr and "root:x" not in run.stderr
    assert not (tmp_path / "public").exists()
    # A link that stays inside the content folder is an ordinary listing.
    (content / "listings" / "2024-10-11-second.txt").rename(content / "kept.txt")
    link.unlink()
    link.symlink_to(content / "kept.txt")
    assert sitegen("build", "--content", content, "--out", tmp_path / "public", "--no-search").returncode == 0


def test_a_fifo_named_like_a_listing_is_refused_not_waited_on(content, tmp_path):
    fifo = content / "listings" / "2024-10-12-pipe.txt"
    os.mkfifo(fifo)
    run = sitegen("build", "--content", content, "--out", tmp_path / "public", "--no-search", timeout=20)
    assert run.returncode == 1
    assert f"{fifo}: error: is not a regular file (a FIFO, device or folder); remove it or rename it" in run.stderr
    page = content / "pages" / "pipe.md"
    fifo.unlink()
    os.mkfifo(page)
    run = sitegen("check", "--content", content, timeout=20)
    assert f"{page}: error: is not a regular file" in run.stderr


def test_broken_front_matter_is_an_error_at_its_first_line_not_page_text(content, tmp_path):
    about = content / "pages" / "about.md"
    about.write_text("+++\ntitle = 'Unclosed'\n\nThe page text.\n")
    run = sitegen("build", "--content", content, "--out", tmp_path / "public", "--no-search")
    assert (run.returncode, run.stderr.splitlines()[0]) == (
        1, f"{about}:1: error: front matter opened by +++ is never closed; end it with a line holding only +++")
    about.write_text("---\ntitle: About\n---\n\nThe page text.\n")
    run = sitegen("check", "--content", content)
    assert (run.returncode, run.stderr.splitlines()[0]) == (
        1, f"{about}:1: error: front matter is TOML between +++ lines, not YAML between --- lines; "
           f"write +++, then lines such as title = \"About\", then +++")
    assert not (tmp_path / "public").exists()


def test_control_characters_are_dropped_with_a_warning_and_never_reach_a_page(content, tmp_path):
    listing = content / "listings" / "2024-10-10-first.txt"
    text = listing.read_text()
    text = text.replace("Denoising Diffusion Models", "Denoising\x00 Diffusion\x01 Models\x08")
    text = text.replace("RLHF aligns a policy", "RLHF \x1b[31maligns\x7f a policy")
    listing.write_text(text)
    (content / "pages" / "about.md").write_text("+++\ntitle = 'About'\n+++\n\nAbout\x07 this archive.\n")
    run = sitegen("build", "--content", content, "--out", tmp_path / "public", "--no-search")
    assert run.returncode == 0, run.stderr
    lines = text.split("\n")
    title_line = next(n for n, line in enumerate(lines, 1) if line.startswith("Denoising"))
    abstract_line = next(n for n, line in enumerate(lines, 1) if line.startswith("RLHF"))
    warning = "warning: dropped {} control character(s) that a web page may not hold ({}); remove them from the file to silence this"
    assert f"{listing}:{title_line}: " + warning.format(3, "U+0000, U+0001, U+0008") in run.stderr
    assert f"{listing}:{abstract_line}: " + warning.format(2, "U+001B, U+007F") in run.stderr
    assert f"{content / 'pages' / 'about.md'}:5: " + warning.format(1, "U+0007") in run.stderr
    assert "--strict" not in run.stderr and sitegen("check", "--strict", "--content", content).returncode == 1
    forbidden = {chr(c) for c in [*range(0, 9), *range(14, 32), *range(127, 160)]}
    written = [path for path in (tmp_path / "public").rglob("*") if path.is_file() and path.suffix != ".png"]  # text files
    assert len(written) > 20
    for path in written:
        assert not forbidden & set(path.read_text(encoding="utf-8")), path
    page = next((tmp_path / "public" / "papers").glob("denoising*/index.html")).read_text()
    assert "Denoising Diffusion Models for Tiny Images" in page
    assert "RLHF [31maligns a policy" in (tmp_path / "public" / "papers.json").read_text()


def test_a_strict_build_refuses_a_broken_internal_link_in_a_page_at_its_line(content, tmp_path):
    about = content / "pages" / "about.md"
    # The tiny site is served from https://example.org/tiny/.
    about.write_text("+++\ntitle = 'About'\n+++\n\nSee [the papers](/tiny/papers/) and\n[a lost page](/tiny/no-such-page/).\n")
    out = tmp_path / "public"
    run = sitegen("build", "--strict", "--content", content, "--out", out)
    assert run.returncode == 1, run.stderr
    assert (f"{about}:6: error: broken link '/tiny/no-such-page/': no such page (in about/index.html); "
            f"fix or remove the link: a strict build refuses it") in run.stderr
    assert not out.exists()
    assert sitegen("build", "--content", content, "--out", out, "--no-search").returncode == 0  # not strict: built
    about.write_text("+++\ntitle = 'About'\n+++\n\nSee [the archive](/tiny/) and [the feed](/tiny/feed.xml) [home](../).\n")
    assert sitegen("build", "--strict", "--content", content, "--out", out).returncode == 0
