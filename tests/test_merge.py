"""Merging sightings of papers across listings into one paper each."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.core.diagnostics import Diagnostics
from sitegen.assemble.merge import merge_papers
from sitegen.core.models import Listing, ListingEntry, Org

ABSTRACT = "We study sparse attention at scale. It works on every benchmark we tried."


def listing(name: str, *entries: ListingEntry) -> Listing:
    return Listing(id=name, source_path=f"listings/{name}.txt", entries=entries)


def entry(line: int, title: str = "Sparse Attention at Scale", abstract: str = ABSTRACT, **fields) -> ListingEntry:
    return ListingEntry(line=line, title=title, abstract=abstract, **fields)


def merge(*listings: Listing):
    report = Diagnostics()
    return merge_papers(list(listings), report), [str(d) for d in report.items]


def test_the_same_paper_in_two_listings_is_one_paper_seen_twice():
    papers, problems = merge(listing("b", entry(5)), listing("a", entry(9, title="Sparse attention at scale")))
    assert problems == [] and len(papers) == 1
    assert [(s.listing, s.line) for s in papers[0].seen_in] == [("a", 9), ("b", 5)]
    assert papers[0].id == "sparse-attention-at-scale"


def test_a_cut_off_copy_joins_the_full_one_and_the_full_abstract_wins():
    papers, _ = merge(listing("a", entry(3, abstract=ABSTRACT[:20])), listing("b", entry(4)), listing("c", entry(8, abstract="")))
    assert len(papers) == 1 and papers[0].abstract == ABSTRACT


def test_dated_beats_undated_and_the_highest_upvotes_win():
    papers, _ = merge(
        listing("a", entry(3, upvotes=4)),
        listing("b", entry(4, date=dt.date(2025, 3, 2), upvotes=9, authors=8)),
        listing("c", entry(5, upvotes=2, org=Org(handle="apple", name="Apple"))),
    )
    (paper,) = papers
    assert (paper.date, paper.upvotes, paper.authors, paper.org) == (dt.date(2025, 3, 2), 9, 8, Org(handle="apple", name="Apple"))


def test_conflicting_dates_take_the_most_common_then_the_earliest():
    one, two = dt.date(2025, 3, 2), dt.date(2025, 3, 5)
    papers, _ = merge(listing("a", entry(1, date=two)), listing("b", entry(1, date=one)), listing("c", entry(1, date=two)))
    assert papers[0].date == two
    papers, _ = merge(listing("a", entry(1, date=two)), listing("b", entry(1, date=one)))
    assert papers[0].date == one


def test_two_papers_with_one_title_stay_two_with_distinct_ids_and_a_warning_at_the_second():
    other = "A different paper entirely. It studies dense retrieval instead."
    papers, problems = merge(listing("a", entry(13)), listing("b", entry(2), entry(40, abstract=other)))
    assert len(papers) == 2
    ids = [p.id for p in papers]
    assert len(set(ids)) == 2 and all(i.startswith("sparse-attention-at-scale") and len(i) <= 80 for i in ids)
    assert problems == [
        "listings/b.txt:40: warning: a different paper (other abstract) has the same title 'Sparse Attention at Scale' "
        "at listings/a.txt:13; both are kept, each with its own page"]


def test_a_newer_namesake_leaves_the_first_papers_url_as_it_was():
    other = "A different paper entirely. It studies dense retrieval instead."
    older = Listing(id="2025-03-01", source_path="listings/2025-03-01.txt", saved_on=dt.date(2025, 3, 1),
                    entries=(entry(4),))
    newer = Listing(id="2025-06-01", source_path="listings/2025-06-01.txt", saved_on=dt.date(2025, 6, 1),
                    entries=(entry(2, abstract=other),))
    (alone,), _ = merge(older)
    both, _ = merge(newer, older)
    assert alone.id == "sparse-attention-at-scale"
    assert {p.abstract: p.id for p in both}[ABSTRACT] == "sparse-attention-at-scale"
    assert {p.abstract: p.id for p in both}[other].startswith("sparse-attention-at-scale-")


def test_without_save_dates_the_earlier_dated_namesake_keeps_the_bare_slug():
    other = "A different paper entirely. It studies dense retrieval instead."
    papers, _ = merge(listing("a", entry(1, abstract=other, date=dt.date(2025, 5, 2))),
                      listing("b", entry(3, date=dt.date(2024, 1, 9))))
    assert {p.abstract: p.id for p in papers}[ABSTRACT] == "sparse-attention-at-scale"


def test_clashing_long_titles_keep_ids_within_80_characters():
    title = "Scaling " + "very " * 30 + "large models"
    papers, _ = merge(listing("a", entry(1, title=title), entry(5, title=title + "!", abstract="Other text. Really.")))
    assert len(papers) == 2 and all(len(p.id) <= 80 for p in papers) and papers[0].id != papers[1].id


def test_emoji_only_titles_with_one_abstract_get_distinct_ids_and_the_merge_ends():
    papers, _ = merge(listing("a", entry(1, title="🚀"), entry(5, title="🚀🚀"), entry(9, title="!!!"), entry(12, title="???")))
    assert len({p.id for p in papers}) == 4


def test_when_every_hashed_suffix_is_taken_a_counter_still_gives_each_namesake_its_own_id(monkeypatch):
    from sitegen.assemble import merge as merge_module
    monkeypatch.setattr(merge_module, "short_hash", lambda text, size: "0" * size)  # every suffix the same
    abstracts = [f"Paper number {n} of one title. Its own text." for n in range(4)]
    papers, problems = merge(listing("a", *(entry(1 + 4 * n, abstract=a) for n, a in enumerate(abstracts))))
    assert sorted(p.abstract for p in papers) == sorted(abstracts)
    assert len({p.id for p in papers}) == 4 and all(p.id.startswith("sparse-attention-at-scale") for p in papers)
    assert len(problems) == 3  # each later namesake is warned about, none dropped


@settings(max_examples=50, deadline=None)
@given(st.permutations(range(4)), st.permutations(range(3)))
def test_the_result_does_not_depend_on_file_or_entry_order(file_order, entry_order):
    other = "A different paper entirely. It studies dense retrieval instead."
    entries = [
        [entry(1, upvotes=3), entry(7, title="Dense Retrieval", abstract=other), entry(9, title="🚀")],
        [entry(2, date=dt.date(2025, 1, 2), upvotes=5), entry(8, title="Sparse Attention at Scale", abstract=other)],
        [entry(4, date=dt.date(2025, 1, 3), authors=3), entry(3, title="SPARSE attention at scale")],
        [entry(6, title="🚀", abstract=other, date=dt.date(2024, 5, 1))],
    ]
    listings = [listing(f"l{i}", *[entries[i][j] for j in entry_order if j < len(entries[i])]) for i in range(4)]
    expected, expected_problems = merge(*listings)
    shuffled, problems = merge(*[listings[i] for i in file_order])
    assert shuffled == expected and sorted(problems) == sorted(expected_problems)
