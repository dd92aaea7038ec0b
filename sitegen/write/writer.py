"""Writing the output folder atomically.

A build writes into a fresh staging folder beside the output folder and, only
when every file is there, swaps it into place: with Linux's
`renameat2(RENAME_EXCHANGE)` the swap is a single atomic step, elsewhere two
renames. A failed build removes its staging folder and leaves the previous
output byte for byte as it was.

Only files whose bytes changed are written: a file equal to the one in the
previous output is hard-linked from there, so it keeps its inode and
modification time (rsync and deploy tools skip it, the page cache keeps it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from sitegen.core.diagnostics import BuildError, Diagnostic, Severity
from sitegen.write.staging import mark, remove_stale, remove_within, unmark

MARKER = ".sitegen-output"  # marks a folder sitegen may replace
RENAME_EXCHANGE = 2
AT_FDCWD = -100
INTERRUPTED_CLEANUP = 1.5  # seconds an interrupted build spends removing its staging folder


def fail(path: Path | str, message: str) -> BuildError:
    return BuildError([Diagnostic(str(path), 0, Severity.ERROR, message)])


def cannot_write(path: Path, exc: OSError) -> BuildError:
    """A failed write (disk full, quota, file size limit, permissions) as one line, not a traceback."""
    return fail(path, f"cannot write: {exc.strerror or exc}; free some space or fix the folder's "
                      f"permissions, then build again")


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (False if it is missing or a folder)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(data) + 1) == data
    except OSError:
        return False


def write_file(path: str | Path, data: bytes) -> None:
    """Create or replace the file at `path` with `data` (raises OSError)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    finally:
        os.close(handle)


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace a folder that sitegen did not make (say, `--out .`)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise fail(out_dir, "the output path exists and is not a folder; choose another --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise fail(out_dir, "this folder is not empty and was not made by sitegen; "
                            "choose another --out or empty it first")


class Staging:
    """A folder to build into, swapped into place by `commit()`, removed otherwise.

    With `keep_replaced`, `path` holds the replaced site after the commit and
    the caller removes it: a preview server does so after telling the
    browsers, as removing thousands of files takes a while.
    """

    def __init__(self, out_dir: Path, keep_replaced: bool = False):
        self.out_dir = out_dir.resolve()
        check_replaceable(self.out_dir)
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(self.out_dir)  # what killed builds left behind
            self.path = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.staging-", dir=self.out_dir.parent))
            mark(self.path)
        except OSError as exc:
            raise fail(self.out_dir, f"cannot create the output folder: {exc.strerror}") from None
        self.root = f"{self.path}/"
        self.made_dirs: set[str] = {""}
        # The output to compare with, as a prefix: a path per file through pathlib costs more than the compare.
        self.previous = f"{self.out_dir}/" if self.out_dir.is_dir() else None
        self.keep_replaced = keep_replaced
        self.committed = False

    def target(self, relative: str) -> str:
        """The staging path for `relative`, its folder made. Plain strings and
        os calls: pathlib and buffered file objects cost a third of the
        writing time of 12,000 small pages."""
        parent = relative.rpartition("/")[0]
        if parent not in self.made_dirs:
            os.makedirs(self.root + parent, exist_ok=True)
            self.made_dirs.add(parent)
        return self.root + relative

    def write(self, relative: str, data: bytes) -> None:
        if self.previous is not None:
            before = self.previous + relative
            if holds(before, data) and self.link(relative, before):
                return
        try:
            write_file(self.target(relative), data)
        except OSError as exc:
            raise cannot_write(self.out_dir / relative, exc) from None

    def link(self, relative: str, source: str | Path) -> bool:
        """Hard-link an unchanged file in (a copy from another file system); False where there is none.
        Its folder is made only once the file is known to be there: a miss makes no folder."""
        try:
            try:
                os.link(source, self.root + relative, follow_symlinks=False)
            except FileNotFoundError:
                if not os.path.lexists(source):
                    return False
                os.link(source, self.target(relative), follow_symlinks=False)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                return False
            try:
                shutil.copyfile(source, self.target(relative), follow_symlinks=False)
            except OSError:
                return False
        return True

    def keep_replaced_site(self) -> None:
        """Leave the replaced site at `path` after the commit, for the caller to reuse or remove."""
        self.keep_replaced = True

    def commit(self) -> None:
        try:
            (self.path / MARKER).write_text("This folder is written by sitegen build; it is replaced on every build.\n")
            os.chmod(self.path, 0o755)
            unmark(self.path)  # not published with the site
            swap(self.path, self.out_dir)
            if self.keep_replaced and self.path.is_dir():
                mark(self.path)  # the replaced site, removed later by the caller (or a later build)
        except OSError as exc:
            raise cannot_write(self.out_dir, exc) from None
        self.committed = True
        if not self.keep_replaced:
            shutil.rmtree(self.path, ignore_errors=True)  # after the swap it holds the previous site

    def discard(self) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, *exc_info) -> None:
        if kind is not None and issubclass(kind, KeyboardInterrupt) and not self.committed:
            # Ctrl-C or `kill`: the user waits, so as much as goes in a second
            # or two; a later build removes what is left (staging.py).
            remove_within(self.path, INTERRUPTED_CLEANUP)
        else:
            self.discard()


def swap(new: Path, current: Path) -> None:
    """Put `new` at `current`; afterwards `new` holds the old contents (or nothing)."""
    if not current.exists():
        os.rename(new, current)
        return
    if exchange(new, current):
        return
    old = current.with_name(f".{current.name}.old-{os.getpid()}")
    os.rename(current, old)
    os.rename(new, current)
    os.rename(old, new)


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2; False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def content_hash(data: bytes, length: int = 10) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def hashed_name(name: str, data: bytes) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{content_hash(data)}.{suffix}" if dot else f"{name}.{content_hash(data)}"
