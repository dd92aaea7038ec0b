"""Related papers by TF-IDF cosine similarity of title and abstract.

The weights are plain TF-IDF (log-scaled counts, smoothed idf, rows
L2-normalised), over every term but those in more than half the papers
("model", "language": they say nothing about which two papers belong
together). The exact top few of every paper is a product of the matrix with
itself, and on real abstracts that product is quadratic: the common words
that make up half of a paper's weight are shared with a fixed share of the
archive, however big it grows (37 s at 100,000 papers).

So a site of more than EXACT_UP_TO papers finds candidates first and scores
only those, exactly (candidates.py, with compiled loops in kernels.py).
bench/related_bench.py measures how often its top five are the exact top five
(overlap@5), tests/test_related.py checks it.
"""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from sitegen.assemble.candidates import most_similar_pruned
from sitegen.assemble.topk import best_of_block

if TYPE_CHECKING:
    from scipy import sparse

# numpy and scipy (numpy and numba's kernels on a big archive) are imported where
# used: they take a fifth of a second to load (half a second), and a build that
# finds no related papers (a small site, a rebuild that changed no text) need not
# wait for them; a big one loads them in one process while another tags papers
# (site.text_passes).

TITLE_WEIGHT = 3  # a title word counts as much as three abstract words
MAX_SHARE = 0.5  # a term in more than this share of the papers relates nothing
EXACT_UP_TO = 3000  # papers: below this, every pair is scored
CHUNK_ROWS = 2048  # rows scored at once (each product allocates a row of the archive's length)
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


def libraries_for(papers: int) -> str:
    """The module that finding the related papers of `papers` papers imports last."""
    return "scipy.sparse" if papers <= EXACT_UP_TO else "sitegen.assemble.kernels"


def load_libraries(papers: int) -> None:
    import importlib

    import numpy  # noqa: F401
    importlib.import_module(libraries_for(papers))


def libraries_loaded(papers: int) -> bool:
    return libraries_for(papers) in sys.modules


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


def stacked(tables: list[TermTable]):
    """The documents of `tables`, one after the other: each entry's term (numbered over
    all tables, in order of first use) and count, and each document's number of entries."""
    import numpy as np

    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    columns = np.concatenate([np.fromiter(map(vocabulary.__getitem__, table.terms), np.int64, len(table.terms))[
        np.asarray(table.columns)] for table in tables])
    counts = np.concatenate([np.asarray(table.counts, dtype=np.int64) for table in tables])
    lengths = np.concatenate([np.asarray(table.lengths, dtype=np.int64) for table in tables])
    return columns, counts, lengths, len(vocabulary)


def tfidf_matrix(tables: list[TermTable]) -> sparse.csr_matrix:
    """The documents of `tables`, one after the other, by term in order of first use;
    rows L2-normalised, then the terms of one paper only zeroed (they relate no two).
    (kernels.tfidf_rows computes the same in one compiled pass, for big archives.)"""
    import numpy as np
    from scipy import sparse

    cols, counts, lengths, width = stacked(tables)
    values = counts.astype(np.float64)
    n = len(lengths)
    # Each document lists a term once, so the arrays are a CSR matrix as they are.
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    df = np.bincount(cols, minlength=width)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    idf[df > MAX_SHARE * n] = 0.0
    data = np.log1p(values) * idf[cols]
    rows = np.repeat(np.arange(n), lengths)
    norms = np.sqrt(np.bincount(rows, data * data, minlength=n))
    norms[norms == 0] = 1.0
    data /= norms[rows]
    data[df[cols] < 2] = 0.0
    weighted = sparse.csr_matrix((data, cols, indptr), shape=(n, width))
    weighted.eliminate_zeros()
    # Only the terms left, numbered anew: scoring makes dense rows over them.
    kept = np.flatnonzero((df >= 2) & (idf > 0))
    renumber = np.zeros(width, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    compact = sparse.csr_matrix((weighted.data, renumber[weighted.indices], weighted.indptr), shape=(n, len(kept)))
    compact.sort_indices()
    return compact


def most_similar(documents: list[dict[str, int]], count: int) -> list[tuple[int, ...]]:
    """For each document, the indices of up to `count` most similar others, best first.

    Ties go to the lower index, so the result depends only on the input order.
    In this process: the preview calls it beside its server's threads, where forking
    is not safe; a big archive's blocks of rows go to one thread per core (the compiled
    kernels release the interpreter's lock, candidates.py).
    """
    return most_similar_in([term_table(documents)], count)


def most_similar_in(tables: list[TermTable], count: int, exact_up_to: int = EXACT_UP_TO,
                    workers: int | None = None) -> list[tuple[int, ...]]:
    """`most_similar` of the documents of `tables`, one after the other: exact up to
    `exact_up_to` documents, from candidates above (candidates.py), their blocks of
    rows dealt to `workers` threads (default: one per core)."""
    n = sum(len(table.lengths) for table in tables)
    if n == 0 or count == 0:
        return [() for _ in range(n)]
    if n > exact_up_to:
        return most_similar_pruned(*stacked(tables), count, workers)
    matrix = tfidf_matrix(tables)
    transposed = matrix.T.tocsr()
    return [found for start in range(0, n, CHUNK_ROWS)
            for found in best_of_block(matrix[start : start + CHUNK_ROWS] @ transposed, start, count)]
