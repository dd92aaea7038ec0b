"""Related papers by TF-IDF cosine similarity of title and abstract.

Computed as one sparse matrix product, in row chunks so memory stays flat.
Two prunings keep it linear in the number of papers rather than quadratic:
each paper keeps only its `TERMS_PER_PAPER` heaviest terms, and terms that
occur in more than `common_cutoff(n)` papers are dropped. Such terms ("model",
"language") say little about which two papers belong together, and they are
exactly the ones that would make the product dense.
"""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scipy import sparse

# numpy and scipy are imported where used: they take a fifth of a second to
# load, and a build that finds no related papers (a small site, a rebuild that
# changed no text) need not wait for them; a big one loads them in one process
# while another tags papers (site.text_passes).

TERMS_PER_PAPER = 24
TITLE_WEIGHT = 3  # a title word counts as much as three abstract words
CHUNK_ROWS = 2048
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


def common_cutoff(n_papers: int) -> int:
    return min(1000, max(30, n_papers // 20))


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
    """The documents of `tables`, one after the other, by term in order of first use."""
    import numpy as np
    from scipy import sparse

    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    cols = np.concatenate([np.fromiter(map(vocabulary.__getitem__, table.terms), np.int64, len(table.terms))[
        np.asarray(table.columns)] for table in tables])
    values = np.concatenate([np.asarray(table.counts, dtype=np.float64) for table in tables])
    lengths = np.concatenate([np.asarray(table.lengths) for table in tables])
    n = len(lengths)
    counts = sparse.csr_matrix((np.log1p(values), (np.repeat(np.arange(n), lengths), cols)), shape=(n, len(vocabulary)))
    df = np.bincount(counts.indices, minlength=len(vocabulary))
    idf = np.log((1 + n) / (1 + df)) + 1.0
    idf[df > common_cutoff(n)] = 0.0
    idf[df < 2] = 0.0  # a word no other paper has cannot relate two papers
    weighted = counts.multiply(idf[np.newaxis, :]).tocsr()
    weighted.eliminate_zeros()
    return keep_heaviest(weighted)


def rows_of(matrix: sparse.csr_matrix):
    """The row of each entry of `matrix.data`."""
    import numpy as np

    return np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))


def best_in_rows(rows, values, tiebreak, count: int):
    """Positions of each row's `count` entries with the largest `values`, ties to the
    smaller `tiebreak`: row by row, best first. `rows` (of each entry) must not decrease."""
    import numpy as np

    # A cheap cut before sorting: deal the entries into `count` parts in turn;
    # in a row of at least `count` entries each part has one, so the least of
    # the parts' largest values there is at most the row's count-th largest
    # value (in a shorter row it is -inf). Only entries at least that large can
    # be among the best: at 10,000 papers about one in a hundred.
    n_rows = int(rows[-1]) + 1 if len(rows) else 0
    parts = np.tile(np.arange(count), len(rows) // count + 1)[: len(rows)]
    part_max = np.full(n_rows * count, -np.inf)
    np.maximum.at(part_max, rows * count + parts, values)
    near = np.flatnonzero(values >= part_max.reshape(n_rows, count).min(axis=1)[rows])
    order = near[np.lexsort((tiebreak[near], -values[near], rows[near]))]
    ranked = rows[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked, ranked)
    return order[rank < count]


def keep_heaviest(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Keep each row's TERMS_PER_PAPER largest entries (ties: the first), then L2-normalise rows."""
    import numpy as np
    from scipy import sparse

    keep = np.zeros(matrix.nnz, dtype=bool)
    keep[best_in_rows(rows_of(matrix), matrix.data, np.arange(matrix.nnz), TERMS_PER_PAPER)] = True
    data = np.where(keep, matrix.data, 0.0)
    pruned = sparse.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)
    pruned.eliminate_zeros()
    norms = np.sqrt(np.asarray(pruned.multiply(pruned).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ pruned)


def most_similar(documents: list[dict[str, int]], count: int) -> list[tuple[int, ...]]:
    """For each document, the indices of up to `count` most similar others, best first.

    Ties go to the lower index, so the result depends only on the input order.
    """
    return most_similar_in([term_table(documents)], count)


def most_similar_in(tables: list[TermTable], count: int) -> list[tuple[int, ...]]:
    """`most_similar` of the documents of `tables`, one after the other."""
    import numpy as np

    n = sum(len(table.lengths) for table in tables)
    if n == 0 or count == 0:
        return [() for _ in range(n)]
    matrix = tfidf_matrix(tables)
    transposed = matrix.T.tocsr()
    result: list[tuple[int, ...]] = []
    for start in range(0, n, CHUNK_ROWS):
        block = (matrix[start : start + CHUNK_ROWS] @ transposed).tocsr()
        rows = rows_of(block)
        # Scores equal to 9 decimals are ties, whatever the order of summing made of them;
        # a paper is not related to itself, nor to one it shares no weighted term with.
        scores = np.round(block.data, 9)
        scores[(block.indices == rows + start) | (scores <= 0)] = -1.0
        best = best_in_rows(rows, scores, block.indices, count)
        best = best[scores[best] > 0]
        others = block.indices[best].tolist()
        ends = np.cumsum(np.bincount(rows[best], minlength=block.shape[0])).tolist()
        result.extend(tuple(others[lo:hi]) for lo, hi in zip([0, *ends], ends))
    return result
