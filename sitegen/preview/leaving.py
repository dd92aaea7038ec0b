"""Leaving within 2 s (issue 15, item 3): what `sitegen serve` removes is removed after it has gone.

Removing its temporary folder (about 10,000 files at 3,000 papers) took from
2 to 15 s on a busy machine, and a build in progress took up to 10 s more to
reach a point where it could stop. So the preview renames the folder out of
the way at once (its name is free the moment the command returns) and hands
the removal to a detached child: in a session of its own, so the Ctrl-C of
the terminal does not cut it short, and waiting first for this process to
end (the end of a pipe only this process holds), so that a build abandoned
on the way out can write nothing more into what it removes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REMOVER = """\
import shutil, sys
sys.stdin.buffer.read()  # returns when sitegen serve and every process it forked have ended
for path in sys.argv[1:]:
    shutil.rmtree(path, ignore_errors=True)
"""


def out_of_the_way(folder: Path) -> Path:
    """`folder` renamed beside itself (a rename within one file system is instant); the new path."""
    moved = folder.with_name(f"{folder.name}.removing")
    try:
        folder.rename(moved)
    except OSError:
        return folder  # gone already, or cannot be renamed: removed where it is
    return moved


def remove_after_exit(folders: list[Path]) -> None:
    """Remove `folders` in a detached child once this process has ended; returns at once."""
    if not folders:
        return
    read_end, write_end = os.pipe()  # not inherited by the programs this process starts (Pagefind)
    subprocess.Popen([sys.executable, "-I", "-c", REMOVER, *map(str, folders)], stdin=read_end,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    os.close(read_end)
    # `write_end` stays open, on purpose and unreferenced, until this process ends: then the child reads EOF.
    del write_end
