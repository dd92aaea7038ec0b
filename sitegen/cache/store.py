"""The cache folder on disk: versioned, locked, checksummed entries written atomically.

Layout of the folder (default `.sitegen-cache/` beside the content folder):

    VERSION          the version key of the sitegen that wrote it (below)
    lock             flock()ed by the build using the cache: one build at a time
    index.json       the build count, and the build that last used each entry
    entries/KIND/..  pickled values, each behind a header (magic, version key, checksum)
    pages/..         rendered pages: hard links to the files of the output folder
    bundles/..       search bundles, each a folder of hard links to the output's (bundles.py)
    spare/           the site the last build replaced, for the next build to start from (spare.py)
    tmp/             entries being written; emptied by the next build (a killed one's leftovers)

An entry is trusted only when its header names this version key and its
payload's SHA-256 matches: a truncated, corrupt or foreign entry is ignored
with a one-line note and made again. Entries are written to `tmp/` and put in
place with os.replace, so a reader (or a killed writer) never sees half of one.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
import pickle
import shutil
import sys
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import sitegen
from sitegen.cache.spare import SPARE

MAGIC = b"SGCACHE1"
KEEP_BUILDS = 5  # an entry no build used for this many builds is dropped (README: "The build cache")
SOURCE_DIR = Path(sitegen.__file__).resolve().parent
BUNDLES = "bundles"  # kept as folders, not entries: a bundle is thousands of files
NOTES_SHOWN = 5  # notes printed one by one; the rest are counted


def digest(*parts: bytes) -> str:
    """A hex key for `parts`, each length-prefixed so that no two different sequences run together."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


def version_key() -> str:
    """sitegen's version, its own source, and the libraries whose objects are pickled or rendered.

    Templates and static files are not in it: they change what pages look like,
    not what parsing or assembling makes, so they are part of each page's key
    (cache/disk.py) and a template edit keeps the parsed listings and related papers.
    """
    parts = [sitegen.__version__.encode(), sys.version.encode()]
    for library in ("pydantic", "jinja2", "markupsafe", "numpy", "scipy", "pillow", "font-source-sans-pro",
                    "pagefind", "pagefind_bin"):
        try:
            parts.append(f"{library} {metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            parts.append(library.encode())
    for path in sorted(SOURCE_DIR.rglob("*.py")):
        parts += [path.relative_to(SOURCE_DIR).as_posix().encode(), path.read_bytes()]
    return digest(*parts)


class Store:
    """One build's hold on a cache folder: open it with `with Store(path, notes.append) as store`."""

    def __init__(self, root: Path, note: Callable[[str], None], version: str | None = None,
                 waiting: Callable[[str], None] | None = None):
        self.root, self.note, self.waiting = root, note, waiting or note  # `waiting` is told at once
        self.version = version or version_key()
        self.header = MAGIC + bytes.fromhex(self.version)
        self.used: set[str] = set()  # entries (paths below root) this build read or wrote
        self.lock_file: int | None = None
        self.unwritable = False  # set by the first write that fails
        self.inodes: dict[str, int] | None = None  # the rendered pages' inodes by key, read once a build

    # Opening and closing

    def __enter__(self) -> Store:
        if self.lock_file is None:
            self.open()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def open(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock_file = os.open(self.root / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(self.lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.waiting(f"{self.root}: note: another build is using this cache; waiting for it to finish")
            fcntl.flock(self.lock_file, fcntl.LOCK_EX)
        shutil.rmtree(self.root / "tmp", ignore_errors=True)  # what a killed build was writing
        (self.root / "tmp").mkdir()
        version_file = self.root / "VERSION"
        try:
            found = version_file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            found = None
        if found != self.version:
            if found is not None or (self.root / "entries").exists():
                self.note(f"{self.root}: note: the cache was written by another version of sitegen; "
                          f"it is ignored and made afresh")
            for folder in ("entries", "pages", BUNDLES, SPARE):
                shutil.rmtree(self.root / folder, ignore_errors=True)
            (self.root / "index.json").unlink(missing_ok=True)
            self.write_atomically(version_file, self.version.encode() + b"\n")
            tag = self.root / "CACHEDIR.TAG"  # backup tools skip the folder
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# sitegen build cache\n")

    def close(self) -> None:
        if self.lock_file is not None:
            os.close(self.lock_file)  # releases the lock
            self.lock_file = None

    # Entries

    def path_of(self, kind: str, key: str) -> Path:
        return self.root / "entries" / kind / key[:2] / key[2:]

    def get(self, kind: str, key: str) -> object | None:
        """The value stored under `key`, or None when there is none or it cannot be trusted (noted)."""
        path = self.path_of(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        relative = path.relative_to(self.root).as_posix()
        head = len(self.header)
        if len(data) < head + 32 or not data.startswith(MAGIC):
            return self.distrust(path, "truncated or not a sitegen cache entry")
        if data[:head] != self.header:
            return self.distrust(path, "written by another version of sitegen")
        if hashlib.sha256(memoryview(data)[head + 32:]).digest() != data[head:head + 32]:
            return self.distrust(path, "corrupt (its checksum does not match)")
        try:
            value = pickle.loads(memoryview(data)[head + 32:])
        except Exception:  # a checksum that matches a payload that does not load: distrust it all the same
            return self.distrust(path, "cannot be read back")
        self.used.add(relative)
        return value

    def distrust(self, path: Path, why: str) -> None:
        self.note(f"{path}: note: cache entry {why}; ignored, and made again")
        path.unlink(missing_ok=True)
        return None

    def keep(self, kind: str, key: str) -> None:
        """Count the entry under `key` as used by this build, though it did not read it: one that a
        later build needs (or that another process writes) is then not dropped meanwhile."""
        self.used.add(self.path_of(kind, key).relative_to(self.root).as_posix())

    def put(self, kind: str, key: str, value: object) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path = self.path_of(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # write_atomically notes it
        if self.write_atomically(path, self.header + hashlib.sha256(payload).digest() + payload):
            self.used.add(path.relative_to(self.root).as_posix())

    def made(self, kind: str, key: str, make: Callable[[], bytes]) -> bytes:
        """`make()`'s bytes, stored under `key`."""
        data = make()
        self.put(kind, key, data)
        return data

    def cannot_write(self, exc: OSError) -> None:
        self.unwritable = True
        self.note(f"{self.root}: note: cannot write the cache ({exc.strerror or exc}); this build keeps nothing more in it")

    def write_atomically(self, path: Path, data: bytes) -> bool:
        """Put `data` at `path` whole, or not at all; False (noted once) where the cache cannot be
        written: a full disk or a file size limit costs later builds their reuse, never this build."""
        if self.unwritable:
            return False
        temporary = self.root / "tmp" / f"{os.getpid()}-{path.name}"
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except OSError as exc:
            self.cannot_write(exc)
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return False
        return True

    # Rendered pages: files of the output folder, kept by hard link (or copy across file systems)

    # Plain strings and os calls, one call per page where it can be: 12,000 pages a build.

    def page_path(self, key: str) -> str:
        return f"{self.root}/pages/{key[:2]}/{key[2:]}"

    def page_inodes(self) -> dict[str, int]:
        """Each page the cache held when first asked, by key: its inode. One listing of the pages'
        folders, the inodes from the listing itself: a check per page (whether a paper page is held,
        whether a file of the last site is the one held) cost 220,000 `stat` calls at 100,000 papers.

        The build holds the cache's lock, so no other build drops a page meanwhile; what this one
        keeps (`keep_page`) it keeps after its last question."""
        if self.inodes is None:
            inodes: dict[str, int] = {}
            for folder in subfolders(f"{self.root}/pages"):
                prefix = folder[-2:]
                try:
                    with os.scandir(folder) as entries:
                        inodes.update((prefix + entry.name, entry.inode()) for entry in entries)
                except OSError:
                    continue  # unreadable: its pages are rendered afresh
            self.inodes = inodes
        return self.inodes

    def page_used(self, key: str) -> None:
        """The page kept under `key` was linked into this build's output."""
        self.used.add(f"pages/{key[:2]}/{key[2:]}")

    def keep_page(self, key: str, written: str) -> None:
        self.page_used(key)
        self.inodes = None  # read again if asked again
        if self.unwritable:
            return
        path = self.page_path(key)
        try:
            try:
                os.link(written, path)  # a link appears whole: nobody sees half a page
            except FileNotFoundError:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.link(written, path)
        except FileExistsError:
            return  # kept already, by this key: the same bytes
        except OSError:  # another file system: a copy, put in place whole
            temporary = self.root / "tmp" / f"{os.getpid()}-{key}"
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                shutil.copyfile(written, temporary)
                os.replace(temporary, path)
            except OSError as exc:
                self.cannot_write(exc)

    # Folders kept whole: each appears by one rename, so a killed build leaves none half-kept

    @staticmethod
    def folder_name(kind: str, key: str) -> str:
        """Where a kept folder is, from the cache's root: also its name in `used`."""
        return f"{kind}/{key[:2]}/{key[2:]}"

    def folder(self, kind: str, key: str) -> Path | None:
        name = self.folder_name(kind, key)
        path = self.root / name
        if not path.is_dir():
            return None
        self.used.add(name)
        return path

    def keep_folder(self, kind: str, key: str, copy: Callable[[Path], bool]) -> None:
        """Keep, under `key`, the folder `copy(target)` makes (False: it could not)."""
        name = self.folder_name(kind, key)
        path = self.root / name
        self.used.add(name)
        if self.unwritable or path.is_dir():
            return
        temporary = self.root / "tmp" / f"{os.getpid()}-{threading.get_ident()}-{key}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if copy(temporary):
                os.rename(temporary, path)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)  # kept by a build at the same time, or no room: not kept

    # Bounds

    def finish(self) -> int:
        """A build succeeded: record what it used, drop what no build used for KEEP_BUILDS builds.
        Returns the number of entries dropped."""
        index_path = self.root / "index.json"
        try:
            index = json.loads(index_path.read_text(encoding="utf-8"))
            builds, last_used = int(index["builds"]), dict(index["used"])
        except (OSError, ValueError, KeyError, TypeError):
            builds, last_used = 0, {}
        builds += 1
        kept, dropped = {}, 0
        # Walked from `root/`, so each directory's name below the root is a slice, not a relpath (220,000 files at 100,000 papers).
        root = f"{self.root}/"
        kept_files = ((directory, names) for folder in ("entries", "pages") for directory, _, names in
                      os.walk(root + folder))
        kept_folders = ((parent, os.listdir(parent)) for parent in subfolders(root + BUNDLES))
        start = len(root)
        for directory, names in itertools.chain(kept_files, kept_folders):
            below = directory[start:].replace(os.sep, "/")
            for name in names:
                relative = f"{below}/{name}"
                used = builds if relative in self.used else last_used.get(relative, builds)
                if builds - used >= KEEP_BUILDS:
                    path = os.path.join(directory, name)
                    shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
                    dropped += 1
                else:
                    kept[relative] = used
        self.write_atomically(index_path, json.dumps({"builds": builds, "used": kept}, sort_keys=True).encode())
        return dropped


def subfolders(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return [entry.path for entry in entries if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []
