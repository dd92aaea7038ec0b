"""Issue 15, items 1 and 2: a build stopped from outside leaves nothing behind.

Real `sitegen build` processes on a synthetic archive large enough to fork
workers and run Pagefind, stopped with real signals: `kill -9` leaves no
process of the build alive, SIGTERM and SIGINT stop it within 2 s with its
staging folder removed, and the next build removes the staging folder a
killed build left, and only folders sitegen made for builds that are gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from processes import alive, descendants, wait_until
from sitegen.write.staging import started

REPO = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "data" / "tiny_site" / "content"
PAPERS = 8000  # enough for forked workers and a Pagefind service, few enough to generate in a second
STOP_WITHIN = 2.0


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("archive") / "content"
    subprocess.run([sys.executable, str(REPO / "bench" / "synth.py"), str(folder), str(PAPERS)], check=True,
                   capture_output=True)
    return folder


def start_build(content: Path, out: Path, ctrl_c_ignored: bool = False) -> subprocess.Popen:
    """`ctrl_c_ignored`: as a script's `nohup sitegen build &` starts it, SIGINT ignored."""
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--content", str(content), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=partial(signal.signal, signal.SIGINT, signal.SIG_IGN) if ctrl_c_ignored else None)


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.staging-*"))


def rendering(build: subprocess.Popen, out: Path):
    """The build's descendants once it renders with forked workers beside a Pagefind service."""
    kids = descendants(build.pid)
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in kids if alive(pid)]
    forked = any(b"sitegen" in command for command in commands)
    papers = any((folder / "papers").is_dir() for folder in staging_folders(out))
    return kids if forked and papers and len(kids) >= 2 else None


def test_a_build_killed_outright_leaves_no_process_and_the_next_build_removes_its_staging(archive, tmp_path):
    out = tmp_path / "public"
    build = start_build(archive, out)
    try:
        kids = wait_until(lambda: rendering(build, out), timeout=240)
        assert kids, "the build never reached rendering with workers"
        os.kill(build.pid, signal.SIGKILL)
        build.wait(10)
        left = wait_until(lambda: not [pid for pid in kids if alive(pid)], timeout=STOP_WITHIN)
        assert left, f"processes of the killed build still run: {[pid for pid in kids if alive(pid)]}"
    finally:
        for pid in descendants(build.pid):
            os.kill(pid, signal.SIGKILL)
        build.kill()
    stale = staging_folders(out)
    assert stale, "kill -9 gives the build no chance to remove its staging folder"
    # Not sitegen's, or a live build's: the next build leaves these alone.
    foreign = out.parent / f".{out.name}.staging-foreign"
    (foreign / "papers").mkdir(parents=True)
    live = out.parent / f".{out.name}.staging-live"
    live.mkdir()
    (live / ".sitegen-staging").write_text(f"{os.getpid()} {started(os.getpid())}\n")  # as a build writes it
    run = subprocess.run([sys.executable, "-m", "sitegen", "build", "--content", str(TINY), "--out", str(out),
                          "--no-search", "--no-cache"],  # not beside TINY, in this repository's test data
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert staging_folders(out) == [foreign, live]


@pytest.mark.parametrize("stop, ctrl_c_ignored", [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)],
                         ids=["sigterm", "sigint", "sigint-started-ignoring-it"])
def test_sigterm_and_sigint_stop_a_build_within_two_seconds_and_remove_its_staging_folder(archive, tmp_path, stop,
                                                                                         ctrl_c_ignored):
    out = tmp_path / "public"
    build = start_build(archive, out, ctrl_c_ignored)
    try:
        kids = wait_until(lambda: rendering(build, out), timeout=240)
        assert kids, "the build never reached rendering with workers"
        sent = time.monotonic()
        os.kill(build.pid, stop)
        try:
            build.wait(30)
        except subprocess.TimeoutExpired:
            pytest.fail("the build did not stop within 30 s")
        took = time.monotonic() - sent
        gone = wait_until(lambda: not [pid for pid in kids if alive(pid)], timeout=1)
    finally:
        for pid in descendants(build.pid):
            os.kill(pid, signal.SIGKILL)
        build.kill()
    assert (build.returncode, build.stderr.read().strip()) == (130, "interrupted")
    assert took <= STOP_WITHIN, f"stopping took {took:.2f} s"
    assert gone, "a worker or Pagefind outlived the stopped build"
    assert staging_folders(out) == [] and not out.exists()
