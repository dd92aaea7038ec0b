"""Find listing files and read them into `Listing` models.

A content folder keeps its dumps in `listings/*.txt`. Commands also accept
listing files and folders of `.txt` files directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from sitegen.core.diagnostics import Diagnostics
from sitegen.speed.forked import forked_map
from sitegen.core.models import Listing
from sitegen.read.parser import parse_listing

# `parse_listing` or a caching stand-in with its signature (see preview/incremental.py).
Parse = Callable[[bytes, Path, Diagnostics], Listing | None]


def inside(folder: Path, paths: Iterable[Path], report: Diagnostics) -> list[Path]:
    """The regular files among `paths` that stay inside `folder`; an error for each other one.

    A link out of the folder would publish whatever it points at (say
    /etc/passwd), and reading a FIFO or device named *.txt never ends.
    """
    root = folder.resolve()
    kept = []
    for path in paths:
        target = path.resolve()
        if not target.is_relative_to(root):
            report.error(path, 0, f"is a link to {target}, outside {folder}; copy the file into the folder instead")
        elif not path.exists() and not path.is_symlink():  # listed, then gone: its folder moved or deleted meanwhile
            report.error(path, 0, "was removed while the build read its folder; build again once the folder is back")
        elif not target.is_file():
            report.error(path, 0, "is not a regular file (a FIFO, device or folder); remove it or rename it")
        else:
            kept.append(path)
    return kept


def listing_files(paths: Iterable[Path], report: Diagnostics) -> list[Path]:
    """The listing files named by `paths` (files, content folders or folders of dumps)."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif (path / "listings").is_dir():
            found.extend(inside(path, sorted((path / "listings").glob("*.txt")), report))
        elif path.is_dir():
            found.extend(inside(path, sorted(path.glob("*.txt")), report))
        else:
            report.error(path, 0, "no such file or folder; pass a listing file or a content folder")
    if not found and not report.errors:
        report.error(", ".join(map(str, paths)) or ".", 0, "no listing files (*.txt) found; put dumps in content/listings/")
    return found


def read_listings(files: list[Path], report: Diagnostics, parse: Parse = parse_listing) -> list[Listing]:
    """Parse every file; listings come back in file order, unreadable ones left out (with an error)."""
    listings: list[Listing] = []
    owners: dict[str, Path] = {}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.error(path, 0, f"cannot read the file: {exc.strerror}")
            continue
        listing = parse(data, path, report)
        if listing is None:
            continue
        if listing.id in owners:
            report.error(path, 0, f"listing id {listing.id!r} is also used by {owners[listing.id]}; rename one of the files")
            continue
        owners[listing.id] = path
        listings.append(listing)
    return listings


def parse_ahead(files: list[Path], parse: Parse = parse_listing, minimum: int = 8) -> Parse:
    """Parse `files` on every core now; returns a `Parse` that hands out those results.

    The stand-in checks that the bytes it is given are the bytes that were
    parsed (a file edited in between is parsed again) and replays each file's
    diagnostics, so `read_listings` reports exactly what a serial read would.
    """
    def parse_one(path: Path):
        try:
            data = path.read_bytes()
        except OSError:
            return None  # read_listings reports it when it reads the file itself
        own = Diagnostics()
        return hashlib.sha256(data).digest(), parse(data, path, own), own.items

    done = dict(zip(map(str, files), forked_map(parse_one, files, minimum)))

    def parsed(data: bytes, source_path: Path, report: Diagnostics):
        found = done.get(str(source_path))
        if found is None or found[0] != hashlib.sha256(data).digest():
            return parse(data, source_path, report)
        report.items.extend(found[2])
        return found[1]

    return parsed
