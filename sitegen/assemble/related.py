"""Related papers by TF-IDF cosine similarity of title and abstract.

The weights are plain TF-IDF (log-scaled counts, smoothed idf, rows
L2-normalised), over every term but those in more than half the papers
("model", "language": they say nothing about which two papers belong
together). The exact top few of every paper is a product of the matrix with
itself, and on real abstracts that product is quadratic: the common words
that make up half of a paper's weight are shared with a fixed share of the
archive, however big it grows (37 s at 100,000 papers).

So a site of more than EXACT_UP_TO papers finds candidates first and scores
only those, exactly: each paper looks up its QUERY_TERMS strongest terms in
an inverted index that keeps, per term, the POSTINGS papers where that term
weighs most; the CANDIDATES best of those partial scores are then scored with
the whole vectors. Each step does a bounded amount of work per paper, so the
whole grows linearly. bench/related_bench.py measures how often its top five
are the exact top five (overlap@5), tests/test_related.py checks it.
"""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from sitegen.speed.forked import forked_map

if TYPE_CHECKING:
    from scipy import sparse

# numpy and scipy are imported where used: they take a fifth of a second to
# load, and a build that finds no related papers (a small site, a rebuild that
# changed no text) need not wait for them; a big one loads them in one process
# while another tags papers (site.text_passes).

TITLE_WEIGHT = 3  # a title word counts as much as three abstract words
MAX_SHARE = 0.5  # a term in more than this share of the papers relates nothing
EXACT_UP_TO = 3000  # papers: below this, every pair is scored
QUERY_TERMS = 16
POSTINGS = 64
CANDIDATES = 32
CHUNK_ROWS = 2048  # rows scored at once (each product allocates a row of the archive's length)
DENSE_ROWS = 256  # rows rescored at once, each laid out as a dense row of every term
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves via using use used based propose proposed paper show shows
    shown new however while our results result approach method methods work also well""".split()
)


def load_libraries() -> None:
    import numpy  # noqa: F401
    from scipy import sparse  # noqa: F401


def libraries_loaded() -> bool:
    return "scipy.sparse" in sys.modules


def term_counts(title_words: list[str], abstract_words: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for weight, words in ((TITLE_WEIGHT, title_words), (1, abstract_words)):
        for word in words:
            if len(word) > 2 and word not in STOPWORDS and not word.isdigit():
                counts[word] = counts.get(word, 0) + weight
    return counts


@dataclass(frozen=True)
class TermTable:
    """Documents' term counts as flat arrays, which cost little to send from a
    forked process (a tenth of pickling the dicts) and are made without numpy."""

    terms: list[str]  # by column, in order of first use
    lengths: array  # each document's number of terms
    columns: array  # each count's term
    counts: array


def term_table(documents: list[dict[str, int]]) -> TermTable:
    # A term not seen before takes the next column: a dict lookup per term, in C.
    column: defaultdict[str, int] = defaultdict()
    column.default_factory = column.__len__
    columns = array("q", chain.from_iterable(map(column.__getitem__, counts) for counts in documents))
    counts = array("q", chain.from_iterable(counts.values() for counts in documents))
    return TermTable(list(column), array("q", map(len, documents)), columns, counts)


def tfidf_matrix(tables: list[TermTable]) -> sparse.csr_matrix:
    """The documents of `tables`, one after the other, by term in order of first use;
    rows L2-normalised, then the terms of one paper only zeroed (they relate no two)."""
    import numpy as np
    from scipy import sparse

    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    cols = np.concatenate([np.fromiter(map(vocabulary.__getitem__, table.terms), np.int64, len(table.terms))[
        np.asarray(table.columns)] for table in tables])
    values = np.concatenate([np.asarray(table.counts, dtype=np.float64) for table in tables])
    lengths = np.concatenate([np.asarray(table.lengths) for table in tables])
    n = len(lengths)
    # Each document lists a term once, so the arrays are a CSR matrix as they are.
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    df = np.bincount(cols, minlength=len(vocabulary))
    idf = np.log((1 + n) / (1 + df)) + 1.0
    idf[df > MAX_SHARE * n] = 0.0
    data = np.log1p(values) * idf[cols]
    rows = np.repeat(np.arange(n), lengths)
    norms = np.sqrt(np.bincount(rows, data * data, minlength=n))
    norms[norms == 0] = 1.0
    data /= norms[rows]
    data[df[cols] < 2] = 0.0
    weighted = sparse.csr_matrix((data, cols, indptr), shape=(n, len(vocabulary)))
    weighted.eliminate_zeros()
    # Only the terms left, numbered anew: scoring makes dense rows over them.
    kept = np.flatnonzero((df >= 2) & (idf > 0))
    renumber = np.zeros(len(vocabulary), dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    compact = sparse.csr_matrix((weighted.data, renumber[weighted.indices], weighted.indptr), shape=(n, len(kept)))
    compact.sort_indices()
    return compact


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


def heaviest(matrix: sparse.csr_matrix, count: int) -> sparse.csr_matrix:
    """Each row's `count` largest entries (ties: the first)."""
    import numpy as np
    from scipy import sparse

    keep = best_in_rows(rows_of(matrix), matrix.data, np.arange(matrix.nnz), count)
    keep.sort()
    rows = rows_of(matrix)[keep]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=matrix.shape[0]))])
    return sparse.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)


def most_similar(documents: list[dict[str, int]], count: int) -> list[tuple[int, ...]]:
    """For each document, the indices of up to `count` most similar others, best first.

    Ties go to the lower index, so the result depends only on the input order.
    In this process only: the preview calls it beside its server's threads.
    """
    return most_similar_in([term_table(documents)], count, workers=1)


def most_similar_in(tables: list[TermTable], count: int, exact_up_to: int = EXACT_UP_TO,
                    workers: int | None = None) -> list[tuple[int, ...]]:
    """`most_similar` of the documents of `tables`, one after the other: exact up to
    `exact_up_to` documents, from pruned candidates above (module docstring), their
    blocks of rows dealt to `workers` forked processes (default: one per core)."""
    n = sum(len(table.lengths) for table in tables)
    if n == 0 or count == 0:
        return [() for _ in range(n)]
    matrix = tfidf_matrix(tables)
    if n <= exact_up_to:
        transposed = matrix.T.tocsr()
        return [found for start in range(0, n, CHUNK_ROWS)
                for found in best_of_block(matrix[start : start + CHUNK_ROWS] @ transposed, start, count)]
    queries = heaviest(matrix, QUERY_TERMS)
    # The inverted index: per term (a row of the transpose), the papers where it weighs most.
    index = heaviest(matrix.T.tocsr(), POSTINGS)
    blocks = forked_map(lambda start: best_of_block(candidate_block(matrix, queries, index, start), start, count),
                        range(0, n, CHUNK_ROWS), workers=workers)
    return [found for block in blocks for found in block]


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


def candidate_block(matrix: sparse.csr_matrix, queries: sparse.csr_matrix, index: sparse.csr_matrix,
                    start: int) -> sparse.csr_matrix:
    """The rows from `start` (CHUNK_ROWS of them): the exact scores of each one's CANDIDATES
    best candidates, by its strongest terms (`queries`) looked up in `index`."""
    import numpy as np
    from scipy import sparse

    stop = min(start + CHUNK_ROWS, matrix.shape[0])
    partial = (queries[start:stop] @ index).tocsr()
    rows = rows_of(partial)
    values = partial.data.copy()
    values[partial.indices == rows + start] = -1.0  # not itself
    picked = best_in_rows(rows, values, partial.indices, CANDIDATES)
    picked.sort()
    pair_rows, others = rows[picked], partial.indices[picked]
    scores = exact_scores(matrix, start, pair_rows, others)
    return sparse.csr_matrix((scores, (pair_rows, others)), shape=(stop - start, matrix.shape[0]))


def exact_scores(matrix: sparse.csr_matrix, start: int, pair_rows, others):
    """The cosine of each row `start + pair_rows[k]` with row `others[k]` (`pair_rows` not
    decreasing): each other row's terms looked up in the first row laid out densely."""
    import numpy as np

    scores = np.zeros(len(others))
    bounds = np.searchsorted(pair_rows, np.arange(0, int(pair_rows[-1]) + 1 + DENSE_ROWS, DENSE_ROWS)) if len(others) else []
    width = matrix.shape[1]
    for first, (lo, hi) in enumerate(zip(bounds, bounds[1:])):
        if lo == hi:
            continue
        base = start + first * DENSE_ROWS
        dense = matrix[base : base + DENSE_ROWS].toarray().ravel()
        gathered = matrix[others[lo:hi]]
        lookups = np.repeat((pair_rows[lo:hi] - first * DENSE_ROWS) * width, np.diff(gathered.indptr)) + gathered.indices
        products = np.take(dense, lookups) * gathered.data
        # Summed in order, entry by entry: the same pair always gets the same score.
        scores[lo:hi] = np.bincount(rows_of(gathered), products, minlength=hi - lo)
    return scores
