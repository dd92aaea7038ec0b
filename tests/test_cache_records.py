"""Each paper's JSON record, BibTeX entry and Atom entry kept by the build cache (sitegen/cache/records.py).

A kept record is shown as it is kept, so a record changed in the cache (under its own key, as
only a bug could) shows which builds read it back: every build until its paper changes."""

from __future__ import annotations

import json
import shutil

from sitegen.build import PROJECT_DIR, BuildOptions, build
from sitegen.cache.command import cached_build
from sitegen.cache.records import RECORDS
from sitegen.cache.store import Store
from tests.test_build_cache import assert_same_as_clean_build, cached, edited_abstract, project  # noqa: F401

MARK = "Kept By The Cache"


def kept(cache):
    """The cache's records entries: {"json" or "bibtex": (key, {paper id: (digest, text)}),
    "atom": (key, {its paper's text and date: text})}."""
    found = {}
    with Store(cache, print) as store:
        for path in (cache / "entries" / RECORDS).glob("*/*"):
            key = path.parent.name + path.name
            value = store.get(RECORDS, key)
            some_value = next(iter(value.values()))
            kind = "atom" if isinstance(some_value, str) else "json" if isinstance(some_value[1], bytes) else "bibtex"
            assert kind not in found
            found[kind] = key, value
    return found


def mark(cache, paper_id):
    """Change the kept record and entries of `paper_id` to show MARK as its title, under the same keys."""
    entries = kept(cache)
    with Store(cache, print) as store:
        key, records = entries["json"]
        digest, text = records[paper_id]
        record = json.loads(text)
        record["title"] = MARK
        records[paper_id] = digest, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
        store.put(RECORDS, key, records)
        key, bibtex = entries["bibtex"]
        digest, text = bibtex[paper_id]
        start = text.index("title = {{") + len("title = {{")
        bibtex[paper_id] = digest, text[:start] + MARK + text[text.index("}}", start):]
        store.put(RECORDS, key, bibtex)
        key, atom = entries["atom"]
        (digest,) = [digest for digest, text in atom.items() if f"/papers/{paper_id}/</id>" in text]
        text = atom[digest]
        start = text.index('<title type="text">') + len('<title type="text">')
        atom[digest] = text[:start] + MARK + text[text.index("</title>", start):]
        store.put(RECORDS, key, atom)


def shown(out, paper_id):
    """The title the JSON export shows for `paper_id`, and whether the BibTeX export and /new.xml show MARK."""
    papers = {paper["id"]: paper for paper in json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"]}
    return (papers[paper_id]["title"], MARK in (out / "papers.bib").read_text(encoding="utf-8"),
            MARK in (out / "new.xml").read_text(encoding="utf-8"))


def test_a_kept_record_is_read_back_until_its_paper_changes(project):  # noqa: F811
    cached(project)
    papers = json.loads((project / "out" / "papers.json").read_text(encoding="utf-8"))["papers"]
    edited = next(paper["id"] for paper in papers if "markup</b> stays text;" in paper["abstract"])
    entries = kept(project / "cache")
    for kind in ("json", "bibtex"):
        assert sorted(entries[kind][1]) == sorted(paper["id"] for paper in papers), kind  # every paper's
    assert len(entries["atom"][1]) == len(papers)
    mark(project / "cache", edited)
    cached(project)
    assert shown(project / "out", edited) == (MARK, True, True)  # nothing changed: read back, not made
    edited_abstract(project)  # its abstract, and so its record and entries
    cached(project)
    assert shown(project / "out", edited)[1:] == (False, False)
    assert_same_as_clean_build(project)


def test_a_damaged_records_entry_is_noted_and_made_again(project):  # noqa: F811
    cached(project)
    victim = project / "cache" / "entries" / RECORDS / kept(project / "cache")["json"][0][:2]
    (path,) = victim.iterdir()
    path.write_bytes(path.read_bytes()[:-3])
    notes = cached(project)
    assert notes[0] == f"{path}: note: cache entry corrupt (its checksum does not match); ignored, and made again"
    assert_same_as_clean_build(project)
    assert len(kept(project / "cache")["json"][1]) == len(json.loads((project / "out" / "papers.json").read_bytes())["papers"])


def test_the_render_process_keeps_the_records_of_the_whole_shipped_archive(tmp_path):
    """The shipped content is rendered by several processes: the one that makes /papers.json keeps its records."""
    shutil.copytree(PROJECT_DIR / "content", tmp_path / "content")
    options = BuildOptions(content_dir=tmp_path / "content", out_dir=tmp_path / "out", search=False)
    cached_build(options, tmp_path / "cache", None, lambda note: None)
    papers = json.loads((tmp_path / "out" / "papers.json").read_text(encoding="utf-8"))["papers"]
    entries = kept(tmp_path / "cache")
    assert {paper_id: json.loads(text) for paper_id, (_, text) in entries["json"][1].items()} == {
        paper["id"]: paper for paper in papers}
    assert len(entries["bibtex"][1]) == len(entries["atom"][1]) == len(papers) == 472
    mark(tmp_path / "cache", papers[0]["id"])
    cached_build(options, tmp_path / "cache", None, lambda note: None)
    assert shown(tmp_path / "out", papers[0]["id"]) == (MARK, True, True)
