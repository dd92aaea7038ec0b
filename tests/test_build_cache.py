"""`sitegen build` with its cache on disk (sitegen/cache/): after every kind of change the site is
byte for byte what a clean build writes, and a cache that cannot be trusted is ignored with a note."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from sitegen.build import PROJECT_DIR, BuildOptions, build
from sitegen.cache.command import cached_build
from sitegen.cache.disk import DiskReuse
from sitegen.cache import store as store_module
from sitegen.search.index import ANCHOR
from sitegen.write.writer import Staging
from tests.edits import LISTING, NEW_BLOCK, NEW_TITLE

TINY = PROJECT_DIR / "tests" / "data" / "tiny_site" / "content"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(TINY, tmp_path / "content")
    shutil.copytree(PROJECT_DIR / "templates", tmp_path / "templates")
    shutil.copytree(PROJECT_DIR / "static", tmp_path / "static")
    return tmp_path


def options(project, out="out"):
    # Pagefind's own files are not byte-stable from run to run, so the byte comparisons build without them.
    return BuildOptions(content_dir=project / "content", out_dir=project / out, templates_dir=project / "templates",
                        static_dir=project / "static", search=False)


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folders(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def cached(project, notes=None):
    """A build through the cache in project/cache; returns the notes it printed."""
    notes = [] if notes is None else notes
    cached_build(options(project), project / "cache", None, notes.append)
    return notes


def assert_same_as_clean_build(project):
    build(options(project, "clean"))
    assert files(project / "out") == files(project / "clean")
    assert folders(project / "out") == folders(project / "clean")  # no folder left empty


def reused(notes):
    return notes[-1]  # "cache DIR: reused ..."


def new_listing(project):
    listings = project / "content" / "listings"
    text = (listings / "2024-10-11-second.txt").read_text(encoding="utf-8")
    (listings / "2024-10-12-third.txt").write_text(text + NEW_BLOCK.replace("Nov 10", "Oct 12"), encoding="utf-8")


def edited_abstract(project):
    path = project / "content" / "listings" / "2024-10-10-first.txt"
    text = path.read_text(encoding="utf-8")
    assert "markup</b> stays text;" in text  # in the first paper's abstract
    path.write_text(text.replace("markup</b> stays text;", "markup</b> stays text, always;"), encoding="utf-8")


def edit(project, relative, old, new):
    path = project / "content" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# What a paper page shows of other papers and files: a neighbour's title (its previous/next links, and
# its related papers' cards), the day's order (upvotes), a byline, a curator's note.
def edited_titles(project):  # the two papers of one day, each the other's neighbour
    edit(project, "listings/2024-10-10-first.txt", "from Human Feedback, Briefly", "from Human Feedback, in Short")
    edit(project, "listings/2024-10-10-first.txt", "Models for Tiny Images", "Models for Small Images")


def moved_day(project):  # from a day of two papers to a day of one: both days' links count again
    edit(project, "listings/2024-10-10-first.txt", "results.\n\n  • 2 authors\n·\nOct 9, 2024 12",
         "results.\n\n  • 2 authors\n·\nOct 8, 2024 12")


def edited_upvotes(project):
    edit(project, "listings/2024-10-10-first.txt", "Briefly\n\nRLHF aligns a policy with preferences. We report "
         "results.\n\n  • 2 authors\n·\nOct 9, 2024 12", "Briefly\n\nRLHF aligns a policy with preferences. We "
         "report results.\n\n  • 2 authors\n·\nOct 9, 2024 13")


def changed_byline(project):
    edit(project, "listings/2024-10-10-first.txt", "  • 3 authors", "  • 4 authors")


def edited_note(project):
    edit(project, "notes/speech-tokens-at-scale.md", "with *care*", "with *great care*")


def given_arxiv(project):  # a paper's links out, citation tags, BibTeX entry and JSON records
    edit(project, "notes/speech-tokens-at-scale.md", 'tags = ["speech"]', 'tags = ["speech"]\narxiv = "2410.01234"\narxiv_class = "cs.CL"')


def removed_listing(project):
    (project / "content" / "listings" / "2024-10-11-second.txt").unlink()


def changed_tags(project):
    with open(project / "content" / "tags.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[tokens]\nname = "Tokens"\nphrases = ["tokens"]\n')


def renamed_tag(project):  # a label only: each tagged paper's card, page and JSON show it
    edit(project, "tags.toml", 'name = "Speech"', 'name = "Spoken language"')


def moved_site(project):  # every absolute URL: canonical links, feeds, BibTeX's url fields
    edit(project, "site.toml", 'base_url = "https://example.org/tiny/"', 'base_url = "https://example.com/archive/"')


def changed_settings(project):
    path = project / "content" / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("related_count = 2", "related_count = 1"), encoding="utf-8")


def changed_template(project):
    path = project / "templates" / "paper.html"
    path.write_text(path.read_text(encoding="utf-8").replace("</article>", "<p>Changed.</p></article>", 1),
                    encoding="utf-8")


def changed_static(project):
    path = project / "static" / "style.css"
    path.write_text(path.read_text(encoding="utf-8") + "\n.changed { color: red; }\n", encoding="utf-8")


def new_version(project, monkeypatch):
    monkeypatch.setattr(store_module, "version_key", lambda: "ab" * 32)


CHANGES = [new_listing, edited_abstract, edited_titles, moved_day, edited_upvotes, changed_byline, edited_note, given_arxiv,
           removed_listing,
           changed_tags, renamed_tag, changed_settings, moved_site, changed_template, changed_static]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_after_a_change_a_cached_build_equals_a_clean_build(project, change):
    cached(project)
    cached(project)  # replaces a site: the next build starts from it (cache/spare.py)
    assert (project / "cache" / "spare" / "papers").is_dir()
    change(project)
    notes = cached(project)
    assert notes == [notes[-1]], notes  # nothing but what was reused: no entry was distrusted
    assert_same_as_clean_build(project)


def test_an_unchanged_build_reuses_everything_and_a_template_change_all_but_the_pages(project):
    cached(project)
    assert reused(cached(project)) == (f"cache {project / 'cache'}: reused 2 parsed listing(s), "
                                       "the tags and related papers, 36 of 36 page(s) (5 paper view(s) not made), 5 of 5 paper JSON file(s), "
                                       "11 of 11 social card(s), "
                                       "0 of 0 search bundle(s)")
    changed_template(project)
    summary = reused(cached(project))
    assert "reused 2 parsed listing(s), the tags and related papers" in summary
    assert ", 0 of 36 page(s) (0 paper view(s) not made), 5 of 5 paper JSON file(s)" in summary  # pages are keyed by
    # every template file, so all are rendered again; a paper's JSON is made by no template
    assert_same_as_clean_build(project)


def test_after_a_new_listing_only_its_new_paper_is_tokenised_and_tagged(project):
    cached(project)
    before = len(json.loads((project / "out" / "papers.json").read_text(encoding="utf-8"))["papers"])
    new_listing(project)  # the second listing's papers again, and one new paper
    summary = reused(cached(project))
    assert f"no tags and related papers ({before} paper text(s) tokenised and tagged before)" in summary
    assert len(json.loads((project / "out" / "papers.json").read_text(encoding="utf-8"))["papers"]) == before + 1
    assert_same_as_clean_build(project)


def test_a_new_listing_after_many_unchanged_builds_still_tokenises_only_its_new_paper(project):
    # Unchanged builds reuse the tags and related papers whole and never read the per-text entries
    # beneath them; those must outlive the cache's bound all the same, for the day a listing comes.
    cached(project)
    before = len(json.loads((project / "out" / "papers.json").read_text(encoding="utf-8"))["papers"])
    for _ in range(store_module.KEEP_BUILDS + 1):
        cached(project)
    new_listing(project)
    assert f"({before} paper text(s) tokenised and tagged before)" in reused(cached(project))


def test_a_cache_of_another_version_is_ignored_with_a_note(project, monkeypatch):
    cached(project)
    new_version(project, monkeypatch)
    notes = cached(project)
    assert notes[0] == (f"{project / 'cache'}: note: the cache was written by another version of sitegen; "
                        "it is ignored and made afresh")
    assert "reused 0 parsed listing(s), no tags and related papers (0 paper text(s) tokenised and tagged before), 0 of 36 page(s) (0 paper view(s) not made), 0 of 5 paper JSON file(s), 0 of 11" in reused(notes)
    assert_same_as_clean_build(project)


def entries(project):
    return sorted(p for p in (project / "cache" / "entries").rglob("*") if p.is_file())


@pytest.mark.parametrize("damage", ["truncated", "corrupt", "foreign"])
def test_a_damaged_entry_is_ignored_with_a_one_line_note_and_made_again(project, damage):
    cached(project)
    victim = entries(project)[0]
    data = victim.read_bytes()
    if damage == "truncated":
        victim.write_bytes(data[: len(data) // 2])
    elif damage == "corrupt":
        victim.write_bytes(data[:-5] + bytes(b ^ 0xFF for b in data[-5:]))
    else:  # a header naming another version
        victim.write_bytes(data[:8] + b"\x00" * 32 + data[40:])
    notes = cached(project)
    why = {"truncated": "corrupt (its checksum does not match)", "corrupt": "corrupt (its checksum does not match)",
           "foreign": "written by another version of sitegen"}[damage]
    assert notes[0] == f"{victim}: note: cache entry {why}; ignored, and made again"
    assert len(notes) == 2
    assert_same_as_clean_build(project)
    assert cached(project) == [f"cache {project / 'cache'}: reused 2 parsed listing(s), the tags and related papers, "
                               "36 of 36 page(s) (5 paper view(s) not made), 5 of 5 paper JSON file(s), 11 of 11 social card(s), "
                               "0 of 0 search bundle(s)"]  # made again, and trusted


def test_a_card_is_drawn_once_and_read_back_from_the_cache(project):
    cached(project)
    cards = sorted(p for p in (project / "cache" / "entries" / "cards").rglob("*") if p.is_file())
    assert len(cards) == 11
    (project / "out").rename(project / "first")
    cards[0].write_bytes(cards[0].read_bytes()[:-1] + b"!")  # a corrupt card is drawn again, not shown
    notes = cached(project)
    assert notes[0] == f"{cards[0]}: note: cache entry corrupt (its checksum does not match); ignored, and made again"
    assert "10 of 11 social card(s)" in reused(notes)
    assert "11 of 11 social card(s)" in reused(cached(project))  # drawn again, and kept
    assert files(project / "out") == files(project / "first")
    assert_same_as_clean_build(project)


def searched(project, out="out", cache=True):
    """A build with its search index, in bundles of two papers; returns the cache's notes."""
    notes = []
    with_search = dataclasses.replace(options(project, out), search=True, search_shard_size=2)
    if cache:
        cached_build(with_search, project / "cache", None, notes.append)
    else:
        build(with_search)
    return notes


def bundles(folder):
    """What each search bundle shows a reader, decoded: its fragments (each paper's text, meta, filters
    and sort keys) and the other bundles it names. Not the files' bytes: two Pagefind runs on the
    same records write their filter values and meta in different orders."""
    found = {}
    for bundle in sorted(folder.glob("pagefind*/")):
        shown = [json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
                 for path in bundle.glob("fragment/*.pf_fragment")]
        found[bundle.name] = sorted(shown, key=lambda fragment: fragment["url"])
    found["names"] = (folder / "pagefind" / "sitegen-shards.json").read_text()
    return found


def test_only_the_search_bundle_holding_an_edited_paper_is_indexed_again(project):
    assert reused(searched(project)).endswith(", 0 of 3 search bundle(s)")
    assert reused(searched(project)).endswith(", 3 of 3 search bundle(s)")
    edited_abstract(project)
    assert reused(searched(project)).endswith(", 2 of 3 search bundle(s)")
    searched(project, "clean", cache=False)
    assert bundles(project / "out") == bundles(project / "clean")
    found = bundles(project / "out")
    shown = [fragment["content"] for name in ("pagefind", "pagefind-2", "pagefind-3") for fragment in found[name]
             if fragment["url"] != ANCHOR.url]
    assert sum("stays text, always;" in text for text in shown) == 1 and len(shown) == 5
    names = json.loads(found["names"])
    assert (names["bundles"], sum(names["papers"])) == (["../pagefind-2/", "../pagefind-3/"], 5)


def kept_bundles(project):
    folder = project / "cache" / "bundles"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_kept_bundles_are_never_written_through_and_an_unused_one_is_dropped(project):
    searched(project)
    before = kept_bundles(project)
    assert before and not any(name.endswith("sitegen-shards.json") for name in before)  # the build's own, not kept
    edited_abstract(project)
    searched(project)  # the output's bundles are hard links to these: writing one in place would change them
    after = kept_bundles(project)
    assert {name: data for name, data in after.items() if name in before} == before
    assert (len(bundle_folders(before)), len(bundle_folders(after))) == (3, 4)  # the edited paper's bundle kept anew
    for _ in range(store_module.KEEP_BUILDS):
        searched(project)
    assert bundle_folders(kept_bundles(project)) <= bundle_folders(after)
    assert len(bundle_folders(kept_bundles(project))) == 3  # its old version is dropped, the three current ones stay


def bundle_folders(kept):
    return {"/".join(name.split("/")[:2]) for name in kept}


def test_a_new_paper_newer_than_all_is_indexed_into_one_bundle(project):
    searched(project)
    new_listing(project)
    # Bundles are stretches of the date order, the oldest first (search/index.py's chunk): a paper
    # newer than all joins the last bundle, and every other paper keeps its bundle.
    assert reused(searched(project)).endswith(", 2 of 3 search bundle(s)")
    searched(project, "clean", cache=False)
    found = bundles(project / "out")
    assert found == bundles(project / "clean")
    assert [f["meta"]["title"] for f in found["pagefind-3"]].count(NEW_TITLE) == 1


@pytest.mark.parametrize("builds_before", [1, 2], ids=["into-a-fresh-folder", "into-the-replaced-site"])
def test_a_damaged_page_entry_is_never_linked_in(project, builds_before):
    for _ in range(builds_before):
        cached(project)
    for page in (project / "cache" / "pages").rglob("*"):
        if page.is_file():
            page.unlink()
    notes = cached(project)
    assert ", 0 of 36 page(s)" in reused(notes)
    assert_same_as_clean_build(project)


@pytest.mark.parametrize("builds_before", [1, 2], ids=["into-a-fresh-folder", "into-the-replaced-site"])
def test_a_kept_paper_page_pruned_after_planning_is_made_in_full_and_rendered(project, monkeypatch, builds_before):
    for _ in range(builds_before):
        cached(project)
    unchanged = DiskReuse.unchanged

    def pruned_first(reuse, plan, templates_dir, staging):  # as another build sharing the cache might
        assert reuse.paper_pages.kept == 5  # every paper page was planned without its view
        for page in (project / "cache" / "pages").rglob("*"):
            if page.is_file():
                page.unlink()
        return unchanged(reuse, plan, templates_dir, staging)

    monkeypatch.setattr(DiskReuse, "unchanged", pruned_first)
    notes = reused(cached(project))
    assert "(5 paper view(s) not made)" in notes
    # None can be linked in from the cache; but a file of the replaced site that was the cache's entry for its
    # key when the build looked (Store.page_inodes) is that page still, and stays.
    assert (", 0 of 36 page(s)" in notes) == (builds_before == 1)
    assert_same_as_clean_build(project)


def test_the_replaced_site_is_kept_and_only_the_caches_own_files_in_it_are_published(project):
    cached(project)
    cached(project)  # replaces the first build's site, which goes into the cache
    spare = project / "cache" / "spare"
    paper = next((spare / "papers").iterdir())
    assert not (spare / "new.xml").exists() and not (spare / "papers.json").exists()  # no key covers them: not kept
    assert (paper / "index.html").stat().st_ino in {page.stat().st_ino for page in (project / "cache" / "pages").rglob("*")}
    (paper / "index.html").unlink()
    (paper / "index.html").write_text("<p>planted in place of a page</p>")  # another file where the cache's was
    (spare / "papers" / "planted").mkdir()
    (spare / "papers" / "planted" / "index.html").write_text("<p>planted</p>")
    (spare / "papers" / "empty").mkdir()
    (spare / "planted.html").write_text("<p>planted</p>")
    (spare / "new.xml").write_text("<rss>an old feed</rss>")  # a file no key covers
    (spare / "papers" / "link.html").symlink_to(paper / "paper.json")
    notes = cached(project)
    assert ", 36 of 36 page(s)" in reused(notes) and ", 5 of 5 paper JSON file(s)" in reused(notes)
    assert not (project / "out" / "papers" / "planted").exists()
    assert_same_as_clean_build(project)


def test_a_build_after_an_unchanged_one_links_no_page_in(project, monkeypatch):
    cached(project)
    cached(project)
    linked = []
    link = Staging.link
    monkeypatch.setattr(Staging, "link", lambda staging, relative, source: linked.append(relative) or link(staging, relative, source))
    notes = cached(project)
    assert ", 36 of 36 page(s)" in reused(notes)
    # Each page and paper JSON stayed where the replaced site had it (the feeds, unkeyed, are linked from it).
    assert [path for path in linked if path.endswith((".html", "/paper.json"))] == []
    assert_same_as_clean_build(project)


def test_a_cache_on_another_file_system_makes_the_folders_afresh(project):
    elsewhere = Path("/dev/shm")
    if not elsewhere.is_dir() or elsewhere.stat().st_dev == project.stat().st_dev:
        pytest.skip("needs a second file system")
    with tempfile.TemporaryDirectory(dir=elsewhere) as cache:
        for _ in range(3):
            notes = []
            cached_build(options(project), Path(cache), None, notes.append)
            assert notes == [notes[-1]], notes
        assert ", 36 of 36 page(s)" in reused(notes)  # copied, not linked, into the cache
    assert_same_as_clean_build(project)


def test_a_killed_build_leaves_nothing_that_is_trusted(project):
    """A build killed while writing the cache: its half-written entries are never read."""
    cached(project)
    new_listing(project)
    script = ("import sys, time\n"
              "from pathlib import Path\n"
              "from sitegen.cache import store\n"
              "from tests.test_build_cache import cached\n"
              "real = store.Store.write_atomically\n"
              "def stalled(self, path, data):\n"
              "    temporary = self.root / 'tmp' / 'half-written'\n"
              "    temporary.write_bytes(data[: len(data) // 2])\n"
              "    print('writing', flush=True)\n"
              "    time.sleep(60)\n"
              "store.Store.write_atomically = stalled\n"
              f"cached(Path({str(project)!r}))\n")
    child = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "writing\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert (project / "cache" / "tmp" / "half-written").exists()
    notes = cached(project)
    assert notes == [notes[-1]]  # the lock died with it; the half-written entry is not an entry
    assert not (project / "cache" / "tmp" / "half-written").exists()
    assert_same_as_clean_build(project)


def test_entries_no_build_used_for_five_builds_are_dropped(project):
    cached(project)
    first = set(entries(project))
    edited_abstract(project)
    for _ in range(store_module.KEEP_BUILDS - 1):
        cached(project)
    assert first <= set(entries(project))  # kept: a revert would still find them
    cached(project)
    gone = first - set(entries(project))
    # The edited listing's, and the tags and related papers of the old text.
    assert sorted(path.parent.parent.name for path in gone) == ["listings", "passes"]  # a card shows no abstract


def test_the_command_line_keeps_the_cache_beside_the_content_folder(project):
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "sitegen", "build", "--content", "content", "--out", "public", "--no-search", *extra],
        cwd=project, capture_output=True, text=True)
    first = run()
    assert first.returncode == 0, first.stderr
    assert (project / ".sitegen-cache" / "VERSION").is_file()
    second = run()
    assert "reused 2 parsed listing(s), the tags and related papers" in second.stderr
    third = run("--no-cache")
    assert third.returncode == 0 and "cache" not in third.stderr.split("output in")[0]
    moved = run("--cache", "elsewhere")
    assert (project / "elsewhere" / "VERSION").is_file() and "reused 0 parsed" in moved.stderr


def test_a_second_build_sharing_the_cache_waits_for_the_first(project):
    import fcntl
    import threading

    cached(project)
    new_listing(project)
    said, done = [], threading.Event()
    with open(project / "cache" / "lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build in progress holds it
        waiting = threading.Thread(target=lambda: (cached(project, said), done.set()))
        waiting.start()
        time.sleep(1.0)
        assert not done.is_set()
        assert said == [f"{project / 'cache'}: note: another build is using this cache; waiting for it to finish"]
    waiting.join(timeout=60)
    assert done.is_set() and "reused 2 parsed listing(s)" in said[-1]
    assert_same_as_clean_build(project)


def test_two_builds_at_once_on_one_cache_both_equal_a_clean_build(project):
    cached(project)
    new_listing(project)  # both have entries to write
    script = ("import sys\n"
              "from pathlib import Path\n"
              "from sitegen.cache.command import cached_build\n"
              "from tests.test_build_cache import options\n"
              "project = Path(sys.argv[1])\n"
              "cached_build(options(project, sys.argv[2]), project / 'cache', None, print)\n")
    children = [subprocess.Popen([sys.executable, "-c", script, str(project), out], cwd=PROJECT_DIR,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for out in ("a", "b")]
    said = [child.communicate(timeout=300) for child in children]
    assert [child.returncode for child in children] == [0, 0], said
    build(options(project, "clean"))
    assert files(project / "a") == files(project / "b") == files(project / "clean")
    notes = cached(project)
    assert notes == [notes[-1]] and ", 41 of 41 page(s)" in notes[-1]  # nothing in the cache was damaged


def test_a_cache_that_cannot_be_used_is_a_note_and_the_build_goes_on(project):
    (project / "cache").write_text("not a folder")
    notes = cached(project)
    assert len(notes) == 1 and notes[0].startswith(f"{project / 'cache'}: note: cannot use the cache (")
    assert_same_as_clean_build(project)


def test_netlify_keeps_the_cache_folder_and_the_compiled_kernels_between_deploys():
    import tomllib

    from sitegen.cache.command import FOLDER

    config = tomllib.loads((PROJECT_DIR / "netlify.toml").read_text(encoding="utf-8"))
    plugins = [plugin for plugin in config["plugins"] if plugin["package"] == "netlify-plugin-cache"]
    kernels = config["build"]["environment"]["NUMBA_CACHE_DIR"]  # numba's cache (assemble/kernels.py)
    assert [plugin["inputs"]["paths"] for plugin in plugins] == [[FOLDER, kernels]]
    assert f"{kernels}/" in (PROJECT_DIR / ".gitignore").read_text().splitlines()
    assert "content" in config["build"]["command"] or "sitegen build" in config["build"]["command"]
    assert f"/{FOLDER}/" in (PROJECT_DIR / ".gitignore").read_text().replace("/.sitegen-*/", f"/{FOLDER}/")
