"""The watcher on real folders with real watchdog (inotify on Linux)."""

from __future__ import annotations

import os
import queue

import pytest

from sitegen.preview.watch import Watcher, is_editor_temp


@pytest.fixture
def watched(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "old.txt").write_text("old\n")
    batches: queue.Queue = queue.Queue()
    watcher = Watcher([folder, tmp_path / "no-such-folder"], folder / "public", batches.put, quiet=0.2)
    watcher.start()
    yield folder, batches, watcher
    watcher.stop()


def next_batch(batches: queue.Queue) -> set:
    return batches.get(timeout=20)


def test_a_write_is_reported_with_its_path(watched):
    folder, batches, _ = watched
    (folder / "new.txt").write_text("hello\n")
    assert next_batch(batches) == {folder / "new.txt"}


def test_a_burst_of_edits_comes_as_one_call(watched):
    folder, batches, _ = watched
    names = [folder / f"{n}.txt" for n in range(3)]
    for round in range(20):
        for path in names:
            path.write_text(f"{round}\n")
    seen, calls = set(), 0
    while seen != set(names):
        seen |= next_batch(batches)
        calls += 1
    assert calls <= 2  # 60 writes (120 events); a stall on a busy machine may split them once


def test_reads_and_editor_temp_files_are_ignored(watched):
    folder, batches, _ = watched
    (folder / "old.txt").read_text()
    for name in (".old.txt.swp", "old.txt~", "4913", ".#old.txt", "#old.txt#", "old.txt___jb_tmp___"):
        (folder / name).write_text("noise\n")
    (folder / "real.txt").write_text("real\n")
    assert next_batch(batches) == {folder / "real.txt"}


def test_the_output_folder_and_its_staging_folders_are_ignored(watched):
    folder, batches, _ = watched
    for name in ("public", ".public.staging-abc123"):
        (folder / name).mkdir()
        (folder / name / "index.html").write_text("<p>built</p>\n")
    (folder / "real.txt").write_text("real\n")
    assert next_batch(batches) == {folder / "real.txt"}


def test_an_atomic_save_is_reported_under_the_files_own_name(watched):
    folder, batches, _ = watched
    (folder / "save-in-progress").write_text("new text\n")
    os.replace(folder / "save-in-progress", folder / "old.txt")
    assert folder / "old.txt" in next_batch(batches)


def test_files_in_a_new_folder_are_watched_too(watched):
    folder, batches, _ = watched
    (folder / "notes").mkdir()
    seen = next_batch(batches)
    (folder / "notes" / "paper.md").write_text("A note.\n")
    while folder / "notes" / "paper.md" not in seen:
        seen = next_batch(batches)


def test_stop_ends_both_threads(watched):
    _, _, watcher = watched
    watcher.stop()
    assert not watcher.thread.is_alive() and not watcher.observer.is_alive()


@pytest.mark.parametrize("name, temp", [
    ("2025-01-01-x.txt", False), ("site.toml", False), ("about.md", False), ("#", False),
    ("x.txt.swp", True), ("x.txt~", True), ("4913", True), (".#x.txt", True), ("#x.txt#", True),
    (".~lock.x.txt#", True), ("x.txt___jb_old___", True), (".DS_Store", True),
])
def test_editor_temp_names(name, temp):
    assert is_editor_temp(f"/some/folder/{name}") is temp
