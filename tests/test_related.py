"""Related papers (assemble/related.py): what a reader sees under "Related papers"."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.assemble import candidates
from sitegen.assemble.related import most_similar, most_similar_in, stacked, term_counts, term_table, tfidf_matrix
from sitegen.core.diagnostics import Diagnostics
from sitegen.assemble.merge import merge_papers
from sitegen.read.content import load_content
from sitegen.read.taxonomy import words_of
from tests.conftest import SHIPPED_CONTENT


def documents(*papers: tuple[str, str]) -> list[dict[str, int]]:
    return [term_counts(words_of(title), words_of(abstract)) for title, abstract in papers]


FILLER = [
    ("Protein folding with graph networks", "We fold proteins with graph networks over residues."),
    ("Speech recognition for dialects", "Dialect speech corpora improve recognition of accents."),
    ("Robotic grasping from tactile signals", "Tactile sensors guide robotic grasping of objects."),
    ("Weather forecasting at kilometre scale", "Kilometre scale forecasting of storms and rainfall."),
]


def test_papers_on_the_same_topic_list_each_other_first_and_never_themselves():
    papers = [
        ("Sparse attention kernels for long video", "Sparse attention kernels make long video models cheap."),
        *FILLER,
        ("Faster sparse attention kernels", "We speed up sparse attention kernels on long video clips."),
        *[(title + " revisited", abstract) for title, abstract in FILLER],
    ]
    related = most_similar(documents(*papers), 3)
    assert related[0][0] == 5 and related[5][0] == 0
    assert all(index not in found for index, found in enumerate(related))
    assert all(len(found) <= 3 for found in related)


def test_a_word_every_paper_uses_relates_nothing():
    # "transformer" is in every paper, so it says nothing about which two belong together.
    count = 40
    papers = [(f"Transformer study {chr(65 + i % 26)}{i}", f"A transformer for task{i} and topic{i}.") for i in range(count)]
    assert all(found == () for found in most_similar(documents(*papers), 5))


def test_ties_go_to_the_earlier_paper_so_builds_agree():
    same = ("Diffusion policies for robot arms", "Diffusion policies control robot arms.")
    papers = [same, same, same, *FILLER]
    assert most_similar(documents(*papers), 2)[2] == (0, 1)
    assert most_similar(documents(*papers), 2) == most_similar(documents(*papers), 2)


def test_no_papers_or_no_count_gives_empty_lists():
    assert most_similar([], 5) == []
    assert most_similar(documents(*FILLER), 0) == [(), (), (), ()]


# Documents over a small vocabulary, so that many share terms, weights and scores (ties).
DOCUMENTS = st.lists(st.dictionaries(st.sampled_from([f"term{i}" for i in range(40)]), st.integers(1, 3), max_size=30),
                     max_size=40)


def sorted_per_row(documents: list[dict[str, int]], count: int) -> list[tuple[int, ...]]:
    """most_similar the plain way: every score of every row, sorted."""
    matrix = tfidf_matrix([term_table(documents)])
    scores = np.round((matrix @ matrix.T).toarray(), 9)
    found = []
    for row, row_scores in enumerate(scores):
        others = [i for i in range(len(documents)) if i != row and row_scores[i] > 0]
        found.append(tuple(sorted(others, key=lambda i: (-row_scores[i], i))[:count]))
    return found


@settings(max_examples=200, deadline=None)
@given(DOCUMENTS, st.integers(1, 6))
def test_the_most_similar_are_the_best_scores_ties_to_the_lower_index(documents, count):
    assert most_similar(documents, count) == sorted_per_row(documents, count)


@settings(max_examples=100, deadline=None)
@given(DOCUMENTS, st.data())
def test_documents_split_into_tables_relate_as_one_list(documents, data):
    split = data.draw(st.integers(0, len(documents)))
    assert most_similar_in([term_table(documents[:split]), term_table(documents[split:])], 3) == most_similar(documents, 3)


def shipped_table():
    report = Diagnostics()
    papers = merge_papers(list(load_content(SHIPPED_CONTENT, report).listings), report)
    return term_table(documents(*((paper.title, paper.abstract) for paper in papers)))


def test_the_compiled_weights_are_the_tfidf_matrix_in_single_precision():
    from sitegen.assemble import kernels
    table = shipped_table()
    indptr, indices, data = kernels.tfidf_rows(*stacked([table]))
    matrix = tfidf_matrix([table])
    assert list(indptr) == list(matrix.indptr) and list(indices) == list(matrix.indices)
    assert np.array_equal(data, matrix.data.astype(np.float32))


@settings(max_examples=100, deadline=None)
@given(DOCUMENTS, st.integers(1, 6))
def test_with_every_pair_a_candidate_the_candidates_give_the_best_scores(documents, count):
    # Every entry strong and every paper a candidate: the candidate method must then find
    # each paper's best scores, as scoring every pair does (which ones among scores equal
    # to single precision may differ: it sums in single precision).
    table = term_table(documents)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates, "STRONG", 0.0)
        patch.setattr(candidates, "CANDIDATES", max(1, len(documents)))
        found = most_similar_in([table], count, exact_up_to=0)
    scores = (tfidf_matrix([table]) @ tfidf_matrix([table]).T).toarray()
    for row, best in enumerate(sorted_per_row(documents, count)):
        assert row not in found[row] and len(found[row]) == len(best)
        assert np.allclose([scores[row, other] for other in found[row]], [scores[row, other] for other in best], atol=1e-6)


LAYOUTS = {
    "scrambled": lambda keys: sorted(keys, key=lambda key: (key * 2654435761) % 1009),
    "ascending": sorted,
    "descending": lambda keys: sorted(keys, reverse=True),
    # as the candidates leave it: the last selection in front, its smallest last, larger keys after
    "refilled": lambda keys: sorted(keys)[:len(keys) // 2][::-1] + sorted(keys)[len(keys) // 2:],
}


@settings(max_examples=300, deadline=None)
@given(st.sets(st.integers(0, 2**62), max_size=80), st.integers(1, 40), st.sampled_from(sorted(LAYOUTS)))
def test_a_full_buffer_keeps_its_largest_keys(keys, count, layout):
    from sitegen.assemble.kernels import keep_best
    buffer = np.array(LAYOUTS[layout](keys), dtype=np.int64)
    kept = keep_best(buffer, len(keys), count)
    assert kept == min(count, len(keys))
    assert set(buffer[:kept].tolist()) == set(sorted(keys, reverse=True)[:kept])
    assert sorted(buffer.tolist()) == sorted(keys)  # moved, none lost


def test_the_threads_and_their_blocks_do_not_change_the_result(monkeypatch):
    table = shipped_table()
    one = most_similar_in([table], 5, exact_up_to=0, workers=1)
    monkeypatch.setattr(candidates, "BLOCK_ROWS", 50)
    assert most_similar_in([table], 5, exact_up_to=0, workers=2) == one


def test_pruned_candidates_find_nearly_the_exact_top_five_of_real_abstracts():
    # The shipped listings' 472 real papers, by the candidate method a big archive
    # uses (exact_up_to=0) and by scoring every pair: overlap@5 averaged over papers.
    table = shipped_table()
    exact = most_similar_in([table], 5)
    pruned = most_similar_in([table], 5, exact_up_to=0)
    shares = [len(set(found) & set(best)) / len(best) for found, best in zip(pruned, exact) if best]
    assert len(shares) > 400
    assert sum(shares) / len(shares) >= 0.9
    assert pruned == most_similar_in([table], 5, exact_up_to=0)  # the same every time


def reference_documents(tmp_path, papers: int) -> list[dict[str, int]]:
    """`papers` papers of the benchmarks' reference workload (../shared/bench/gen_corpus.py:
    a bigram chain over real abstracts), counted as a build counts them."""
    import importlib.util
    import json
    spec = importlib.util.spec_from_file_location("reference", SHIPPED_CONTENT.parent / "bench" / "reference.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    if not reference.GEN_CORPUS.is_file():
        pytest.skip(f"{reference.GEN_CORPUS}: the reference workload's generator is not beside the repository")
    path = tmp_path / "corpus.jsonl"
    reference.generate("corpus", "-n", str(papers), "-o", str(path))
    with path.open(encoding="utf-8") as lines:
        return [term_counts(words_of(paper["title"]), words_of(paper["abstract"])) for paper in map(json.loads, lines)]


def test_pruned_candidates_keep_their_overlap_on_the_reference_workload(tmp_path):
    # Abstracts without topics, where a paper's exact neighbours are those that happen
    # to share the most common words: the hard case for candidates (bench/README.md).
    # The same papers every time (the generator's default seed): 95.8% of the exact
    # top five, so the bar is issue 16's 90%, and a change that loses candidates fails.
    table = term_table(reference_documents(tmp_path, 4000))
    exact = most_similar_in([table], 5, exact_up_to=10**6)
    pruned = most_similar_in([table], 5, exact_up_to=0)
    shares = [len(set(found) & set(best)) / len(best) for found, best in zip(pruned, exact) if best]
    assert len(shares) > 3900
    assert sum(shares) / len(shares) >= 0.9
