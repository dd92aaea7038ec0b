"""Issue 15, item 3: however `sitegen serve` is stopped, even while it indexes,
it ends within 2 s and its temporary folder is gone. A real server process,
real signals."""

from __future__ import annotations

import signal
import time

import pytest

from bench.synth import write_content
from processes import descendants, wait_until
from tests.live import start_serve

# The issue asks for 2 s. Waiting for a build in progress took up to 10 s and
# removing the folder's ~10,000 files 2-15 s on a busy machine (26 s of waiting
# for Pagefind before that): now the process is gone in about 0.6 s, its folder
# renamed out of the way, and a detached child removes it after (preview/leaving.py).
STOP_WITHIN = 2.0
REMOVED_WITHIN = 120.0  # the detached removal, on a machine at load 20 on two cores


def indexing(served) -> bool:
    """Whether the preview's background Pagefind runs."""
    for pid in descendants(served.process.pid):
        try:
            if b"pagefind" in open(f"/proc/{pid}/cmdline", "rb").read():
                return True
        except OSError:
            pass
    return False


@pytest.mark.parametrize("signals", [(signal.SIGTERM,), (signal.SIGHUP,), (signal.SIGINT, signal.SIGINT)],
                         ids=["sigterm", "sighup", "ctrl-c-twice"])
def test_stopping_while_indexing_ends_quickly_and_removes_the_temporary_folder(tmp_path, signals):
    content = write_content(tmp_path / "content", 3000, seed=5)
    served = start_serve(content, tmp_path, timeout=240)
    try:
        assert wait_until(lambda: indexing(served), timeout=120), "the preview never started indexing"
        sent = time.monotonic()
        for number in signals:
            served.process.send_signal(number)
            time.sleep(0.3)
        assert wait_until(lambda: served.process.poll() is not None, timeout=30), "still running 30 s later"
        took = time.monotonic() - sent
    finally:
        if served.process.poll() is None:
            served.process.kill()
    assert served.process.returncode == 0, served.log()
    assert took <= STOP_WITHIN, f"stopping took {took:.2f} s"
    assert not served.group_alive()
    assert served.temporary_folder_gone(REMOVED_WITHIN), [path.name for path in served.tmp_dir.iterdir()]
    assert "Traceback" not in served.log()
