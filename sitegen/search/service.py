"""A client for Pagefind's service mode (`pagefind --service`): records in, a bundle out.

The protocol, as the `pagefind` Python package speaks it: each request is
`{"message_id": N, "payload": {...}}` as JSON, base64-encoded and ended by a
comma on the service's stdin; each reply comes back the same way on stdout,
naming the message it answers. Requests are written as fast as the pipe takes
them while a thread reads the replies, so neither side's pipe buffer fills.

A service that dies (killed for memory, say) closes its stdout: the reader
sees that, and the waiting build gets one clear error instead of hanging.

A service ends when its stdin closes. A process forked while it runs (a
render worker) inherits the pipe's writing end, and the service would not see
the end of its input until that worker exited too: forked children close
their copies at once (`close_in_forked_child`).

The service hands the finished bundle over (GetFiles) and the build writes
it, since Pagefind's own writes can be cut short (see `index`).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Protocol

from sitegen.core.diagnostics import BuildError, Diagnostic, Severity
from sitegen.write.writer import write_file

WHERE = "(search index)"
# Pagefind answers each record in milliseconds and writes a 10,000-paper bundle
# in seconds: this long without any reply means it hangs, and a build or the
# preview's shutdown must not wait for it forever.
STALL_TIMEOUT = 300
EXIT_TIMEOUT = 120.0  # seconds a service may take to exit after its input ends
OUTPUT_TAIL = 12  # lines of Pagefind's complaints shown when it fails


# Services whose stdin is open in this process (see the module's docstring).
RUNNING: weakref.WeakSet[PagefindService] = weakref.WeakSet()


def close_in_forked_child() -> None:
    # /dev/null takes the descriptor's place rather than leaving its number free:
    # the child's copy of the pipe object then never writes into a file the child opens.
    services = list(RUNNING)
    if not services:
        return
    null = os.open(os.devnull, os.O_WRONLY)
    for service in services:
        try:
            os.dup2(null, service.process.stdin.fileno())
        except (OSError, ValueError):
            pass  # closed already
    os.close(null)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=close_in_forked_child)


class Record(Protocol):
    def message(self, index_id: int, language: str) -> dict: ...


def fail(message: str) -> BuildError:
    return BuildError([Diagnostic(WHERE, 0, Severity.ERROR, message)])


def pagefind_executable() -> str:
    # Imported here: pagefind.service loads asyncio, which a build without search never needs.
    from pagefind.service import get_executable

    # PAGEFIND_BINARY_PATH, when set, names another binary (honoured by the pagefind package).
    executable = get_executable()
    if executable is None:
        raise fail("Pagefind is not installed; install sitegen with its dependencies (pip install -e .) "
                   "or build with --no-search")
    return str(executable)


def describe_exit(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
        hints = {signal.SIGKILL: " (out of memory?)",
                 signal.SIGXFSZ: " (a file went past the file size limit: is the disk full?)"}
        hint = hints.get(-code, "")
        return f"was killed by {name}{hint}"
    return f"exited with status {code}"


def write_bundle(files: list[dict], bundle: Path) -> None:
    """Write the files of a GetFiles reply (paths relative to the bundle, contents in
    base64) into `bundle`, each dropped from `files` once written to bound memory."""
    made: set[Path] = set()
    while files:
        file = files.pop()
        relative = PurePosixPath(file["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise fail(f"Pagefind named a file outside its bundle: {file['path']}")
        target = bundle.joinpath(*relative.parts)
        try:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            write_file(target, base64.b64decode(file["content"]))
        except OSError as exc:
            raise fail(f"cannot write {bundle.name}/{relative}: {exc.strerror or exc}; free some space "
                       f"or fix the output folder's permissions, then build again") from None


class PagefindService:
    """One `pagefind --service` process; use as a context manager, one index per service."""

    def __init__(self, niceness: int = 0) -> None:
        command = [pagefind_executable(), "--service"]
        try:
            self.log = tempfile.TemporaryFile()  # its complaints, for the error message
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=self.log)
        except OSError as exc:
            raise fail(f"cannot run Pagefind ({command[0]}): {exc.strerror or exc}; reinstall sitegen "
                       f"(pip install -e .) or build with --no-search") from None
        if niceness:
            try:  # a background index must not slow the build the reader waits for
                os.setpriority(os.PRIO_PROCESS, self.process.pid, niceness)
            except OSError:
                pass  # it already ended; the first reply says why
        self.sent = 0
        self.replies: dict[int, dict] = {}
        self.errors: list[str] = []
        self.arrived = threading.Condition()
        self.closed = False
        self.reader = threading.Thread(target=self.read_replies, name="pagefind-replies", daemon=True)
        self.reader.start()
        RUNNING.add(self)

    def read_replies(self) -> None:
        # A reply holding a whole bundle runs to tens of megabytes: its pieces are
        # joined once it is complete, not copied again with every read.
        pending: list[bytes] = []
        stdout = self.process.stdout
        while chunk := stdout.read1(1 << 20):
            if b"," not in chunk:
                pending.append(chunk)
                continue
            *complete, rest = chunk.split(b",")
            pending.append(complete[0])
            complete[0] = b"".join(pending)
            pending = [rest]
            with self.arrived:
                for encoded in complete:
                    self.take(encoded)
                self.arrived.notify_all()
            del complete, encoded  # not held while the next read waits: the build is writing the bundle
        with self.arrived:
            self.closed = True
            self.arrived.notify_all()

    def take(self, encoded: bytes) -> None:
        try:
            reply = json.loads(base64.b64decode(encoded))
        except ValueError:
            self.errors.append(encoded[:200].decode("utf-8", "replace"))  # not a reply: a line of its log
            return
        payload = reply.get("payload") or {}
        if payload.get("type") == "Error":
            self.errors.append(str(payload.get("message")))
        self.replies[reply.get("message_id") or 0] = payload

    def send(self, payload: dict) -> int:
        self.sent += 1
        message = {"message_id": self.sent, "payload": payload}
        try:
            self.process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        except BrokenPipeError:
            pass  # it died: no reply will come, and wait_for() says why
        return self.sent

    def wait_for(self, message_id: int) -> dict:
        """The reply to `message_id`, once every earlier reply is in too."""
        try:
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # as in send()
        with self.arrived:
            heard, last_heard = len(self.replies), time.monotonic()
            while not (self.closed or len(self.replies) >= message_id):
                if len(self.replies) != heard:
                    heard, last_heard = len(self.replies), time.monotonic()
                elif time.monotonic() - last_heard > STALL_TIMEOUT:
                    raise fail(f"Pagefind stopped answering for {STALL_TIMEOUT} s; build again, "
                               f"or with --no-search")
                self.arrived.wait(min(10, STALL_TIMEOUT))
            if self.errors:
                raise fail("Pagefind refused the index: " + "; ".join(self.errors[:3]))
            if message_id not in self.replies:
                raise fail(f"Pagefind {describe_exit(self.process.wait())}: {self.complaints()}")
            return self.replies[message_id]

    def complaints(self) -> str:
        self.log.seek(0)
        lines = self.log.read().decode("utf-8", "replace").strip().splitlines()[-OUTPUT_TAIL:]
        return "; ".join(line.strip() for line in lines if line.strip()) or "no output"

    def index(self, records: Iterable[Record], bundle: Path, language: str) -> int:
        """Index `records` into the bundle folder `bundle`; return how many Pagefind took."""
        created = self.wait_for(self.send({"type": "NewIndex", "config": {"force_language": language}}))
        index_id = created["index_id"]
        first = self.sent + 1
        for record in records:
            self.send(record.message(index_id, language))
        last = self.sent
        # Not Pagefind's WriteFiles: it answers, and exits at the end of its input,
        # while its writes may still be queued, and under load bundles came out
        # with empty files (an empty index chunk silently loses papers from searches).
        # Here it hands the files over and the build writes them.
        asked = self.send({"type": "GetFiles", "index_id": index_id})
        write_bundle(self.wait_for(asked).get("files") or [], bundle)
        del self.replies[asked]
        return sum(self.replies[n].get("type") == "IndexedFile" for n in range(first, last + 1))

    def close(self) -> None:
        # The end of its input makes the service finish and exit by itself; it is
        # killed only if it hangs.
        RUNNING.discard(self)
        try:
            self.process.stdin.close()
        except OSError:
            pass  # it died already
        try:
            self.process.wait(timeout=EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join()  # the reader sees the end of stdout
        self.process.stdout.close()
        self.log.close()

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
