"""cache/texts.py: a build that tokenises only its new and edited papers, the others' tags and term
counts read back from the cache, finds the tags and related papers a clean build finds, to the bit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sitegen.assemble import related
from sitegen.assemble.merge import merge_papers
from sitegen.assemble.site import tags_and_tables, text_passes
from sitegen.cache import texts
from sitegen.cache.store import Store
from sitegen.core.diagnostics import Diagnostics
from sitegen.read.content import load_content
from sitegen.read.taxonomy import Tag
from tests.conftest import SHIPPED_CONTENT


@pytest.fixture(scope="module")
def shipped():
    report = Diagnostics()
    content = load_content(SHIPPED_CONTENT, report)
    return content, merge_papers(list(content.listings), report)


def a_day_later(papers):
    """The archive after a day's work: ten papers gone, two abstracts edited, a new paper, one paper's text twice."""
    kept = papers[10:]
    edited = [paper.model_copy(update={"abstract": "In short: " + paper.abstract}) if i in (3, 200) else paper
              for i, paper in enumerate(kept)]
    new = kept[0].model_copy(update={"id": "a-new-paper-on-sparse-attention", "title": "A new paper on sparse attention",
                                     "abstract": "Sparse attention kernels for long video diffusion models."})
    twin = kept[5].model_copy(update={"id": kept[5].id + "-twin"})
    return [new, *edited, twin]


@pytest.fixture
def store(tmp_path):
    notes: list[str] = []
    with Store(tmp_path / "cache", notes.append) as opened:
        yield opened
    assert notes == []


def test_related_papers_and_tags_equal_a_clean_builds_after_papers_come_go_and_change(shipped, store):
    content, papers = shipped
    first, held = texts.cached_passes(store, content, papers, {})
    assert held == 0 and first == text_passes(content, papers, {})
    later = a_day_later(papers)
    second, held = texts.cached_passes(store, content, later, {})
    assert held == len(later) - 3  # all but the new paper and the two edited: the twin has its original's text
    assert second == text_passes(content, later, {})
    assert sum(map(len, second[1].values())) > len(later)  # related papers were found, to compare


def test_the_counts_are_laid_out_as_a_clean_build_lays_them_out(shipped, store):
    # Related papers of a big archive (candidates.py) add float32 sums in the order of the term
    # numbers: the table made from the cache must be the clean build's, term numbers and all.
    content, papers = shipped
    texts.cached_passes(store, content, papers, {})
    later = a_day_later(papers)
    texts.cached_passes(store, content, later, {})
    rows = store.get(texts.TERMS, texts.TERMS_KEY)  # what this build laid out, kept for the next
    laid_out = related.TermTable(rows.terms, rows.lengths, rows.columns, rows.counts)
    _, clean_tables = tags_and_tables(content, later, {})
    for ours, clean in zip(related.stacked([laid_out]), related.stacked(clean_tables)):
        assert np.array_equal(ours, clean)
    assert rows.terms == list(dict.fromkeys(term for table in clean_tables for term in table.terms))
    pruned = related.most_similar_in([laid_out], 5, exact_up_to=0)
    assert pruned == related.most_similar_in(clean_tables, 5, exact_up_to=0)


def test_a_changed_taxonomy_tags_every_paper_again(shipped, store):
    content, papers = shipped
    texts.cached_passes(store, content, papers, {})
    taxonomy = content.taxonomy.model_copy(update={"tags": (*content.taxonomy.tags, Tag(
        slug="kernels", name="Kernels", phrases=("kernel",)))})
    changed = dataclasses.replace(content, taxonomy=taxonomy)
    (tags_of, _), held = texts.cached_passes(store, changed, papers, {})
    assert held == 0
    assert tags_of == text_passes(changed, papers, {})[0]
    assert any("kernels" in found for found in tags_of.values())
