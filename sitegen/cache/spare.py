"""The site the last build replaced, kept in the cache: the next build starts from it.

A page lives in a folder of its own (`/papers/SLUG/index.html`, beside its
`paper.json`), and a build writes into a fresh staging folder. Made afresh,
that is 120,000 folders at 100,000 papers, one `mkdir` after another (150-250
µs each on a virtual disk: they share a parent), and 220,000 unchanged files
linked in from the cache, after the replaced site's as many were removed.

So after the swap the replaced site goes into the cache whole, but for its
search index (Pagefind writes its own). The next build moves it into its
staging folder and walks it once. A file stays only where it is the very file
the cache holds under the key this build gives its path (the same inode on the
same device: what linking the cache's entry would put there); any other file,
a changed page's, an unkeyed feed's or one put there by hand, is removed. The
build then links and renders the rest as into an empty folder, and after its
swap removes the folders the walk emptied that the new site left empty.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SPARE = "spare"


@dataclass
class Taken:
    kept: set[str] = field(default_factory=set)  # files left in place, relative to the staging folder
    emptied: list[str] = field(default_factory=list)  # folders in which the walk kept no file


def take(cache: Path, staging: Path, keys: dict[str, str], inodes: dict[str, int]) -> Taken:
    """Move the kept site into the fresh `staging` folder, keeping only the files that are the
    cache's entries for their keys in `keys` (by output path): the files of those `inodes` (by key)."""
    spare = cache / SPARE
    try:
        tops = list(os.scandir(spare))
        same_device = os.stat(cache).st_dev == os.stat(staging).st_dev
    except OSError:
        return Taken()
    moved = set()
    for top in tops if same_device else ():  # on another file system the build makes its folders
        if not os.path.lexists(staging / top.name):  # the staging folder's owner mark is its own
            try:
                os.rename(top.path, staging / top.name)
            except OSError:
                break
            moved.add(top.name)
    shutil.rmtree(spare, ignore_errors=True)
    try:
        return walk(staging, moved, keys, inodes)
    except OSError:  # say, a folder made unreadable: none of it is used, so nothing unchecked is published
        for name in moved:
            path = staging / name
            if path.is_dir() and not path.is_symlink():  # rmtree refuses a link to a folder, silently here
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return Taken()


def walk(root: Path, names: set[str], keys: dict[str, str], inodes: dict[str, int]) -> Taken:
    """Keep the files below `root` / each of `names` that are the cache's entries for their keys;
    remove the others."""
    taken, prefix, top = Taken(), len(str(root)) + 1, str(root)
    pending = [top]
    while pending:
        folder = pending.pop()
        kept_here = False
        with os.scandir(folder) as entries:
            for entry in entries:
                if folder == top and entry.name not in names:
                    continue  # the staging folder's own
                if entry.is_dir(follow_symlinks=False):  # from the folder listing: no stat per entry
                    pending.append(entry.path)
                    continue
                relative = entry.path[prefix:]
                # The same inode on the same device: the very file the cache holds, not a copy (the
                # inodes are the folder listings', as a file's own `stat` would double the cost).
                key = keys.get(relative)
                if key is not None and inodes.get(key) == entry.inode():
                    taken.kept.add(relative)
                    kept_here = True
                else:
                    os.unlink(entry.path)
        if not kept_here and folder != top:
            taken.emptied.append(folder[prefix:])
    return taken


def keep(replaced: Path, cache: Path, unkeyed: list[str]) -> None:
    """Keep the replaced site, but for its search index and the files at `unkeyed` (feeds, exports: no
    key covers them, so the next build would remove them, and at 100,000 papers they hold 1.1 GB);
    remove it where it cannot be kept."""
    try:
        shutil.rmtree(cache / SPARE, ignore_errors=True)
        root = f"{replaced}/"
        for path in unkeyed:
            try:
                os.unlink(root + path)
            except FileNotFoundError:
                pass
        for top in os.scandir(replaced):
            if top.name.startswith("pagefind") and top.is_dir(follow_symlinks=False):
                shutil.rmtree(top.path)
        os.rename(replaced, cache / SPARE)
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
