"""arXiv identifiers (read/arxiv.py): their shapes, arxiv.toml and notes' front matter, and
the messages a curator gets, on a copy of the tiny fixture site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.assemble.merge import merge_papers
from sitegen.assemble.site import assemble
from sitegen.core.diagnostics import Diagnostics
from sitegen.read.arxiv import shape_problem
from sitegen.read.content import load_content

TINY = Path(__file__).parent / "data" / "tiny_site" / "content"
SPEECH = "speech-tokens-at-scale"
DENOISING = "denoising-diffusion-models-for-tiny-images"


@pytest.mark.parametrize("good", ["2205.13147", "2205.13147v2", "0704.0001", "1412.9999v10", "cs/0101001",
                                  "math.GT/0309136", "hep-th/9901001v3"])
def test_new_and_old_style_identifiers_are_accepted(good):
    assert shape_problem(good) is None


@pytest.mark.parametrize("bad, says", [
    ("2205.1314", "not an arXiv identifier"),  # four digits after the dot: only until 1412
    ("1201.12345", "not an arXiv identifier"),  # five digits: only since 1501
    ("2213.13147", "not an arXiv identifier"),  # month 13
    ("2205.13147v0", "not an arXiv identifier"),
    ("cs/010100", "not an arXiv identifier"),
    ("arXiv:2205.13147", "write just '2205.13147'"),
    ("https://arxiv.org/abs/2205.13147", "write just '2205.13147'"),
    (2205.13147, "quoted string"),
])
def test_misshapen_identifiers_say_what_to_write(bad, says):
    assert says in shape_problem(bad)


def built(tmp_path: Path, bulk: str | None = None, note: str | None = None):
    content_dir = tmp_path / "content"
    shutil.copytree(TINY, content_dir)
    if bulk is not None:
        (content_dir / "arxiv.toml").write_text(bulk, encoding="utf-8")
    if note is not None:
        (content_dir / "notes" / f"{SPEECH}.md").write_text(note, encoding="utf-8")
    report = Diagnostics()
    content = load_content(content_dir, report)
    site = assemble(content, merge_papers(list(content.listings), report), report)
    return site, [str(item) for item in report.sorted()]


def test_bulk_file_and_note_attach_identifiers_with_their_category(tmp_path):
    site, messages = built(tmp_path, bulk=f'# ids\n{DENOISING} = {{ id = "2006.11239", class = "cs.LG" }}\n',
                           note='+++\ntags = ["speech"]\narxiv = "cs/0101001"\n+++\nA note.\n')
    assert messages == []
    assert (site.arxiv[DENOISING].arxiv_id, site.arxiv[DENOISING].primary_class) == ("2006.11239", "cs.LG")
    assert (site.arxiv[SPEECH].arxiv_id, site.arxiv[SPEECH].primary_class) == ("cs/0101001", "cs")
    assert len(site.arxiv) == 2


def test_a_bad_identifier_is_an_error_at_its_line(tmp_path):
    _, messages = built(tmp_path, bulk=f'# ids\n\n{DENOISING} = "2006.1123"\n')
    assert len(messages) == 1
    assert messages[0].startswith(f"{tmp_path / 'content' / 'arxiv.toml'}:3: error: '2006.1123' is not an arXiv")


def test_a_bad_identifier_in_a_note_is_an_error_at_its_key(tmp_path):
    _, messages = built(tmp_path, note='+++\ntags = ["speech"]\n\narxiv = "arXiv:2006.11239"\n+++\nA note.\n')
    assert messages == [f"{tmp_path / 'content' / 'notes' / (SPEECH + '.md')}:4: error: arXiv identifier "
                        "'arXiv:2006.11239' has extra text; write just '2006.11239'"]


def test_two_papers_with_one_identifier_get_a_warning(tmp_path):
    site, messages = built(tmp_path, bulk=f'{DENOISING} = "2006.11239v1"\n{SPEECH} = "2006.11239v2"\n')
    assert len(messages) == 1 and ":2: warning: arXiv identifier '2006.11239v2' is given to papers" in messages[0]
    assert len(site.arxiv) == 2  # both stay: the curator decides which is wrong


def test_unknown_paper_and_unknown_key_are_reported_not_raised(tmp_path):
    _, messages = built(tmp_path, bulk='no-such-paper = "2006.11239"\n'
                                       f'{DENOISING} = {{ id = "2006.11239", kind = "x" }}\n')
    assert ":1: warning: no paper has the id 'no-such-paper'" in messages[0]
    assert ":2: error: entry" in messages[1] and "`id` and `class` only" in messages[1]


def test_note_and_bulk_file_that_disagree_are_an_error(tmp_path):
    _, messages = built(tmp_path, bulk=f'{SPEECH} = "2006.11239"\n',
                        note='+++\narxiv = "2101.00001"\n+++\nA note.\n')
    assert len(messages) == 1 and ":2: error: paper 'speech-tokens-at-scale' gets arXiv identifier" in messages[0]


def test_broken_toml_is_one_line_with_its_line(tmp_path):
    _, messages = built(tmp_path, bulk='a = "1"\nb = = "2"\n')
    assert len(messages) == 1 and "arxiv.toml:2: error: not valid TOML" in messages[0]
