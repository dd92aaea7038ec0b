"""The folders of the last site, kept empty in the cache, so the next build need not make them again.

A page lives in a folder of its own (`/papers/SLUG/index.html`), and a build
writes into a fresh staging folder: 12,000 folders at 10,000 papers, made one
by one, and the replaced site's 12,000 removed after the swap. On a virtual
disk a `mkdir` costs 150-250 µs and cannot be spread over cores (the folders
share a parent), where a rename, an `unlink` or a failed `rmdir` costs 5-15 µs.
So after the swap the replaced site is emptied of its files and its folders
kept here; the next build moves them into its staging folder before writing
(renames of a dozen top-level folders), and after its swap removes those the
new site left empty.

Only folders are kept, never a file: what a build publishes is still only
what it wrote or linked. Search bundles are left out (Pagefind makes its own).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SKELETON = "skeleton"


def take(cache: Path, staging: Path) -> list[str]:
    """Move the kept folders into the fresh `staging` folder; return them, relative to it."""
    skeleton = cache / SKELETON
    try:
        tops = list(os.scandir(skeleton))
    except OSError:
        return []
    moved = []
    for top in tops:
        if top.is_dir(follow_symlinks=False) and not os.path.lexists(staging / top.name):
            try:
                os.rename(top.path, staging / top.name)
            except OSError:
                break  # the cache is on another file system: the build makes its folders
            moved.append(top.name)
    shutil.rmtree(skeleton, ignore_errors=True)
    try:
        return emptied(staging, moved)
    except OSError:  # say, a folder made unreadable: none of them is used, so nothing unchecked is published
        for name in moved:
            shutil.rmtree(staging / name, ignore_errors=True)
        return []


def emptied(root: Path, names: list[str]) -> list[str]:
    """The folders below `root` / each of `names`, relative to `root`, each emptied of anything but
    folders (a skeleton holds none; one put there by hand is never published)."""
    folders, prefix = [], len(str(root)) + 1
    pending = [os.path.join(root, name) for name in names]
    while pending:
        folder = pending.pop()
        folders.append(folder[prefix:])
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):  # from the folder listing: no stat per entry
                    pending.append(entry.path)
                else:
                    os.unlink(entry.path)
    return folders


def keep(replaced: Path, cache: Path) -> None:
    """Empty the replaced site of its files and keep its folders; remove it where they cannot be kept."""
    try:
        shutil.rmtree(cache / SKELETON, ignore_errors=True)
        kept = []
        for top in os.scandir(replaced):
            if top.is_dir(follow_symlinks=False) and not top.name.startswith("pagefind"):
                kept.append(top.name)
            elif top.is_dir(follow_symlinks=False):
                shutil.rmtree(top.path)
            else:
                os.unlink(top.path)
        emptied(replaced, kept)
        os.rename(replaced, cache / SKELETON)
    except OSError:
        shutil.rmtree(replaced, ignore_errors=True)


def prune(site: Path, folders: list[str]) -> None:
    """Remove those of `folders` that the new site left empty, deepest first (a folder with anything
    in it stays: `rmdir` removes only empty ones)."""
    for folder in sorted(folders, key=lambda path: path.count("/"), reverse=True):
        try:
            os.rmdir(site / folder)
        except OSError:
            pass
