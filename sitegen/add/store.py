"""Copy a dump into `listings/`: verbatim, atomically, never over an existing file."""

from __future__ import annotations

import os
from pathlib import Path


def write_new(target: Path, data: bytes) -> None:
    """Write `data` to `target`, which must not exist. Raises FileExistsError if it does.

    The bytes go to a hidden temporary file first (not `*.txt`, so a build
    running meanwhile never reads half a dump), are flushed to disk, and are
    then hard-linked into place: `link` fails rather than replace a file, so
    no listing is ever overwritten, and the name appears only with every byte
    behind it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.{os.getpid()}.part"
    with open(temporary, "xb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(temporary, target)
    finally:
        temporary.unlink()
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the new name itself survives a crash
    finally:
        os.close(directory)
