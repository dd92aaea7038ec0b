"""Looking at real processes through /proc, for tests that signal them."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path


def stat_of(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    found = stat_of(pid)
    return found is not None and found[0] not in ("Z", "X")  # a zombie has ended; only its exit code is left


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := stat_of(int(entry.name))):
            parents[int(entry.name)] = found[1]
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return {child for child in found if alive(child)}


def wait_until(condition: Callable[[], object], timeout: float, step: float = 0.02):
    """The first true value of `condition()` within `timeout` seconds, else None."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(step)
    return condition() or None
