"""The preview's quick rebuild, then the exact one after it: the site a clean build gives.

A quick rebuild (`Mode.QUICK`, as `sitegen serve` runs after each edit)
reuses tags, related papers, cards, views, pages, feeds and exports from the
last build wherever their inputs are the same objects; where it changed a
title or an abstract, it leaves the feeds, exports and other files beside the
pages as they were. The exact rebuild after it recomputes related papers and
makes those files. Each edit below is one a curator makes;
after the exact rebuild, every file must equal a clean build's, byte for byte.
"""

from __future__ import annotations

import re
import shutil

import pytest

from sitegen.build import PROJECT_DIR, BuildOptions, build
from sitegen.preview.incremental import MemoryReuse
from sitegen.reuse import Mode
from tests.edits import LISTING, NEW_BLOCK, NEW_PAPER, NEW_TITLE

DATAMAN_LISTING = "2025-03-12-d0a1b90939778342.txt"  # one of the two listings that show DataMan
DATAMAN = "/papers/dataman-data-manager-for-pre-training-large-language-models/"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(PROJECT_DIR / "content", tmp_path / "content")
    return tmp_path


def options(project, out="out"):
    return BuildOptions(content_dir=project / "content", out_dir=project / out, base_url="http://127.0.0.1:8000/",
                        search=False)


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_clean_build(project, last=None):
    """The output (and, given the last rebuild's result, its warnings) equal a clean build's."""
    clean = build(options(project, "clean"))
    assert files(project / "out") == files(project / "clean")
    if last is not None:
        assert [str(d) for d in last.report.sorted()] == [str(d) for d in clean.report.sorted()]


def rebuild(project, cache, quick):
    return build(options(project), reuse=cache, mode=Mode.QUICK if quick else Mode.EXACT)


def first_build(project):
    """The cache of a preview after its first build."""
    cache = MemoryReuse()
    rebuild(project, cache, quick=True)
    return cache


def listing(project, name=LISTING):
    return project / "content" / "listings" / name


def add_paper(project):
    with open(listing(project), "a", encoding="utf-8") as handle:
        handle.write(NEW_BLOCK)


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_abstract(project):
    # Both sightings, so the paper keeps one abstract: now about speech recognition.
    for name in (DATAMAN_LISTING, LISTING):
        replace_in(listing(project, name), "The performance emergence of large language models",
                   "Automatic speech recognition and spoken language understanding with audio tokens. "
                   "The performance emergence of large language models")


def edit_upvotes(project):
    path = listing(project)
    text = path.read_text(encoding="utf-8")
    last = re.findall(r"\n([A-Z][a-z]{2} \d+) (\d+)\n", text)[0]
    replace_in(path, f"\n{last[0]} {last[1]}\n", f"\n{last[0]} {int(last[1]) + 1000}\n")


def remove_listing(project):
    listing(project, DATAMAN_LISTING).unlink()


def rename_listing(project):
    listing(project).rename(listing(project, "2025-11-13-0000000000000000.txt"))


def same_title_other_abstract(project):
    with open(listing(project), "a", encoding="utf-8") as handle:
        handle.write("\nDataMan: Data Manager for Pre-training Large Language Models\n\n"
                     "A different paper under the same title, about rating data. It is short.\n\n"
                     "  • 2 authors\n·\nNov 10 3\n")


def new_tag_phrase(project):
    with open(project / "content" / "tags.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[zebra-finches]\nname = "Zebra finches"\nphrases = ["zebra finch", "data manager"]\n')


def note_with_tag(project):
    (project / "content" / "notes").mkdir(exist_ok=True)
    (project / "content" / "notes" / (DATAMAN.split("/")[2] + ".md")).write_text(
        '+++\ntags = ["text-embeddings"]\n+++\nA curator\'s *note*.\n', encoding="utf-8")


def rename_tag(project):
    replace_in(project / "content" / "tags.toml", 'name = "Text embeddings"', 'name = "Sentence vectors"')


def rewrite_note(project):
    note_with_tag(project)
    replace_in(project / "content" / "notes" / (DATAMAN.split("/")[2] + ".md"), "*note*", "*second note*")


def retitle_site(project):
    replace_in(project / "content" / "site.toml", 'title = "Daily Papers Archive"', 'title = "Papers, Daily"')


EDITS = [add_paper, edit_abstract, edit_upvotes, remove_listing, rename_listing, same_title_other_abstract,
         new_tag_phrase, rename_tag, note_with_tag, rewrite_note, retitle_site]


@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_after_the_exact_rebuild_the_site_equals_a_clean_build(project, edit):
    cache = first_build(project)
    add_paper(project) if edit is not add_paper else None  # a quick rebuild before the edit too
    note_with_tag(project) if edit is rewrite_note else None
    rebuild(project, cache, quick=True)
    rebuild(project, cache, quick=False)
    edit(project)
    assert [str(d) for d in rebuild(project, cache, quick=True).report.sorted()] == \
        [str(d) for d in build(options(project, "first")).report.sorted()]  # the same warnings at once
    last = rebuild(project, cache, quick=False)
    assert last.exact
    assert_same_as_clean_build(project, last)


def test_a_quick_rebuild_shows_a_new_paper_at_once_and_its_related_papers_after_the_exact_one(project):
    cache = first_build(project)
    add_paper(project)
    quick = rebuild(project, cache, quick=True)
    page = project / "out" / NEW_PAPER.strip("/") / "index.html"
    assert "Related papers" not in page.read_text(encoding="utf-8")
    assert not quick.exact
    exact = rebuild(project, cache, quick=False)
    assert "Related papers" in page.read_text(encoding="utf-8")
    assert exact.exact


def test_a_quick_rebuild_shows_the_new_page_and_leaves_feeds_and_exports_to_the_exact_one(project):
    cache = first_build(project)
    add_paper(project)
    rebuild(project, cache, quick=True)
    out = project / "out"
    assert NEW_TITLE in (out / NEW_PAPER.strip("/") / "index.html").read_text(encoding="utf-8")
    assert NEW_TITLE in (out / "index.html").read_text(encoding="utf-8")  # the home page lists its day
    for name in ("new.xml", "papers.json", "papers.bib", "sitemap.xml"):
        assert NEW_PAPER.strip("/").split("/")[1] not in (out / name).read_text(encoding="utf-8"), name
    rebuild(project, cache, quick=False)
    for name in ("new.xml", "papers.json", "papers.bib", "sitemap.xml"):
        assert NEW_PAPER.strip("/").split("/")[1] in (out / name).read_text(encoding="utf-8"), name
    assert_same_as_clean_build(project)


def test_a_quick_rebuild_that_changes_no_text_is_exact_already(project):
    cache = first_build(project)
    edit_upvotes(project)
    assert rebuild(project, cache, quick=True).exact
    assert_same_as_clean_build(project)


def test_quick_rebuilds_in_a_row_then_an_exact_one_equal_a_clean_build(project):
    cache = first_build(project)
    for edit in (add_paper, edit_abstract, note_with_tag, remove_listing):
        edit(project)
        rebuild(project, cache, quick=True)
    rebuild(project, cache, quick=False)
    assert_same_as_clean_build(project)
