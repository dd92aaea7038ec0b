"""Source folders -> one call per burst of edits (watchdog, plus a debounce).

Editors save in bursts: a temp file, a rename, a few modify events, a swap
file. The watcher gathers the paths of a burst and calls `on_change(paths)`
once nothing has happened for `quiet` seconds: on its own thread, one call
at a time; changes made during a call come in the next one.

Ignored: reads (inotify would report every open, the build's own included,
and each build would set off the next), editor temp files, and the output
folder with its staging siblings, should it sit inside a watched folder.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

# Only events that can change what a build reads; no opens, no directory
# "modified" (a file event inside says more).
WATCHED_EVENTS = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
                  DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
# An editor's save (temp file, rename, modify, close) comes within a few milliseconds; the
# quiet period is part of every edit's time to reload, so it is only a few times that long.
QUIET = 0.05
TEMP_NAMES = frozenset({"4913", ".DS_Store", "Thumbs.db"})  # 4913: vim's can-I-write probe
TEMP_PREFIXES = (".#", ".~lock.", ".goutputstream-")  # emacs lock, LibreOffice, gedit
TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".swpx", ".tmp", ".part", ".crdownload", ".kate-swp",
                 "___jb_tmp___", "___jb_old___")  # vim, downloads, kate, JetBrains safe write


def is_editor_temp(path: str) -> bool:
    name = os.path.basename(path)
    return (name in TEMP_NAMES or name.startswith(TEMP_PREFIXES) or name.endswith(TEMP_SUFFIXES)
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))  # emacs auto-save


class Forward(FileSystemEventHandler):
    def __init__(self, record: Callable[[FileSystemEvent], None]):
        self.record = record

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.record(event)


class Watcher:
    def __init__(self, folders: Iterable[Path], output: Path, on_change: Callable[[set[Path]], None],
                 quiet: float = QUIET):
        self.folders = [folder for folder in folders if folder.is_dir()]
        self.output = os.path.realpath(output)
        # Staging folders sit beside the output: `.NAME.staging-*` (write/writer.py).
        self.output_siblings = os.path.join(os.path.dirname(self.output), f".{os.path.basename(self.output)}.")
        self.on_change, self.quiet = on_change, quiet
        self.observer = Observer()
        self.changed = threading.Condition()
        self.pending: set[str] = set()
        self.last_event = 0.0
        self.stopping = False
        self.thread = threading.Thread(target=self.deliver, name="sitegen-watch", daemon=True)
        self.handler = Forward(self.record)
        self.watches: dict[str, object] = {}  # folder -> its watchdog watch

    def start(self) -> None:
        for folder in self.folders:
            self.watch(str(folder))
            # A folder deleted and made again (`rm -rf C; cp -a C.bak C`), or moved away
            # and back, is a new inode its old watch never sees: its parent's watch does.
            self.observer.schedule(Forward(self.folder_event), str(folder.parent), recursive=False,
                                   event_filter=[DirCreatedEvent, DirDeletedEvent, DirMovedEvent])
        self.observer.start()
        self.thread.start()

    def watch(self, folder: str) -> None:
        old = self.watches.pop(folder, None)
        if old is not None:
            try:
                self.observer.unschedule(old)
            except KeyError:
                pass  # watchdog dropped it when the folder went
        self.watches[folder] = self.observer.schedule(self.handler, folder, recursive=True,
                                                      event_filter=WATCHED_EVENTS)

    def folder_event(self, event: FileSystemEvent) -> None:
        """A watched folder itself went or came back: rebuild (an error, or the site again)."""
        paths = {os.fsdecode(p) for p in (event.src_path, event.dest_path) if p} & set(self.watches)
        for path in paths:
            if os.path.isdir(path):
                self.watch(path)
            self.record(FileCreatedEvent(os.path.join(path, ".")))

    def stop(self) -> None:
        """Stop watching; waits for an `on_change` call in progress."""
        self.observer.stop()
        with self.changed:
            self.stopping = True
            self.changed.notify()
        self.observer.join()
        if self.thread.is_alive():
            self.thread.join()

    def wanted(self, path: str) -> bool:
        if not path or is_editor_temp(path):
            return False
        real = os.path.realpath(path)
        return not (real == self.output or real.startswith((self.output + os.sep, self.output_siblings)))

    def record(self, event: FileSystemEvent) -> None:
        paths = [os.fsdecode(p) for p in (event.src_path, event.dest_path) if p]
        paths = [p for p in paths if self.wanted(p)]
        if paths:
            with self.changed:
                self.pending.update(paths)
                self.last_event = time.monotonic()
                self.changed.notify()

    def deliver(self) -> None:
        while True:
            with self.changed:
                while not self.stopping:
                    quiet_for = time.monotonic() - self.last_event
                    if self.pending and quiet_for >= self.quiet:
                        break
                    self.changed.wait(self.quiet - quiet_for if self.pending else None)
                if self.stopping:
                    return
                batch, self.pending = self.pending, set()
            self.on_change({Path(path) for path in batch})
