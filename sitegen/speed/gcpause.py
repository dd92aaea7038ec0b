"""Pause the cyclic garbage collector while bulk-building objects.

Parsing a large archive creates hundreds of thousands of small, long-lived
objects and no reference cycles; each collector pass would rescan all of them
for nothing. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """With `freeze`, what was made meanwhile is frozen (`gc.freeze`) before the
    collector resumes: otherwise its first pass walks all of it at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
