"""`sitegen build` on small content folders: output, failure safety, determinism, escaping."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.cache.command import FOLDER as CACHE
from sitegen.core.diagnostics import BuildError

from conftest import REPO

import built_site
from built_site import LATE_DATE_DUMP, make_content, run_sitegen, snapshot

LISTING = """Daily Papers

Sparse Attention for Tiny Robots

We study sparse attention for very small robots. Our method halves the memory use. Code is at https://example.org/tiny-robots.

  • 3 authors
·
Oct 9, 2024 7

Dense Retrieval Without Labels

We propose a dense retriever trained without any labels. It matches supervised baselines on five benchmarks.

google Google
·
Oct 9, 2024 12
"""

HOSTILE_TITLE = """<script>alert("t")</script> & "q' onmouseover=alert(1) x=\""""
HOSTILE_ABSTRACT = (
    "Abstract with <img src=x onerror=alert(1)> and javascript:alert(2) and "
    'https://example.org/a"onmouseover="alert(3) and &amp; entity </textarea><!-- . '
    "A second sentence makes this read as an abstract."
)
HOSTILE = f"""Daily Papers

{HOSTILE_TITLE}

{HOSTILE_ABSTRACT}

evil<b>corp</b> "Evil" <i>Corp</i>
·
Oct 9, 2024 2
"""


def write_content(root: Path, listings: dict[str, str], extra: dict[str, str] | None = None) -> Path:
    content = root / "content"
    (content / "listings").mkdir(parents=True)
    for name, text in listings.items():
        (content / "listings" / name).write_text(text, encoding="utf-8")
    for name, text in (extra or {}).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    return content


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, cwd=REPO)


def test_build_writes_pages_a_reader_can_open(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-a.txt": LISTING})
    out = tmp_path / "public"
    run = run_cli("build", "--content", str(content), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "built" in run.stderr and "2 papers" in run.stderr
    day = (out / "days" / "2024-10-09" / "index.html").read_text()
    # Most upvoted first: Dense Retrieval (12) before Sparse Attention (7).
    assert day.index("Dense Retrieval Without Labels") < day.index("Sparse Attention for Tiny Robots")
    paper = (out / "papers" / "dense-retrieval-without-labels" / "index.html").read_text()
    assert 'href="/orgs/google/"' in paper
    assert (out / "orgs" / "google" / "index.html").is_file()
    assert (out / "listings" / "2025-11-13-a" / "index.html").is_file()
    assert "Traceback" not in run.stderr


def test_base_url_with_a_path_prefixes_every_internal_link(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-a.txt": LISTING})
    out = tmp_path / "public"
    build(BuildOptions(content_dir=content, out_dir=out, base_url="https://example.org/archive/"))
    page = (out / "papers" / "dense-retrieval-without-labels" / "index.html").read_text()
    assert 'href="/archive/days/2024-10-09/"' in page
    assert '<link rel="canonical" href="https://example.org/archive/papers/dense-retrieval-without-labels/">' in page
    assert 'href="/days/' not in page


class ElementCensus(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_markup_in_listings_is_shown_as_text_everywhere(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-evil.txt": HOSTILE})
    out = tmp_path / "public"
    build(BuildOptions(content_dir=content, out_dir=out))
    for page in out.rglob("*.html"):
        census = ElementCensus()
        census.feed(page.read_text())
        tags = {tag for tag, _ in census.elements}
        assert not tags & {"img", "b", "i", "textarea"}, page
        for tag, attrs in census.elements:
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
            assert not any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()), page
            if tag == "script":
                assert attrs.get("type") == "application/ld+json" or attrs.get("src"), page
    paper_dir = next((out / "papers").iterdir())
    html = (paper_dir / "index.html").read_text()
    census = ElementCensus()
    census.feed(html)
    text = "".join(census.text)
    assert HOSTILE_TITLE in text  # shown as the reader typed it, in the heading and <title>
    assert "&amp; entity" in text  # a literal "&amp;" stays literal
    assert "<img src=x onerror=alert(1)>" in text
    metas = {a.get("property") or a.get("name"): a.get("content") for t, a in census.elements if t == "meta"}
    assert metas["og:title"] == HOSTILE_TITLE
    assert metas["twitter:title"] == HOSTILE_TITLE
    links = [a["href"] for t, a in census.elements if t == "a" and "example.org" in a.get("href", "")]
    assert links == ["https://example.org/a"]  # the quote ends the URL; nothing leaks into attributes


def test_failed_build_leaves_previous_output_untouched(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-a.txt": LISTING})
    out = tmp_path / "public"
    build(BuildOptions(content_dir=content, out_dir=out))
    before = tree_digest(out)
    (content / "listings" / "2025-11-14-bad.txt").write_bytes(b"Title\n\nAbstract \xff\xfe broken. Second sentence.\n")
    run = run_cli("build", "--content", str(content), "--out", str(out), "--strict")
    assert run.returncode == 1
    assert "2025-11-14-bad.txt:3: error: not valid UTF-8" in run.stderr
    assert "Traceback" not in run.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE, "content", "public"]  # no staging folder left


def test_strict_build_fails_on_warnings_and_keeps_output(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-a.txt": LISTING})
    out = tmp_path / "public"
    build(BuildOptions(content_dir=content, out_dir=out))
    before = tree_digest(out)
    (content / "listings" / "2025-11-13-a.txt").write_text(LISTING.replace("Oct 9, 2024 7", "Feb 30, 2024 7"))
    with pytest.raises(BuildError) as failure:
        build(BuildOptions(content_dir=content, out_dir=out, strict=True))
    assert any("impossible date 'Feb 30, 2024 7'" in str(d) for d in failure.value.diagnostics)
    assert tree_digest(out) == before
    result = build(BuildOptions(content_dir=content, out_dir=out))  # without --strict it is a warning
    assert len(result.report.warnings) == 1
    assert (out / "days" / "undated" / "index.html").read_text().count("Sparse Attention for Tiny Robots") == 1


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-a.txt": LISTING})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    run = run_cli("build", "--content", str(content), "--out", str(precious))
    assert run.returncode == 1
    assert "not made by sitegen" in run.stderr
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_two_builds_are_byte_identical(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-a.txt": LISTING, "2025-11-20-b.txt": HOSTILE})
    first, second = tmp_path / "one", tmp_path / "two"
    build(BuildOptions(content_dir=content, out_dir=first))
    build(BuildOptions(content_dir=content, out_dir=second))
    one, two = tree_digest(first), tree_digest(second)
    # Pagefind writes its filter and metadata indexes in hash-map order (its
    # issue #638), so only their number is stable; every page, asset, word
    # index chunk and result fragment is byte for byte the same.
    unstable = re.compile(r"pagefind/(filter/.*|pagefind\..*\.pf_meta|pagefind-entry\.json)$")
    assert {k: v for k, v in one.items() if not unstable.match(k)} == {k: v for k, v in two.items() if not unstable.match(k)}
    assert sum(1 for k in one if unstable.match(k)) == sum(1 for k in two if unstable.match(k)) >= 2
    assert {"feed.xml", "sitemap.xml", "robots.txt", "papers.json", "index.html"} <= one.keys()


def test_a_page_that_would_overwrite_another_is_an_error_before_writing(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-a.txt": LISTING}, {"pages/search.md": "# My search\n"})
    out = tmp_path / "public"
    run = run_cli("build", "--content", str(content), "--out", str(out))
    assert run.returncode == 1
    assert "pages/search.md: error: page 'search' would write search/index.html, which the search page writes already" in run.stderr
    assert not out.exists()


# Outputs beside the pages: feeds, sitemap, JSON, hashed assets.


def test_a_strict_build_with_a_warning_fails_and_leaves_the_published_site_as_it_was(tmp_path):
    content = make_content(tmp_path)
    out = built_site.build(content, tmp_path / "public", "--strict")
    before = snapshot(out)
    broken = content / "listings" / "2025-11-13-late.txt"
    broken.write_text(LATE_DATE_DUMP, encoding="utf-8")

    result = run_sitegen("build", "--content", content, "--out", out, "--strict")
    assert result.returncode == 1
    assert f"{broken}:9: warning: date 'Nov 14, 2025 3' is after the listing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE, "content", "public"], "no staging folder left behind"

    # Without --strict the same content builds: it was the warning that stopped the deploy.
    assert run_sitegen("build", "--content", content, "--out", out).returncode == 0
    assert snapshot(out) != before


def test_stylesheet_and_script_names_carry_a_hash_of_their_content(tmp_path):
    out = built_site.build(make_content(tmp_path), tmp_path / "out")
    home = (out / "index.html").read_text(encoding="utf-8")
    search = (out / "search" / "index.html").read_text(encoding="utf-8")
    css = re.search(r'<link rel="stylesheet" href="/static/(style\.([0-9a-f]{10})\.css)">', home)
    search_css = re.search(r'<link rel="stylesheet" href="/static/(search\.([0-9a-f]{10})\.css)">', search)
    js = re.search(r'<script src="/static/(search\.([0-9a-f]{10})\.js)"', search)
    for match in (css, search_css, js):
        assert match, "the page loads a hashed file"
        data = (out / "static" / match.group(1)).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:10] == match.group(2)


def test_a_missing_theme_is_one_clear_error(tmp_path):
    content = write_content(tmp_path, {"2025-11-13-a.txt": LISTING})
    with pytest.raises(BuildError) as failure:
        build(BuildOptions(content_dir=content, out_dir=tmp_path / "out", templates_dir=tmp_path / "nowhere"))
    assert str(failure.value) == (f"{tmp_path / 'nowhere' / 'base.html'}: error: theme file not found; sitegen reads "
                                  "templates/ and static/ from its project folder, so install it from a checkout "
                                  "with `pip install -e .`")
    assert not (tmp_path / "out").exists()
