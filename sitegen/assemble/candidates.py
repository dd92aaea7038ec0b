"""Related papers of a big archive, from candidates (related.py says why).

A paper's candidates are the later papers (in the archive's order) with the
best products over their strong entries alone: the weights of at least STRONG,
in both papers. Those carry little of a common word (whose weight is small) and
most of a rarer one, so the product costs a fraction of the full one and still
ranks the true neighbours high. Each pair's product is made once, by its earlier
paper, whose CANDIDATES best are then scored exactly; a scored pair counts for
both papers. bench/README.md has the figures (overlap@5 with the exact top
five, CPU time) that chose STRONG and CANDIDATES: a paper's best 64 among all
others found as much as its best 128 among the later ones, at a quarter more CPU.

The loops are compiled (kernels.py); blocks of rows go to one thread per core.
"""

from __future__ import annotations

from sitegen.speed.threads import thread_map

STRONG = 0.09  # the least weight of an entry in the candidates' product
CANDIDATES = 128  # candidates scored exactly, per paper
BLOCK_ROWS = 2048  # rows handed to a thread at once


def most_similar_pruned(columns, counts, lengths, width: int, count: int, workers: int | None) -> list[tuple[int, ...]]:
    """For each document (related.stacked's arrays), up to `count` others of the best
    exact cosines among its candidates, best first, ties to the lower index; blocks of
    rows go to `workers` threads (default: one per core)."""
    import numpy as np

    from sitegen.assemble import kernels

    n = len(lengths)
    # TF-IDF rows in single precision, which halves the bytes that scoring reads; a
    # cosine is rounded to 9 decimals anyway (kernels.best_pairs).
    rows = kernels.tfidf_rows(columns, counts, lengths, width)
    kept_terms = int(rows[1].max()) + 1 if len(rows[1]) else 0  # every kept term is in two rows or more
    strong = kernels.strong_entries(*rows, np.float32(STRONG))
    postings = kernels.transpose(*strong, kept_terms)
    blocks = [(first, min(first + BLOCK_ROWS, n)) for first in range(0, n, BLOCK_ROWS)]
    found, found_count = (np.concatenate(part) for part in zip(*thread_map(
        lambda block: kernels.candidates(*strong, *postings, n, *block, CANDIDATES), blocks, workers)))
    scores = np.concatenate(thread_map(
        lambda block: kernels.exact_scores(*rows, kept_terms, found, found_count, *block), blocks, workers))
    best, best_count = kernels.best_pairs(found, found_count, scores, count)
    return [tuple(others[:kept]) for others, kept in zip(best.tolist(), best_count.tolist())]
