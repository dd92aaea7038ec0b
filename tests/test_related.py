"""Related papers (related.py): what a reader sees under "Related papers"."""

from sitegen.related import common_cutoff, most_similar, term_counts
from sitegen.taxonomy import words_of


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
    count = common_cutoff(40) + 10
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
