"""Whole builds, run as `sitegen build`: strict failures, reproducible output, hashed assets."""

from __future__ import annotations

import hashlib
import re

from built_site import LATE_DATE_DUMP, build, make_content, run_sitegen, snapshot


def test_a_strict_build_with_a_warning_fails_and_leaves_the_published_site_as_it_was(tmp_path):
    content = make_content(tmp_path)
    out = build(content, tmp_path / "public", "--strict")
    before = snapshot(out)
    broken = content / "listings" / "2025-11-13-late.txt"
    broken.write_text(LATE_DATE_DUMP, encoding="utf-8")

    result = run_sitegen("build", "--content", content, "--out", out, "--strict")
    assert result.returncode == 1
    assert f"{broken}:9: warning: date 'Nov 14, 2025 3' is after the listing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"], "no staging folder left behind"

    # Without --strict the same content builds: it was the warning that stopped the deploy.
    assert run_sitegen("build", "--content", content, "--out", out).returncode == 0
    assert snapshot(out) != before


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path):
    content = make_content(tmp_path)
    first = snapshot(build(content, tmp_path / "one"))
    second = snapshot(build(content, tmp_path / "two"))
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert {"feed.xml", "sitemap.xml", "robots.txt", "papers.json"} <= first.keys()


def test_stylesheet_and_script_names_carry_a_hash_of_their_content(tmp_path):
    out = build(make_content(tmp_path), tmp_path / "out")
    home = (out / "index.html").read_text(encoding="utf-8")
    search = (out / "search" / "index.html").read_text(encoding="utf-8")
    css = re.search(r'<link rel="stylesheet" href="/static/(style\.([0-9a-f]{10})\.css)">', home)
    js = re.search(r'<script src="/static/(site\.([0-9a-f]{10})\.js)"', search)
    for match in (css, js):
        assert match, "the page loads a hashed file"
        data = (out / "static" / match.group(1)).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:10] == match.group(2)
