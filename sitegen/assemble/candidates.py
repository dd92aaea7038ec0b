"""Related papers of a big archive, from pruned candidates (related.py says why).

Each paper looks up its strongest terms (SETTINGS) in an inverted index that
keeps, per term, the POSTINGS papers where that term weighs most; the best
candidates by those partial scores (SETTINGS) are scored with the whole vectors.
A cosine is symmetric, so a pair scored for one paper counts for the other too:
a paper whose strong terms are common finds few good candidates itself, but is
found by the papers it resembles. Each step does a bounded amount of work per
paper, so the whole grows linearly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.assemble.topk import best_in_rows, best_of_block, heaviest, rows_of
from sitegen.speed.forked import forked_map

if TYPE_CHECKING:
    from scipy import sparse

# (papers up to, strongest terms looked up, candidates scored), per paper: an archive
# of up to 20,000 papers can afford twice the lookups and half again the candidates
# (2 CPU-s at 10,000 papers, overlap@5 91%); above, the cost per paper stays that of
# 16 and 32, so that the whole grows linearly (bench/README.md has the figures).
SETTINGS = ((20_000, 32, 48), (None, 16, 32))
POSTINGS = 64
CHUNK_ROWS = 2048  # rows scored at once (each product allocates a row of the archive's length)
DENSE_ROWS = 256  # rows rescored at once, each laid out as a dense row of every term


def most_similar_pruned(matrix: sparse.csr_matrix, count: int, workers: int | None) -> list[tuple[int, ...]]:
    """For each row of `matrix` (TF-IDF, L2-normalised), up to `count` others of the best
    scores found as above, best first, ties to the lower index; blocks of rows are
    dealt to `workers` forked processes."""
    import numpy as np

    n = matrix.shape[0]
    starts = range(0, n, CHUNK_ROWS)
    # Single precision halves the bytes that scoring gathers; a cosine is rounded to
    # 9 decimals anyway (best_of_block), and the same input is summed the same way.
    matrix = matrix.astype(np.float32)
    query_terms, candidates = next((terms, best) for most, terms, best in SETTINGS if most is None or n <= most)
    queries = heaviest(matrix, query_terms)
    # The inverted index: per term (a row of the transpose), the papers where it weighs most.
    index = heaviest(matrix.T.tocsr(), POSTINGS)
    scored = symmetric(forked_map(lambda start: candidate_pairs(matrix, queries, index, start, candidates), starts,
                                  workers=workers), n)
    return [found for start in starts for found in best_of_block(scored[start : start + CHUNK_ROWS], start, count)]


def symmetric(parts: list, n: int) -> sparse.csr_matrix:
    """The scored pairs of `parts` ((rows, others, scores) each, no pair twice), each
    also as its reverse: of the two scores of a pair scored both ways, the larger
    (they differ by rounding at most), so that both papers see the same."""
    import numpy as np
    from scipy import sparse

    rows, others, scores = (np.concatenate(column) for column in zip(*parts))
    scored = sparse.csr_matrix((scores, (rows, others)), shape=(n, n))
    scored = scored.maximum(scored.T).tocsr()
    scored.sort_indices()
    return scored


def candidate_pairs(matrix: sparse.csr_matrix, queries: sparse.csr_matrix, index: sparse.csr_matrix, start: int,
                    candidates: int):
    """The rows from `start` (CHUNK_ROWS of them): (rows, others, exact scores) of each
    one's `candidates` best candidates, by its strongest terms (`queries`) looked up in `index`."""
    stop = min(start + CHUNK_ROWS, matrix.shape[0])
    partial = (queries[start:stop] @ index).tocsr()
    rows = rows_of(partial)
    values = partial.data.copy()
    values[partial.indices == rows + start] = -1.0  # not itself
    picked = best_in_rows(rows, values, partial.indices, candidates)
    picked.sort()
    pair_rows, others = rows[picked], partial.indices[picked]
    return pair_rows + start, others, exact_scores(matrix, start, pair_rows, others)


def exact_scores(matrix: sparse.csr_matrix, start: int, pair_rows, others):
    """The cosine of each row `start + pair_rows[k]` with row `others[k]` (`pair_rows` not
    decreasing): each other row's terms looked up in the first row laid out densely."""
    import numpy as np

    scores = np.zeros(len(others), dtype=matrix.dtype)
    width = matrix.shape[1]
    # One dense buffer, each block's rows written in and then wiped (not a new array each time).
    dense = np.zeros(DENSE_ROWS * width, dtype=matrix.dtype)
    bounds = np.searchsorted(pair_rows, np.arange(0, int(pair_rows[-1]) + 1 + DENSE_ROWS, DENSE_ROWS)) if len(others) else []
    for first, (lo, hi) in enumerate(zip(bounds, bounds[1:])):
        if lo == hi:
            continue
        base = start + first * DENSE_ROWS
        stop = min(base + DENSE_ROWS, matrix.shape[0])
        lo_entry, hi_entry = matrix.indptr[base], matrix.indptr[stop]
        own = np.repeat(np.arange(stop - base) * width, np.diff(matrix.indptr[base : stop + 1])) + matrix.indices[lo_entry:hi_entry]
        dense[own] = matrix.data[lo_entry:hi_entry]
        gathered = matrix[others[lo:hi]]
        lookups = np.repeat((pair_rows[lo:hi] - first * DENSE_ROWS) * width, np.diff(gathered.indptr)) + gathered.indices
        products = np.take(dense, lookups) * gathered.data
        # Summed in order, entry by entry: the same pair always gets the same score.
        scores[lo:hi] = np.bincount(rows_of(gathered), products, minlength=hi - lo)
        dense[own] = 0.0
    return scores