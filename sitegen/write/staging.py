"""Staging folders of builds that died, found and removed by the next build.

A build writes into `.NAME.staging-XXXX` beside the output folder (writer.py)
and removes it when it ends. A build killed outright (`kill -9`, a power cut)
cannot: its folder stays, hundreds of megabytes at 50,000 papers. So each
staging folder names its owner in a file (`OWNER`): the process id and that
process's start time, which tells a reused process id apart. A later build
removes a folder only if it holds that file and its owner is gone; a folder
without it was not made by sitegen, or is still being made, and stays.
"""

from __future__ import annotations

import os
import math
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

OWNER = ".sitegen-staging"
REMOVERS = 8  # threads removing a folder


def started(pid: int) -> str | None:
    """When process `pid` started (in clock ticks since boot), or None if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        if not Path("/proc/self/stat").exists():  # no /proc: ask the process table instead
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return None
            except PermissionError:
                pass
            return "?"
        return None
    # The command name (in parentheses) may hold spaces: fields are counted after its end.
    return stat[stat.rindex(b")") + 2:].split()[19].decode()


def mark(folder: Path) -> None:
    """Name this process as the owner of `folder`."""
    (folder / OWNER).write_text(f"{os.getpid()} {started(os.getpid())}\n", encoding="ascii")


def unmark(folder: Path) -> None:
    (folder / OWNER).unlink(missing_ok=True)


def owner_alive(folder: Path) -> bool | None:
    """Whether the process that made `folder` still runs; None if sitegen did not make it."""
    try:
        pid, start = (folder / OWNER).read_text(encoding="ascii").split()
        pid_number = int(pid)
    except (OSError, ValueError):
        return None
    now = started(pid_number)
    return now is not None and (now == start or now == "?")


def remove_stale(out_dir: Path) -> list[Path]:
    """Remove the staging folders of `out_dir` whose builds died; return them."""
    removed = []
    try:
        candidates = list(out_dir.parent.glob(f".{out_dir.name}.staging-*"))
    except OSError:
        return removed
    for folder in candidates:
        if folder.is_dir() and not folder.is_symlink() and owner_alive(folder) is False:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def remove_within(folder: Path, seconds: float = math.inf) -> bool:
    """Remove `folder`, giving up after about `seconds`; True if it is gone.

    Removing is waiting on the disk, one unlink after another: on a loaded
    virtual disk eight threads removed a folder of 20,000 paper pages ten
    times as fast as one. A subfolder at a time, the owner file last, so what
    is left when time runs out is still recognisably a dead build's
    (`remove_stale`).
    """
    deadline = time.monotonic() + seconds

    def remove(path: str) -> None:
        if time.monotonic() < deadline:
            shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) and not os.path.islink(path) \
                else os.unlink(path)

    try:
        parts = []
        for top in os.scandir(folder):
            if top.name == OWNER:
                continue
            parts.extend(entry.path for entry in os.scandir(top.path)) if top.is_dir(follow_symlinks=False) \
                else parts.append(top.path)
        with ThreadPoolExecutor(REMOVERS) as pool:
            list(pool.map(remove, parts))
    except OSError:
        pass  # a part gone already, or not ours to remove: rmtree below says what is left
    if time.monotonic() < deadline:
        shutil.rmtree(folder, ignore_errors=True)
    return not folder.exists()
