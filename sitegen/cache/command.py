"""`sitegen build --cache DIR | --no-cache`: a build through the disk cache, and its notes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sitegen.build import BuildOptions, BuildResult, build
from sitegen.cache.disk import DiskReuse
from sitegen.cache.store import NOTES_SHOWN, Store

FOLDER = ".sitegen-cache"  # beside the content folder; .gitignore has /.sitegen-*/


def add_cache_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--cache", type=Path, metavar="DIR",
                       help=f"keep what later builds can reuse in DIR (default: {FOLDER}/ beside the content folder)")
    group.add_argument("--no-cache", action="store_true", help="build without the cache, neither reading nor writing it")


def cache_dir(args: argparse.Namespace) -> Path | None:
    if args.no_cache:
        return None
    return args.cache if args.cache is not None else args.content.resolve().parent / FOLDER


def cached_build(options: BuildOptions, folder: Path | None, progress: Callable[[str], None] | None,
                 note: Callable[[str], None]) -> BuildResult:
    """`build(options)`, reusing and filling the cache in `folder` (none: a plain build)."""
    if folder is None:
        return build(options, progress=progress)
    notes: list[str] = []
    store = Store(folder, notes.append, waiting=note)
    try:
        store.open()
    except OSError as exc:  # say, a read-only checkout: the cache is for speed, the build goes on
        note(f"{folder}: note: cannot use the cache ({exc.strerror or exc}); building without it")
        return build(options, progress=progress)
    try:
        with store:
            reuse = DiskReuse(store, options.content_dir, options.templates_dir)
            result = build(options, progress=progress, reuse=reuse)
    finally:  # a failed or interrupted build still says which entries it ignored, but not what it reused
        for line in notes[:NOTES_SHOWN]:
            note(line)
        if len(notes) > NOTES_SHOWN:
            note(f"{folder}: note: {len(notes) - NOTES_SHOWN} more cache notes")
    note(f"cache {folder}: reused {reuse.summary()}")
    return result
