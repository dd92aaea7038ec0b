"""Related papers on the reference workload: CPU time, and agreement with the exact top five.

    .venv/bin/python bench/related_bench.py [-n 10000] [--sample 1000]

Makes the reference workload with ../shared/bench/gen_corpus.py
(bench/reference.py), counts terms as the build does, and prints the CPU
seconds (forked workers included) and wall seconds of
`related.most_similar_in` (the collector off, as in a build) and its overlap@5 with the exact TF-IDF cosine top five (the same weights, every pair
scored), averaged over `--sample` papers drawn with a fixed seed.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import time
from pathlib import Path

from reference import corpus
from sitegen.assemble import candidates, related
from sitegen.read.taxonomy import tokens_of


def term_table(path: Path) -> related.TermTable:
    with path.open(encoding="utf-8") as lines:
        return related.term_table([related.term_counts(tokens_of(paper["title"]).words, tokens_of(paper["abstract"]).words)
                                   for paper in map(json.loads, lines)])


def exact_top(matrix, rows, count: int) -> dict[int, list[int]]:
    """Every pair scored: each of `rows`' best `count`, ties to the lower index."""
    import numpy as np

    transposed, found = matrix.T.tocsr(), {}
    for start in range(0, len(rows), 100):
        chunk = rows[start:start + 100]
        scores = np.round((matrix[chunk] @ transposed).toarray(), 9)
        scores[np.arange(len(chunk)), chunk] = -1.0
        for row, own in zip(chunk, scores):
            order = np.lexsort((np.arange(len(own)), -own))[:count]
            found[int(row)] = [int(i) for i in order if own[i] > 0]
    return found


def overlap(found: list[tuple[int, ...]], exact: dict[int, list[int]]) -> float:
    shares = [len(set(found[row]) & set(best)) / len(best) for row, best in exact.items() if best]
    return sum(shares) / len(shares)


def cpu_seconds() -> float:
    """User and system time of this process and its (forked, waited-for) children."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--strong", type=float, default=candidates.STRONG, help="least weight of an entry in the candidates' product")
    parser.add_argument("--candidates", type=int, default=candidates.CANDIDATES, help="candidates scored exactly, per paper")
    args = parser.parse_args()
    candidates.STRONG, candidates.CANDIDATES = args.strong, args.candidates
    import numpy as np

    table = term_table(corpus(args.n))
    related.load_libraries(args.n)
    gc.disable()
    before, wall = cpu_seconds(), time.perf_counter()
    found = related.most_similar_in([table], args.count)
    cpu, wall = cpu_seconds() - before, time.perf_counter() - wall
    rows = np.sort(np.random.default_rng(16).choice(args.n, min(args.sample, args.n), replace=False))
    exact = exact_top(related.tfidf_matrix([table]), rows, args.count)
    method = "exact" if args.n <= related.EXACT_UP_TO else f"candidates: strong {args.strong}, {args.candidates} a paper"
    print(f"{args.n} papers ({method}): related papers {cpu:.2f} CPU-s, {wall:.2f} s wall; overlap@{args.count} with the exact "
          f"top {args.count}: {overlap(found, exact):.1%} over {len(exact)} papers")


if __name__ == "__main__":
    main()
