"""Rebuilds with the preview's reuse (preview/incremental.py) give exactly the site a clean build gives, with less work."""

from __future__ import annotations

import shutil

import pytest

from sitegen.build import PROJECT_DIR, BuildOptions, build
from sitegen.core.diagnostics import BuildError
from sitegen.preview.incremental import MemoryReuse
from tests.edits import LISTING, NEW_BLOCK, NEW_PAPER



@pytest.fixture
def project(tmp_path):
    shutil.copytree(PROJECT_DIR / "content", tmp_path / "content")
    shutil.copytree(PROJECT_DIR / "templates", tmp_path / "templates")
    return tmp_path


def options(project, out="out"):
    return BuildOptions(content_dir=project / "content", out_dir=project / out,
                        templates_dir=project / "templates", base_url="http://127.0.0.1:8000/",
                        search=False, keep_replaced=True)  # Pagefind's own files are not byte-stable; pages are what is reused


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_clean_build(project):
    build(options(project, "clean"))
    assert files(project / "out") == files(project / "clean")


def add_paper(project):
    with open(project / "content" / "listings" / LISTING, "a", encoding="utf-8") as listing:
        listing.write(NEW_BLOCK)


def test_a_rebuild_after_adding_a_paper_renders_few_pages_and_equals_a_clean_build(project):
    cache = MemoryReuse()
    first = build(options(project), reuse=cache)
    assert first.output.reused == 0
    add_paper(project)
    second = build(options(project), reuse=cache)
    # Its page, its day's (Nov 10, 2025), and the pages of that day's ISO week and month, which had no papers.
    assert len(second.plan.pages) == len(first.plan.pages) + 4
    rendered = len(second.plan.pages) - second.output.reused
    assert 1 < rendered < len(second.plan.pages) // 10  # the new page, its neighbours, lists, home
    assert (project / "out" / NEW_PAPER.strip("/") / "index.html").exists()
    assert_same_as_clean_build(project)


def test_only_changed_listings_are_parsed_again(project):
    cache = MemoryReuse()
    first = {listing.source_path: listing for listing in build(options(project), reuse=cache).site.content.listings}
    add_paper(project)
    second = {listing.source_path: listing for listing in build(options(project), reuse=cache).site.content.listings}
    assert first.keys() == second.keys()
    for path, listing in second.items():
        assert (listing is first[path]) == (not path.endswith(LISTING)), path


def test_warnings_of_unchanged_listings_are_reported_on_every_build(project):
    dump = project / "content" / "listings" / "2025-11-21-2ee11794b9e97e9a.txt"
    date_line = dump.read_text(encoding="utf-8").count("\n") + 9  # the file does not end in a line break
    with open(dump, "a", encoding="utf-8") as handle:
        handle.write("\n\nA Paper From The Future Of Speech\n\nWe present a paper dated after its listing was saved. "
                     "It is fast.\n\n  • 3 authors\n·\nDec 25, 2025 3\n")
    cache = MemoryReuse()
    first = build(options(project), reuse=cache).report.warnings
    assert [str(w) for w in first] == [f"{dump}:{date_line}: warning: date 'Dec 25, 2025 3' is after the listing "
                                       "was saved (2025-11-21)"]
    add_paper(project)
    assert build(options(project), reuse=cache).report.warnings == first


def test_a_template_change_renders_every_page_again(project):
    cache = MemoryReuse()
    build(options(project), reuse=cache)
    footer = next(path for path in (project / "templates").glob("*.html")
                  if "built with sitegen" in path.read_text(encoding="utf-8"))
    footer.write_text(footer.read_text(encoding="utf-8").replace("built with sitegen", "made by sitegen"),
                      encoding="utf-8")
    result = build(options(project), reuse=cache)
    assert result.output.reused == 0
    assert b"made by sitegen" in (project / "out" / "index.html").read_bytes()
    assert_same_as_clean_build(project)


def test_after_a_failed_build_the_next_one_still_matches_a_clean_build(project):
    cache = MemoryReuse()
    build(options(project), reuse=cache)
    listing = project / "content" / "listings" / LISTING
    good = listing.read_bytes()
    listing.write_bytes(good + b"\n\xff\n")
    with pytest.raises(BuildError):
        build(options(project), reuse=cache)
    listing.write_bytes(good)
    add_paper(project)
    build(options(project), reuse=cache)
    assert_same_as_clean_build(project)


def test_a_page_missing_from_the_output_is_rendered_again(project):
    cache = MemoryReuse()
    build(options(project), reuse=cache)
    (project / "out" / "index.html").unlink()
    result = build(options(project), reuse=cache)
    assert result.output.reused == len(result.plan.pages) - 1
    assert_same_as_clean_build(project)


def test_an_edit_updates_the_output_in_place_and_rewrites_only_changed_files(project):
    cache = MemoryReuse()
    build(options(project), reuse=cache)
    before = {path: (project / "out" / path).stat().st_mtime_ns for path in files(project / "out")}
    add_paper(project)
    build(options(project), reuse=cache)
    assert not list(project.glob(".out.*"))  # no staging folder, no replaced site
    after = {path: (project / "out" / path).stat().st_mtime_ns for path in files(project / "out")}
    rewritten = {path for path in before if after.get(path) != before[path]}
    assert "index.html" in rewritten and len(rewritten) < len(before) // 10
    assert_same_as_clean_build(project)


def test_a_removed_paper_leaves_no_page_behind(project):
    cache = MemoryReuse()
    add_paper(project)
    build(options(project), reuse=cache)
    assert (project / "out" / NEW_PAPER.strip("/") / "index.html").exists()
    listing = project / "content" / "listings" / LISTING
    listing.write_text(listing.read_text(encoding="utf-8").replace(NEW_BLOCK, ""), encoding="utf-8")
    build(options(project), reuse=cache)
    assert not (project / "out" / NEW_PAPER.strip("/") / "index.html").exists()
    assert_same_as_clean_build(project)


def test_after_a_template_change_the_replaced_site_is_left_for_the_caller_to_remove(project):
    cache = MemoryReuse()
    build(options(project), reuse=cache)
    before = (project / "out" / "index.html").read_bytes()
    base = project / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("built with sitegen", "made by sitegen"), encoding="utf-8")
    result = build(options(project), reuse=cache)
    [replaced] = project.glob(".out.staging-*")
    assert (replaced / "index.html").read_bytes() == before != (project / "out" / "index.html").read_bytes()
    assert result.replaced == replaced


def test_an_arxiv_identifier_added_in_arxiv_toml_reaches_the_page_bibtex_and_json(project):
    cache = MemoryReuse()
    build(options(project), reuse=cache)
    (project / "content" / "arxiv.toml").write_text('pointer-networks = "1506.03134"\n', encoding="utf-8")
    build(options(project), reuse=cache)
    page = (project / "out" / "papers" / "pointer-networks" / "index.html").read_text(encoding="utf-8")
    assert 'content="1506.03134"' in page and "eprint = {1506.03134}" in page
    assert '"arxiv":"1506.03134"' in (project / "out" / "papers.json").read_text(encoding="utf-8")
    assert "eprint = {1506.03134}" in (project / "out" / "papers.bib").read_text(encoding="utf-8")
    assert_same_as_clean_build(project)
