"""Issue 15, item 5: the content folder deleted and made again, or moved away and
back, while `sitegen serve` runs: the error shows, and the preview recovers by
itself when the folder is back. A real server process and real folders."""

from __future__ import annotations

import shutil

import pytest

from tests.edits import LISTING, NEW_BLOCK, NEW_PAPER
from tests.live import REPO, EventStream, start_serve


@pytest.fixture
def served(tmp_path):
    content = shutil.copytree(REPO / "content", tmp_path / "content")
    server = start_serve(content, tmp_path)
    yield server, content
    server.stop()


@pytest.mark.parametrize("how", ["deleted and copied back", "moved away and back"])
def test_the_preview_recovers_when_the_content_folder_comes_back(served, tmp_path, how):
    server, content = served
    backup = tmp_path / "content.bak"
    events = EventStream(server.url)
    events.wait_for("state")
    if how == "deleted and copied back":
        shutil.copytree(content, backup)
        shutil.rmtree(content)
    else:
        content.rename(backup)
    error = events.wait_for("error")
    # A build under way as the folder went may first find a file of it gone; the next one finds no folder.
    while not any(line.startswith(f"{content}: error: ") for line in error["errors"]):
        assert all(line.startswith(f"{content}/") for line in error["errors"]), error
        error = events.wait_for("error")
    if how == "deleted and copied back":
        shutil.copytree(backup, content)
    else:
        backup.rename(content)
    events.wait_for("reload")
    with open(content / "listings" / LISTING, "a", encoding="utf-8") as listing:  # an edit after the return is seen
        listing.write(NEW_BLOCK)
    events.wait_for("reload")
    assert server.get(NEW_PAPER).status == 200
    events.close()
