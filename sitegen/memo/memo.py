"""Values kept from one build to the next, each reused only while its inputs are the same.

`sitegen serve` rebuilds a site that an edit changed in a few places. A
`Memo` keeps each value it was asked for with the inputs it was made from
(a tuple); the next build gets the very same object back when it passes the
same inputs, compared with `==`, which on tuples is an identity check first.
So an input that a memoised step reuses makes the step after it cheap to
check too, and every value is exactly what making it afresh would give:
the inputs must name everything `make` reads, apart from what all entries
share (settings, addresses, tag names), which `MemoryReuse` checks once per
build and clears every memo when it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self.kept: dict[Hashable, tuple[tuple, object]] = {}  # made by the last builds
        self.used: dict[Hashable, tuple[tuple, object]] = {}  # asked for by the build in progress
        self.parts: dict[str, Memo] = {}

    def part(self, name: str) -> Memo:
        """A memo of its own for one kind of value (keys need not say which kind), begun,
        kept and cleared with this one."""
        return self.parts.setdefault(name, Memo())

    def get(self, key: Hashable, inputs: tuple, make: Callable[[], T]) -> T:
        known = self.kept.get(key)
        if known is None or known[0] != inputs:
            known = self.kept[key] = (inputs, make())
        self.used[key] = known
        return known[1]  # type: ignore[return-value]

    def begin(self) -> None:
        """A build starts: what it does not ask for will be forgotten once it succeeds."""
        self.used = {}
        for part in self.parts.values():
            part.begin()

    def keep_used(self) -> None:
        """The build succeeded: keep only what it asked for (a failed build's entries all stay)."""
        self.kept, self.used = self.used, {}
        for part in self.parts.values():
            part.keep_used()

    def clear(self) -> None:
        self.kept, self.used = {}, {}
        for part in self.parts.values():
            part.clear()


class NoMemo(Memo):
    """Makes every value afresh: a full build has nothing to reuse."""

    def get(self, key: Hashable, inputs: tuple, make: Callable[[], T]) -> T:
        return make()

    def part(self, name: str) -> Memo:
        return self
