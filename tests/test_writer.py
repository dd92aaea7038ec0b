"""Writing the output folder (write/writer.py): all or nothing, and unchanged files kept as they were."""

from __future__ import annotations

import os

import pytest

from sitegen.core.diagnostics import BuildError
from sitegen.write.writer import MARKER, Staging, hashed_name, holds


def build(out, files: dict[str, bytes]) -> None:
    with Staging(out) as staging:
        for name, data in files.items():
            staging.write(name, data)
        staging.commit()


def test_a_committed_build_is_the_whole_site_and_nothing_else(tmp_path):
    out = tmp_path / "public"
    build(out, {"index.html": b"one", "papers/a/index.html": b"a", "papers/b/index.html": b"b"})
    build(out, {"index.html": b"two", "papers/a/index.html": b"a"})
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [MARKER, "index.html", "papers/a/index.html"]
    assert (out / "index.html").read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no staging folder left behind


def test_an_unchanged_file_keeps_its_inode_so_deploy_tools_skip_it(tmp_path):
    out = tmp_path / "public"
    build(out, {"same.html": b"same", "changed.html": b"old"})
    before = {name: os.stat(out / name).st_ino for name in ("same.html", "changed.html")}
    build(out, {"same.html": b"same", "changed.html": b"new"})
    assert os.stat(out / "same.html").st_ino == before["same.html"]
    assert (out / "changed.html").read_bytes() == b"new"


def test_a_build_that_fails_midway_leaves_the_previous_site_byte_for_byte(tmp_path):
    out = tmp_path / "public"
    build(out, {"index.html": b"good"})
    with pytest.raises(RuntimeError):
        with Staging(out) as staging:
            staging.write("index.html", b"half")
            raise RuntimeError("a page failed")
    assert (out / "index.html").read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_folder_sitegen_did_not_make_is_never_replaced(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(BuildError) as failure:
        Staging(tmp_path)
    assert "is not empty and was not made by sitegen" in str(failure.value.diagnostics[0])
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_holds_compares_whole_contents(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert holds(path, b"abc")
    assert not holds(path, b"ab") and not holds(path, b"abcd") and not holds(tmp_path / "missing", b"")
    assert not holds(tmp_path, b"")  # a folder holds no bytes


def test_hashed_names_change_with_the_content():
    assert hashed_name("style.css", b"a").startswith("style.") and hashed_name("style.css", b"a").endswith(".css")
    assert hashed_name("style.css", b"a") != hashed_name("style.css", b"b")
