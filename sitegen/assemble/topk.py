"""Each row's best few entries of a sparse matrix, ties to the lower column:
the selection that exact related papers (related.py) make of scores."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scipy import sparse


def rows_of(matrix: sparse.csr_matrix):
    """The row of each entry of `matrix.data`."""
    import numpy as np

    return np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))


def best_in_rows(rows, values, tiebreak, count: int):
    """Positions of each row's `count` entries with the largest `values`, ties to the
    smaller `tiebreak`: row by row, best first. `rows` (of each entry) must not decrease."""
    import numpy as np

    # A cheap cut before sorting: a bound at most each row's count-th largest
    # value; only entries at least that large can be among the best, a few per
    # row where rows hold hundreds or thousands.
    n_rows = int(rows[-1]) + 1 if len(rows) else 0
    lengths = np.bincount(rows, minlength=n_rows)
    width = int(lengths.max()) if n_rows else 0
    if width <= count:
        near = np.arange(len(rows))
    elif n_rows * width <= 3 * len(rows):
        # Rows of similar lengths: laid out side by side (padded with -inf),
        # partitioned, the exact count-th largest (-inf in a shorter row).
        starts = np.cumsum(lengths) - lengths
        laid = np.full((n_rows, width), -np.inf)
        laid[rows, np.arange(len(rows)) - starts[rows]] = values
        threshold = -np.partition(-laid, count - 1, axis=1)[:, count - 1]
        near = np.flatnonzero(values >= threshold[rows])
    else:
        # Rows of any lengths: deal the entries into `count` parts in turn; in
        # a row of at least `count` entries each part has one, so the least of
        # the parts' largest values there is at most the row's count-th largest
        # value (in a shorter row it is -inf).
        parts = np.tile(np.arange(count), len(rows) // count + 1)[: len(rows)]
        part_max = np.full(n_rows * count, -np.inf)
        np.maximum.at(part_max, rows * count + parts, values)
        near = np.flatnonzero(values >= part_max.reshape(n_rows, count).min(axis=1)[rows])
    order = near[np.lexsort((tiebreak[near], -values[near], rows[near]))]
    ranked = rows[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked, ranked)
    return order[rank < count]


def best_of_block(block: sparse.csr_matrix, start: int, count: int) -> list[tuple[int, ...]]:
    """Each row's `count` best scores in `block` (rows `start`...), ties to the lower index."""
    import numpy as np

    block = block.tocsr()
    rows = rows_of(block)
    # Scores equal to 9 decimals are ties, whatever the order of summing made of them;
    # a paper is not related to itself, nor to one it shares no weighted term with.
    scores = np.round(block.data, 9)
    scores[(block.indices == rows + start) | (scores <= 0)] = -1.0
    best = best_in_rows(rows, scores, block.indices, count)
    best = best[scores[best] > 0]
    others = block.indices[best].tolist()
    ends = np.cumsum(np.bincount(rows[best], minlength=block.shape[0])).tolist()
    return [tuple(others[lo:hi]) for lo, hi in zip([0, *ends], ends)]

