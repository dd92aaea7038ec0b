"""The JSON export and the JSON-LD of paper pages, read back from a real build."""

from __future__ import annotations

import json
import re

import pytest

from built_site import HOSTILE_TITLE, build, file_for, html_pages, make_content, run_sitegen

BASE = "https://example.org/archive/"
TO_JSON_FIELDS = ["id", "title", "abstract", "date", "upvotes", "authors", "org", "org_name", "seen_in"]
CONTROL = re.compile("[\x00-\x1f]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    content = make_content(root)
    out = build(content, root / "out", "--base-url", BASE)
    return content, out, html_pages(out, BASE)


def test_papers_json_has_every_paper_page_with_its_data(built):
    content, out, pages = built
    export = json.loads((out / "papers.json").read_text(encoding="utf-8"))
    papers = export["papers"]
    assert export["count"] == len(papers)
    paper_pages = {url for url in pages if url.startswith(BASE + "papers/")}
    assert {paper["url"] for paper in papers} == paper_pages
    ids = {paper["id"] for paper in papers}
    for paper in papers:
        assert list(paper)[: len(TO_JSON_FIELDS)] == TO_JSON_FIELDS
        assert CONTROL.sub("", pages[paper["url"]].h1) == CONTROL.sub("", paper["title"])
        assert pages[paper["url"]].facts_date == paper["date"]
        assert set(paper["related"]) <= ids - {paper["id"]}
        assert set(paper["tags"]) <= set(export["tags"])

    # The same records `sitegen parse --json` prints, field for field.
    parsed = run_sitegen("parse", "--json", "--content", content)
    assert parsed.returncode == 0, parsed.stderr
    by_id = {json.loads(line)["id"]: json.loads(line) for line in parsed.stdout.splitlines()}
    assert {paper["id"]: {k: paper[k] for k in TO_JSON_FIELDS} for paper in papers} == by_id


def test_each_day_has_a_json_file_of_its_papers(built):
    _, out, _ = built
    papers = json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"]
    dated = {paper["id"]: paper for paper in papers if paper["date"]}
    seen = []
    for path in sorted(out.glob("days/*/papers.json")):
        day = json.loads(path.read_text(encoding="utf-8"))
        assert day["date"] == path.parent.name
        assert file_for(out, BASE, day["page"])
        assert day["count"] == len(day["papers"]) > 0
        for paper in day["papers"]:
            assert paper == dated[paper["id"]] and paper["date"] == day["date"]
            seen.append(paper["id"])
    assert sorted(seen) == sorted(dated)


def test_every_json_ld_block_parses_and_describes_its_paper(built):
    _, _, pages = built
    articles = 0
    for url, page in pages.items():
        blocks = page.json_ld()
        if not url.startswith(BASE + "papers/"):
            assert blocks == [], url
            continue
        assert len(blocks) == 1, url
        document = json.loads(blocks[0])
        assert document["@context"] == "https://schema.org" and document["@type"] == "ScholarlyArticle"
        assert document["url"] == page.canonical == url
        assert CONTROL.sub("", document["name"]) == CONTROL.sub("", page.h1)
        articles += 1
    assert articles > 400


def test_listing_text_cannot_leave_the_json_ld_block(built):
    _, out, pages = built
    page = next(p for p in pages.values() if p.h1.startswith("Breaking"))
    # The only inline scripts on the page are data blocks, the others the site's own files:
    # nothing in the title became a script element.
    assert [attrs.get("type") for attrs, _ in page.scripts if "src" not in attrs] == ["application/ld+json"]
    assert all(attrs["src"].startswith("/archive/static/") for attrs, _ in page.scripts if "src" in attrs)
    assert json.loads(page.json_ld()[0])["name"] == HOSTILE_TITLE
    raw = file_for(out, BASE, page.url).read_text(encoding="utf-8")
    assert "alert(1)</script>" not in raw
