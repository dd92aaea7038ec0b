"""CPU time of the text passes (tags and related papers) on a content folder, in one process.

    python bench/text_bench.py CONTENT_DIR [--runs 3]

Prints the medians of `time.process_time` (the machine's other load barely
touches them, unlike wall times) for: loading numpy and scipy (in a fresh
process, once); normalising, tokenising, tagging and counting terms in every
title and abstract (`site.tags_and_terms`); and related papers from the term
counts (`related.most_similar_in`). The collector is off, as in a build.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

from sitegen.assemble import related
from sitegen.read.content import load_content
from sitegen.core.diagnostics import Diagnostics
from sitegen.assemble.merge import merge_papers
from sitegen.assemble.site import tags_and_terms
from sitegen.read.taxonomy import TagMatcher


def cpu_seconds(job, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = job()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    report = Diagnostics()
    content = load_content(args.content, report)
    papers = merge_papers(list(content.listings), report)
    gc.disable()
    loading, _ = cpu_seconds(lambda: related.load_libraries(len(papers)), 1)
    matcher = TagMatcher(content.taxonomy)
    tagging, (_, table) = cpu_seconds(lambda: tags_and_terms(papers, matcher, {}), args.runs)
    relating, _ = cpu_seconds(lambda: related.most_similar_in([table], content.config.related_count), args.runs)
    print(f"{len(papers)} papers, CPU seconds: load numpy and {related.libraries_for(len(papers))} {loading:.3f}, tokens+tags+term counts {tagging:.3f}, "
          f"related papers {relating:.3f}, total {loading + tagging + relating:.3f}")


if __name__ == "__main__":
    main()
