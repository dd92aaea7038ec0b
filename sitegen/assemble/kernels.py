"""The loops of candidates.py, compiled by numba: each a pass over arrays that numpy
could only do as several (a sparse product, then a selection per row), and that
here runs once, in cache, without the interpreter and without the GIL (so two
threads score two blocks of rows at once).

Signatures are given, so importing this module compiles them, or loads them from
numba's cache beside it (`cache=True`): the first build on a machine spends about
five seconds here, later ones half a second, mostly importing numba. Plain loops
stand where numpy's sorts, partitions and masks would do: each of those adds
seconds of compilation (12 s in all when the kernels used them).
related.load_libraries imports this module while another process reads the papers.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sitegen.assemble.related import MAX_SHARE

# A row's best candidates, (score, column) each packed into one int64 that sorts as
# they rank: a positive float32's bits order as the float does; the column is
# stored as SPAN - column, so that of equal scores the lower column sorts higher.
SPAN = 2**31 - 1
BUFFER = 8  # candidates gathered per one kept before the best are picked out

COMPILED = {"cache": True, "nogil": True}
INDEX = "int32[::1]"
POINTERS = "int64[::1]"
WEIGHTS = "float32[::1]"
ROWS = f"{POINTERS}, {INDEX}, {WEIGHTS}"  # a CSR matrix: indptr, indices, data


@njit(f"Tuple(({POINTERS}, {INDEX}, {WEIGHTS}))(int64[::1], int64[::1], int64[::1], int64)", **COMPILED)
def tfidf_rows(columns, counts, lengths, width):
    """related.tfidf_matrix in one pass over the entries, in single precision: the same
    weights (tests/test_related.py compares them) without numpy's dozen passes."""
    n = len(lengths)
    df = np.zeros(width, np.int64)
    for column in columns:
        df[column] += 1
    idf = np.zeros(width)
    renumber = np.full(width, -1, np.int64)  # the terms kept, numbered anew in order
    kept = 0
    for term in range(width):
        if df[term] <= MAX_SHARE * n:
            idf[term] = math.log((1 + n) / (1 + df[term])) + 1.0
            if df[term] >= 2:
                renumber[term] = kept
                kept += 1
    indptr = np.zeros(n + 1, np.int64)
    indices = np.empty(len(columns), np.int32)
    data = np.empty(len(columns), np.float32)
    weights = np.empty(lengths.max() if n else 0)  # one row's, before normalising
    # One row's kept entries to sort by column, each packed as (column << 32 | its place in the row):
    # sorting one array of such keys moves half the bytes that sorting the columns and weights moved.
    keys = np.empty(lengths.max() if n else 0, np.int64)
    start = 0
    for row in range(n):
        stop = start + lengths[row]
        norm = 0.0
        for entry in range(start, stop):  # summed in the order numpy's bincount sums them
            weights[entry - start] = math.log1p(counts[entry]) * idf[columns[entry]]
            norm += weights[entry - start] * weights[entry - start]
        norm = math.sqrt(norm) if norm > 0.0 else 1.0
        kept_here = 0  # keys[:kept_here], in column order
        for entry in range(start, stop):
            column = renumber[columns[entry]]
            if column < 0:
                continue
            key = (column << 32) | (entry - start)
            at = kept_here
            while at > 0 and keys[at - 1] > key:  # an insertion sort: a row is short
                keys[at] = keys[at - 1]
                at -= 1
            keys[at] = key
            kept_here += 1
        first = indptr[row]
        for at in range(kept_here):
            indices[first + at] = keys[at] >> 32
            data[first + at] = weights[keys[at] & 0xFFFFFFFF] / norm
        indptr[row + 1] = first + kept_here
        start = stop
    return indptr, indices[: indptr[n]].copy(), data[: indptr[n]].copy()


@njit(f"Tuple(({POINTERS}, {INDEX}, {WEIGHTS}))({ROWS}, float32)", **COMPILED)
def strong_entries(indptr, indices, data, threshold):
    """The matrix with only its entries of at least `threshold`."""
    kept_ptr = np.zeros(len(indptr), np.int64)
    kept_indices = np.empty(len(indices), np.int32)
    kept_data = np.empty(len(indices), np.float32)
    kept = 0
    for row in range(len(indptr) - 1):
        for entry in range(indptr[row], indptr[row + 1]):
            if data[entry] >= threshold:
                kept_indices[kept], kept_data[kept] = indices[entry], data[entry]
                kept += 1
        kept_ptr[row + 1] = kept
    return kept_ptr, kept_indices[:kept].copy(), kept_data[:kept].copy()


@njit(f"Tuple(({POINTERS}, {INDEX}, {WEIGHTS}))({ROWS}, int64)", **COMPILED)
def transpose(indptr, indices, data, width):
    """The CSR matrix of the transpose: per column, its rows in order (a counting sort)."""
    counts = np.zeros(width + 1, np.int64)
    for column in indices:
        counts[column + 1] += 1
    column_ptr = np.cumsum(counts)
    fill = column_ptr[:-1].copy()
    rows = np.empty(len(indices), np.int32)
    values = np.empty(len(indices), np.float32)
    for row in range(len(indptr) - 1):
        for entry in range(indptr[row], indptr[row + 1]):
            at = fill[indices[entry]]
            rows[at] = row
            values[at] = data[entry]
            fill[indices[entry]] = at + 1
    return column_ptr, rows, values


@njit("int64(int64[::1], int64, int64)", **COMPILED)
def keep_best(keys, filled, count):
    """Moves the `count` largest of `keys[:filled]` (all different) to its front, in no
    order, and returns how many it kept: Hoare's selection, largest first.

    Each pass pivots on the median of its range's first, middle and last keys. The
    candidates' buffer holds the last call's result in front, its smallest kept key
    at `count - 1`, then keys above that one: pivoting on `keys[count - 1]` (Wirth's
    choice) took the smallest key first, each pass set aside a few keys, and
    selecting took 30% of the candidates' time at 100,000 papers."""
    if filled <= count:
        return filled
    low, high, k = 0, filled - 1, count - 1
    while low < high:
        mid = (low + high) // 2
        first, middle, last = keys[low], keys[mid], keys[high]
        median = mid if (first < middle) == (middle < last) else (low if (middle < first) == (first < last) else high)
        keys[k], keys[median] = keys[median], keys[k]  # Wirth's loop, with the median moved where it pivots
        pivot = keys[k]
        i, j = low, high
        while i <= j:
            while keys[i] > pivot:
                i += 1
            while keys[j] < pivot:
                j -= 1
            if i <= j:
                keys[i], keys[j] = keys[j], keys[i]
                i += 1
                j -= 1
        if j < k:
            low = i
        if k < i:
            high = j
    return count


@njit(f"Tuple((int32[:, ::1], int64[::1]))({ROWS}, {ROWS}, int64, int64, int64, int64)", **COMPILED)
def candidates(indptr, indices, data, post_ptr, post_rows, post_data, n, first, stop, count):
    """Rows `first`..`stop` of the strong entries (indptr...): each one's `count` best later
    rows by the product with the strong entries' transpose (post_...).

    The product of a row with the later ones is accumulated into a dense row of the
    archive, then read back (and wiped) through the same postings; a value that beats
    the row's current `count`-th best goes into a buffer, cut back to the best `count`
    when it fills.
    """
    found = np.zeros((stop - first, count), np.int32)
    found_count = np.zeros(stop - first, np.int64)
    scores = np.zeros(n, np.float32)
    bits = scores.view(np.int32)
    keys = np.empty(BUFFER * count, np.int64)
    bar_of = np.zeros(1, np.float32)  # a packed key's score, read back through its bits
    bar_bits = bar_of.view(np.int32)
    begin = np.empty(indptr[stop] - indptr[first], np.int64)  # each entry's first posting past its row
    for row in range(first, stop):
        for entry in range(indptr[row], indptr[row + 1]):
            weight, column = data[entry], indices[entry]
            after = post_ptr[column] + np.searchsorted(post_rows[post_ptr[column] : post_ptr[column + 1]], row, side="right")
            begin[entry - indptr[first]] = after
            for post in range(after, post_ptr[column + 1]):
                scores[post_rows[post]] += weight * post_data[post]
        filled, bar = 0, np.float32(0.0)
        for entry in range(indptr[row], indptr[row + 1]):
            column = indices[entry]
            for post in range(begin[entry - indptr[first]], post_ptr[column + 1]):
                other = post_rows[post]
                score = scores[other]
                if score >= bar and score > 0.0:  # ties with the bar may still rank above it (lower column)
                    keys[filled] = (np.int64(bits[other]) << 32) | (SPAN - other)
                    filled += 1
                    if filled == len(keys):
                        filled = keep_best(keys, filled, count)
                        bar_bits[0] = np.int32(keys[:count].min() >> 32)
                        bar = bar_of[0]
                scores[other] = 0.0
        filled = keep_best(keys, filled, count)
        for at in range(filled):
            found[row - first, at] = SPAN - (keys[at] & 0xFFFFFFFF)
        found_count[row - first] = filled
    return found, found_count


@njit(f"float32[:, ::1]({ROWS}, int64, int32[:, ::1], int64[::1], int64, int64)", **COMPILED)
def exact_scores(indptr, indices, data, width, found, found_count, first, stop):
    """The cosine of each row `first`..`stop` with each of its candidates: summed over the
    candidate's terms in column order, looked up in the row laid out densely."""
    scores = np.zeros((stop - first, found.shape[1]), np.float32)
    dense = np.zeros(width, np.float32)
    for row in range(first, stop):
        for entry in range(indptr[row], indptr[row + 1]):
            dense[indices[entry]] = data[entry]
        for at in range(found_count[row]):
            other = found[row, at]
            score = np.float32(0.0)
            for entry in range(indptr[other], indptr[other + 1]):
                score += dense[indices[entry]] * data[entry]
            scores[row - first, at] = score
        for entry in range(indptr[row], indptr[row + 1]):
            dense[indices[entry]] = 0.0
    return scores


@njit("Tuple((int32[:, ::1], int64[::1]))(int32[:, ::1], int64[::1], float32[:, ::1], int64)", **COMPILED)
def best_pairs(found, found_count, scores, count):
    """Each row's `count` best-scoring others among the scored pairs, best first, a pair
    (listed once, by its lower row) counting for both its rows; scores equal to 9
    decimals tie, and go to the lower row."""
    n = len(found_count)
    best = np.full((n, count), -1, np.int32)
    best_score = np.full((n, count), -1.0)
    best_count = np.zeros(n, np.int64)
    for row in range(n):
        for at in range(found_count[row]):
            if scores[row, at] <= 0.0:  # nothing shared after all
                continue
            score = np.round(np.float64(scores[row, at]), 9)
            for side in range(2):
                mine, other = (row, found[row, at]) if side == 0 else (found[row, at], row)
                last = best_count[mine]
                if last < count:
                    best_count[mine] = last + 1
                elif score < best_score[mine, last - 1] or (score == best_score[mine, last - 1] and other > best[mine, last - 1]):
                    continue
                else:
                    last -= 1
                while last > 0 and (best_score[mine, last - 1] < score or
                                    (best_score[mine, last - 1] == score and best[mine, last - 1] > other)):
                    best_score[mine, last], best[mine, last] = best_score[mine, last - 1], best[mine, last - 1]
                    last -= 1
                best_score[mine, last], best[mine, last] = score, other
    return best, best_count
