"""BibTeX (plan/bibtex.py): escaping, keys and fields of one entry, and every bulk file
of a built site read back by a real BibTeX parser (bibtexparser) with every title
decoded by a LaTeX-to-text converter (pylatexenc) to the title on the site."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from sitegen.build import BuildOptions, build
from sitegen.core.models import Org, Paper, SeenIn
from sitegen.plan.bibtex import entry, latex_escape
from sitegen.read.arxiv import ArxivRef

from conftest import SHIPPED_CONTENT
from hostile import TITLES as HTML_TITLES

# Titles with every LaTeX special character, TeX ligatures, and text that looks like BibTeX.
LATEX_TITLES = [
    r"50% of {Unbalanced} braces} cost $5 & more #1 in C:\temp_dir ^_^ ~approx",
    "Dashes -- and --- ``quotes'' ?` !` <less> than | pipes",
    'An @misc{evil, title = {x}} entry and a "quoted" word, ünïcödé 中文 keys',
]


def paper(**changes) -> Paper:
    fields = dict(id="a-paper", title="A Paper", abstract="Text.", date=dt.date(2024, 10, 10), upvotes=3,
                  authors=7, org=None, seen_in=(SeenIn(listing="l", line=1),))
    return Paper(**{**fields, **changes})


def latex_to_text() -> LatexNodes2Text:
    """pylatexenc, told what LaTeX's text-symbol commands print (it lacks some of them)."""
    context = get_default_latex_context_db()
    context.add_context_category("text-symbols", prepend=True, macros=[
        MacroTextSpec(name, simplify_repl=char) for name, char in [
            ("textbackslash", "\\"), ("textbraceleft", "{"), ("textbraceright", "}"), ("textasciicircum", "^"),
            ("textasciitilde", "~"), ("textless", "<"), ("textgreater", ">"), ("textbar", "|")]])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


@pytest.mark.parametrize("char, latex", [
    ("\\", r"\textbackslash{}"), ("{", r"\textbraceleft{}"), ("}", r"\textbraceright{}"), ("$", r"\$"),
    ("&", r"\&"), ("#", r"\#"), ("%", r"\%"), ("_", r"\_"), ("^", r"\textasciicircum{}"),
    ("~", r"\textasciitilde{}"), ("<", r"\textless{}"), (">", r"\textgreater{}"), ("|", r"\textbar{}"),
])
def test_each_special_character_is_escaped(char, latex):
    assert latex_escape(f"a{char}b") == f"a{latex}b"


def test_ligatures_are_broken_and_whitespace_is_one_space():
    assert latex_escape("A -- B\n  ``C''") == "A -{}- B `{}`C'{}'"
    assert latex_escape("ünïcödé 中文") == "ünïcödé 中文"
    assert latex_escape("What?`s new !`x' -") == "What?{}`s new !{}`x' -"  # TeX prints ?` as ¿ and !` as ¡


def test_an_entry_says_only_what_the_archive_knows():
    text = entry(paper(), "https://example.org/papers/a-paper/", None)
    assert text.startswith("@misc{a-paper,\n  title = {{A Paper}},\n  year = {2024},\n")
    assert "url = {https://example.org/papers/a-paper/}" in text
    assert "note = {7 authors, names not recorded in the archive; featured in Daily Papers on 2024-10-10}" in text
    assert "author =" not in text and "eprint" not in text


def test_an_entry_with_an_arxiv_identifier_carries_eprint_and_class():
    ref = ArxivRef(paper_id="a-paper", arxiv_id="2205.13147v2", primary_class="cs.LG", source_path="x", line=1)
    text = entry(paper(authors=None, date=None, org=Org(handle="g", name="G & Co")), "https://e.org/p/", ref)
    assert "  eprint = {2205.13147v2},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.LG},\n" in text
    assert "url = {https://arxiv.org/abs/2205.13147v2}" in text
    assert "note = {Authors not recorded in the archive; posted by G \\& Co}" in text
    assert "year" not in text


@pytest.fixture(scope="module")
def latex_site(tmp_path_factory) -> Path:
    """The shipped listings plus a listing of LaTeX- and HTML-hostile titles, with arXiv identifiers."""
    root = tmp_path_factory.mktemp("bibtex")
    content = root / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    blocks = "".join(f"{title}\n\nAbstract number {n} about language models.\n\n{n + 2} authors\n·\nNov 1{n}, 2025 {n}\n\n"
                     for n, title in enumerate(LATEX_TITLES + HTML_TITLES))
    (content / "listings" / "2025-11-20-latex.txt").write_text(f"Daily Papers\n\nNov 20\n\n{blocks}", encoding="utf-8")
    (content / "arxiv.toml").write_text('pointer-networks = "1506.03134"\nsesa-supervised-explicit-semantic-analysis'
                                        ' = { id = "cs/0101001v2" }\n', encoding="utf-8")
    out = root / "public"
    build(BuildOptions(content_dir=content, out_dir=out, strict=True, search=False))
    return out


def parsed(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))  # field values without their braces
    assert library.failed_blocks == [], path
    keys = [item.key for item in library.entries]
    assert len(keys) == len(set(keys)), f"{path}: duplicate keys"
    return {item.key: {name: field.value for name, field in item.fields_dict.items()} for item in library.entries}


def test_every_bulk_file_parses_and_round_trips_every_title(latex_site):
    papers = json.loads((latex_site / "papers.json").read_text(encoding="utf-8"))["papers"]
    titles = {record["id"]: record["title"] for record in papers}
    for title in LATEX_TITLES + HTML_TITLES:
        assert title in titles.values()
    decode = latex_to_text()
    files = sorted(latex_site.rglob("*.bib"))
    assert len(files) > 100  # the archive's, one per day and one per tag
    for path in files:
        for key, fields in parsed(path).items():
            assert decode.latex_to_text(fields["title"]) == " ".join(titles[key].split()), (path, key)
            assert "author" not in fields
    everything = parsed(latex_site / "papers.bib")
    assert list(everything) == sorted(titles)  # every paper, in id order, keyed by its id
    assert everything["pointer-networks"]["eprint"] == "1506.03134"
    assert everything["sesa-supervised-explicit-semantic-analysis"]["primaryClass"] == "cs"


def test_day_and_tag_files_hold_their_pages_papers(latex_site):
    day = json.loads((latex_site / "days" / "2025-11-10" / "papers.json").read_text(encoding="utf-8"))
    assert list(parsed(latex_site / "days" / "2025-11-10" / "papers.bib")) == [p["id"] for p in day["papers"]]
    tag_files = sorted((latex_site / "tags").glob("*/papers.bib"))
    assert tag_files and all(parsed(path) for path in tag_files)
