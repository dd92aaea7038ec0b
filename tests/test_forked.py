"""forked_map: the same answers as a plain loop, on every core, and failures that surface;
Dealer: work shared out as each process is free."""

from __future__ import annotations

import os

import pytest

from sitegen.speed.forked import Dealer, WorkerDied, forked_map


def test_results_come_back_in_input_order_from_more_than_one_process():
    items = list(range(101))
    results = forked_map(lambda n: (n * n, os.getpid()), items, workers=2)
    assert [square for square, _ in results] == [n * n for n in items]
    assert len({pid for _, pid in results}) == 2  # the work really was shared


def test_a_short_list_runs_in_this_process():
    assert forked_map(lambda n: os.getpid(), [1], workers=2) == [os.getpid()]
    assert forked_map(lambda n: n, [], workers=2) == []


def test_an_error_in_a_worker_is_raised_here():
    def explode(n: int) -> int:
        if n == 7:
            raise ValueError(f"bad item {n}")
        return n

    with pytest.raises(ValueError, match="bad item 7"):
        forked_map(explode, list(range(10)), workers=2)


def test_a_worker_that_dies_is_reported_not_waited_for():
    def die_in_child(n: int) -> int:
        if n == 1:  # item 1 is the second worker's first
            os._exit(9)
        return n

    with pytest.raises(WorkerDied):
        forked_map(die_in_child, [0, 1, 2, 3], workers=2)


def test_a_dealer_gives_each_chunk_to_one_process_and_a_slow_process_takes_fewer():
    import time

    dealer = Dealer(103, 10)

    def take(index: int) -> list[tuple[int, int]]:
        if index == 0:
            time.sleep(0.5)  # as the build's own process does, loading libraries first
        taken = []
        for chunk in dealer.chunks():
            taken.append((chunk.start, chunk.stop))
            time.sleep(0.01)
        return taken

    slow, fast = forked_map(take, range(2), workers=2)
    assert sorted(slow + fast) == [(start, start + 10) for start in range(0, 103, 10)]
    assert len(slow) < len(fast)
