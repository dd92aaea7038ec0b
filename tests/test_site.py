"""The site graph (assemble/site.py) of the tiny fixture site, with expectations worked out by hand
from its two listings (tests/data/tiny_site/content)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.read.content import load_content
from sitegen.core.diagnostics import Diagnostics
from sitegen.assemble.merge import merge_papers
from sitegen.read.parser import parse_listing
from sitegen.assemble.site import assemble

CONTENT = Path(__file__).parent / "data" / "tiny_site" / "content"
DENOISING = "denoising-diffusion-models-for-tiny-images"
RLHF = "reinforcement-learning-from-human-feedback-briefly"
SPEECH = "speech-tokens-at-scale"
UNDATED = "an-undated-note-on-everything"
SECOND_LOOK = "a-second-look-at-diffusion-models"


@pytest.fixture(scope="module")
def site():
    report = Diagnostics()
    content = load_content(CONTENT, report, None, parse_listing)
    site = assemble(content, merge_papers(list(content.listings), report), report)
    assert report.items == []
    return site


def test_a_day_lists_its_papers_most_upvoted_first_then_by_title(site):
    assert list(site.days) == ["2024-10-08", "2024-10-09"]  # oldest first
    assert site.days["2024-10-09"].paper_ids == (DENOISING, RLHF)  # 12 upvotes each: by title
    assert site.days["2024-10-08"].paper_ids == (SPEECH,)


def test_papers_without_a_date_are_kept_on_the_undated_page_by_title(site):
    assert site.undated.paper_ids == (SECOND_LOOK, UNDATED)


def test_tags_come_from_the_taxonomy_and_list_papers_newest_first_undated_last(site):
    assert {tag.key: tag.paper_ids for tag in site.tags} == {
        "diffusion-models": (DENOISING, SECOND_LOOK),
        "reinforcement-learning": (RLHF, SECOND_LOOK),
        "speech": (SPEECH,),
    }
    assert [tag.name for tag in site.tags] == ["Diffusion models", "Reinforcement learning", "Speech"]


def test_an_organisation_groups_its_papers_under_its_display_name(site):
    assert [(org.key, org.name, org.paper_ids) for org in site.orgs] == [("apple", "Apple", (SPEECH,))]


def test_each_listing_entry_points_at_its_paper_in_order(site):
    assert site.listing_papers == {
        "2024-10-10-first": (DENOISING, RLHF, SPEECH, UNDATED),
        "2024-10-11-second": (SPEECH, SECOND_LOOK),
    }


def test_a_note_is_attached_to_the_paper_it_is_named_after(site):
    assert list(site.notes) == [SPEECH]
    assert site.tags_of[SPEECH] == ("speech",)


def test_related_papers_never_include_the_paper_itself(site):
    assert set(site.related) == set(site.papers)
    assert all(paper_id not in found for paper_id, found in site.related.items())


def test_a_big_site_dealt_out_to_two_processes_gets_the_tags_and_related_papers_of_one(monkeypatch):
    from sitegen.assemble import site as site_module
    report = Diagnostics()
    content = load_content(Path(__file__).parent.parent / "content", report)
    papers = merge_papers(list(content.listings), report)
    one = site_module.text_passes(content, papers, {})
    monkeypatch.setattr(site_module, "PARALLEL_PAPERS", 2)
    monkeypatch.setattr(site_module, "TEXT_CHUNK", 7)  # many runs, taken by either process as it is free
    two = site_module.text_passes(content, papers, {})
    assert [list(found.items()) for found in two] == [list(found.items()) for found in one]
    assert sum(map(len, one[1].values())) > len(papers)  # related papers were found, to compare
