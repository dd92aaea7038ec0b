"""Related papers by TF-IDF cosine similarity of title and abstract.

Computed as one sparse matrix product, in row chunks so memory stays flat.
Two prunings keep it linear in the number of papers rather than quadratic:
each paper keeps only its `TERMS_PER_PAPER` heaviest terms, and terms that
occur in more than `common_cutoff(n)` papers are dropped. Such terms ("model",
"language") say little about which two papers belong together, and they are
exactly the ones that would make the product dense.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scipy import sparse

# numpy and scipy are imported where used: they take a fifth of a second to
# load, and a big build computes related papers in a forked worker, so the
# main process never waits for them.

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


def common_cutoff(n_papers: int) -> int:
    return min(1000, max(30, n_papers // 20))


def term_counts(title_words: list[str], abstract_words: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for weight, words in ((TITLE_WEIGHT, title_words), (1, abstract_words)):
        for word in words:
            if len(word) > 2 and word not in STOPWORDS and not word.isdigit():
                counts[word] = counts.get(word, 0) + weight
    return counts


def tfidf_matrix(documents: list[dict[str, int]]) -> sparse.csr_matrix:
    import numpy as np
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, counts in enumerate(documents):
        for term, count in counts.items():
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(count)
    n = len(documents)
    counts = sparse.csr_matrix(
        (np.log1p(np.asarray(values, dtype=np.float64)), (rows, cols)), shape=(n, len(vocabulary))
    )
    df = np.bincount(counts.indices, minlength=len(vocabulary))
    idf = np.log((1 + n) / (1 + df)) + 1.0
    idf[df > common_cutoff(n)] = 0.0
    idf[df < 2] = 0.0  # a word no other paper has cannot relate two papers
    weighted = counts.multiply(idf[np.newaxis, :]).tocsr()
    weighted.eliminate_zeros()
    return keep_heaviest(weighted)


def keep_heaviest(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Keep each row's TERMS_PER_PAPER largest entries, then L2-normalise rows."""
    import numpy as np
    from scipy import sparse

    indptr, data = matrix.indptr, matrix.data
    keep = np.ones(len(data), dtype=bool)
    for row in range(matrix.shape[0]):
        start, end = indptr[row], indptr[row + 1]
        if end - start > TERMS_PER_PAPER:
            order = np.argsort(-data[start:end], kind="stable")
            keep[start + order[TERMS_PER_PAPER:]] = False
    data = np.where(keep, data, 0.0)
    pruned = sparse.csr_matrix((data, matrix.indices, indptr), shape=matrix.shape)
    pruned.eliminate_zeros()
    norms = np.sqrt(np.asarray(pruned.multiply(pruned).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ pruned)


def most_similar(documents: list[dict[str, int]], count: int) -> list[tuple[int, ...]]:
    """For each document, the indices of up to `count` most similar others, best first.

    Ties go to the lower index, so the result depends only on the input order.
    """
    import numpy as np

    n = len(documents)
    if n == 0 or count == 0:
        return [() for _ in range(n)]
    matrix = tfidf_matrix(documents)
    transposed = matrix.T.tocsr()
    result: list[tuple[int, ...]] = []
    for start in range(0, n, CHUNK_ROWS):
        block = (matrix[start : start + CHUNK_ROWS] @ transposed).tocsr()
        for offset in range(block.shape[0]):
            row = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            others = block.indices[lo:hi]
            scores = np.round(block.data[lo:hi], 9)
            mask = (others != row) & (scores > 0)
            others, scores = others[mask], scores[mask]
            order = np.lexsort((others, -scores))[:count]
            result.append(tuple(int(i) for i in others[order]))
    return result
