"""Map a function over a list on every core, with forked processes.

Children are forked, so they inherit the function and its inputs (closures,
parsed listings) without pickling; only results travel back, through a pipe.
Where fork is unavailable, or the list is short, it is a plain loop.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def core_count(limit: int = 4) -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), limit))
    except AttributeError:  # not on Linux
        return max(1, min(os.cpu_count() or 1, limit))


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with(parent: int) -> None:
    """End this forked child when `parent` ends, however it ends (even `kill -9`).

    Without it a child outlived a killed build, blocked for ever writing its
    results into a pipe whose reader was gone, holding its share of the heap.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the closed pipe ends below still end it
        pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


class WorkerDied(RuntimeError):
    """A child ended without handing back its results (killed, say for memory)."""


def forked_map(function: Callable[[T], R], items: Sequence[T], minimum: int = 2, workers: int | None = None) -> list[R]:
    """`[function(item) for item in items]`, split across `workers` processes (default:
    one per core) when there are at least `minimum` items.

    An exception in a child is raised again in the parent.
    """
    workers = min(workers or core_count(), len(items))
    if workers < 2 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    # Objects made so far move out of the collector's sight: a child's garbage
    # collections then do not write to (and so copy) every inherited page.
    # The caller unfreezes when those objects may die (build() does at its end).
    gc.freeze()

    parent = os.getpid()
    inboxes: list = []  # the reading ends, which no child may keep open (see child())

    def child(start: int, outbox) -> None:
        die_with(parent)
        # With a reading end of its own pipe open, a child whose parent is gone
        # blocks in send() for ever instead of failing with a broken pipe.
        for inbox in inboxes:
            inbox.close()
        # Ctrl-C at a terminal reaches the whole process group: the parent
        # decides, and ends the children itself (see below).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            outbox.send((True, [function(item) for item in items[start::workers]]))
        except BaseException as exc:  # handed to the parent, which raises it
            outbox.send((False, exc))

    children = []
    try:
        for start in range(1, workers):
            inbox, outbox = context.Pipe(duplex=False)
            inboxes.append(inbox)
            process = context.Process(target=child, args=(start, outbox))
            process.start()
            outbox.close()
            children.append((process, inbox))
        shares: list[list[R]] = [[function(item) for item in items[0::workers]]]
        failure: BaseException | None = None
        for process, inbox in children:
            try:
                ok, payload = inbox.recv()
            except EOFError:
                ok, payload = False, WorkerDied("a worker process died")
            process.join()
            if ok:
                shares.append(payload)
            else:
                failure = failure or payload
    finally:  # interrupted (Ctrl-C, SIGTERM) or failed: no child goes on writing into the build
        for process, inbox in children:
            if process.exitcode is None:
                process.kill()
                process.join()
            inbox.close()
    if failure is not None:
        raise failure
    result: list[R] = [None] * len(items)  # type: ignore[list-item]
    for start, share in enumerate(shares):
        result[start::workers] = share
    return result


class Dealer:
    """Deals out a list's indices in chunks, each chunk once, to whichever
    process asks first: processes forked after it was made share its counter."""

    def __init__(self, count: int, chunk: int):
        self.count, self.chunk = count, chunk
        self.next = multiprocessing.Value("q", 0)

    def chunks(self) -> Iterator[slice]:
        while True:
            with self.next.get_lock():
                start = self.next.value
                self.next.value = start + self.chunk
            if start >= self.count:
                return
            yield slice(start, start + self.chunk)
