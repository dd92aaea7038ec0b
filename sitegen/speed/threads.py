"""Map a function over a list with one thread per core.

Only for functions that release the GIL for their whole run (numba's `nogil`
kernels, sitegen/assemble/kernels.py): they share the caller's arrays, with
nothing copied or sent back, where forked processes would pickle the results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sitegen.speed.forked import core_count

T = TypeVar("T")
R = TypeVar("R")


def thread_map(function: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> list[R]:
    """`[function(item) for item in items]`, on `workers` threads (default: one per core)."""
    workers = min(workers or core_count(), len(items))
    if workers < 2:
        return [function(item) for item in items]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, items))
