"""arXiv identifiers a curator attaches to papers: from a note's front matter
(`arxiv = "2205.13147"`, optionally `arxiv_class = "cs.CL"`) or in bulk from
`content/arxiv.toml`, one line per paper:

    # paper id (its URL slug) = arXiv identifier
    flashattention-fast-and-memory-efficient-exact-attention = "2205.13147"
    some-older-paper = { id = "cs/0101001" }
    a-language-paper = { id = "2401.00001v2", class = "cs.CL" }

The listings never carry the identifier, so this is the only place it comes
from. Shapes are checked here, with the line of the offending entry; which
paper each belongs to is settled in assemble/site.py, once the papers are known.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import Field

from sitegen.core.diagnostics import Diagnostics
from sitegen.core.models import Frozen

BULK_FILE = "arxiv.toml"
# New style (April 2007 on): YYMM.NNNN until 2014, YYMM.NNNNN since; old style: archive[.SUB]/YYMMNNN.
NEW_STYLE = re.compile(r"(?:0[7-9]|[1-9][0-9])(?:0[1-9]|1[0-2])\.[0-9]{4,5}(?:v[1-9][0-9]*)?")
OLD_STYLE = re.compile(r"([a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?)/[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{3}(?:v[1-9][0-9]*)?")
CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2,})?")
SHAPES = "new style YYMM.NNNNN (e.g. 2205.13147 or 2205.13147v2) or old style archive/YYMMNNN (e.g. cs/0101001)"


class ArxivRef(Frozen):
    """One paper's arXiv identifier, and where the curator wrote it."""

    paper_id: str = Field(min_length=1)
    arxiv_id: str = Field(min_length=1)
    primary_class: str | None = None  # old-style identifiers name their archive; new-style ones only if told
    source_path: str
    line: int = Field(ge=0)

    @property
    def unversioned(self) -> str:
        """The identifier without `vN`: two versions of one paper are still one paper."""
        return re.sub(r"v[0-9]+$", "", self.arxiv_id)


def right_length(new_style: str) -> bool:
    """Four digits after the dot until December 2014, five since January 2015."""
    month, _, number = new_style.partition(".")
    return len(number.partition("v")[0]) == (5 if month >= "1501" else 4)


def shape_problem(arxiv_id: object) -> str | None:
    """None for a well-formed identifier, else what is wrong and what to write instead."""
    if not isinstance(arxiv_id, str):
        return f"an arXiv identifier is a quoted string, not {type(arxiv_id).__name__}; write it as \"2205.13147\""
    if OLD_STYLE.fullmatch(arxiv_id) or (NEW_STYLE.fullmatch(arxiv_id) and right_length(arxiv_id)):
        return None
    bare = re.sub(r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)", "", arxiv_id.strip(), flags=re.IGNORECASE)
    bare = bare.removesuffix(".pdf")
    if bare != arxiv_id and (NEW_STYLE.fullmatch(bare) or OLD_STYLE.fullmatch(bare)):
        return f"arXiv identifier {arxiv_id!r} has extra text; write just {bare!r}"
    return f"{arxiv_id!r} is not an arXiv identifier; write the {SHAPES}"


def class_problem(primary_class: object) -> str | None:
    if isinstance(primary_class, str) and CATEGORY.fullmatch(primary_class):
        return None
    return f"arXiv category {primary_class!r} is not one; write it as arXiv does, e.g. \"cs.CL\" or \"hep-th\""


def primary_class_of(arxiv_id: str, given: str | None) -> str | None:
    """The category the curator gave, else the archive an old-style identifier names."""
    if given:
        return given
    old = OLD_STYLE.fullmatch(arxiv_id)
    return old.group(1) if old else None


def key_line(text: str, key: str, first_line: int = 1) -> int:
    """The line where `key = ...` stands in TOML `text` (which starts at `first_line`), or `first_line`."""
    pattern = re.compile(rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')[ \t]*=", re.MULTILINE)
    found = pattern.search(text)
    return first_line + text.count("\n", 0, found.start()) if found else first_line


def checked_ref(paper_id: str, value: object, primary_class: object, path: Path, line: int,
                report: Diagnostics) -> ArxivRef | None:
    problem = shape_problem(value) or (class_problem(primary_class) if primary_class is not None else None)
    if problem:
        report.error(path, line, problem)
        return None
    return ArxivRef(paper_id=paper_id, arxiv_id=value, source_path=str(path), line=line,
                    primary_class=primary_class_of(value, primary_class))


def read_bulk(content_dir: Path, report: Diagnostics) -> tuple[ArxivRef, ...]:
    """The entries of `content/arxiv.toml`, each checked; a missing file is no problem."""
    path = content_dir / BULK_FILE
    if not path.is_file():
        return ()
    try:
        text = path.read_text(encoding="utf-8-sig")
        table = tomllib.loads(text)
    except UnicodeDecodeError:
        report.error(path, 0, "not valid UTF-8; re-save the file as UTF-8")
        return ()
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        report.error(path, int(line.group(1)) if line else 0, f"not valid TOML: {exc}; write one `paper-id = \"2205.13147\"` per line")
        return ()
    refs = []
    for paper_id, value in table.items():
        line = key_line(text, paper_id)
        primary_class = None
        if isinstance(value, dict):
            unknown = sorted(set(value) - {"id", "class"})
            if unknown or "id" not in value:
                report.error(path, line, f"entry {paper_id!r} takes the keys `id` and `class` only, and needs `id`"
                                         f" (found: {', '.join(sorted(value)) or 'none'})")
                continue
            value, primary_class = value["id"], value.get("class")
        ref = checked_ref(paper_id, value, primary_class, path, line, report)
        if ref is not None:
            refs.append(ref)
    return tuple(refs)


def resolve(refs: tuple[ArxivRef, ...], paper_ids: dict, report: Diagnostics) -> dict[str, ArxivRef]:
    """Paper id -> its identifier. A note's front matter overrides arxiv.toml when both agree;
    when they disagree it is an error, and two papers given one identifier is a warning."""
    chosen: dict[str, ArxivRef] = {}
    for ref in refs:
        if ref.paper_id not in paper_ids:
            if Path(ref.source_path).name == BULK_FILE:  # a note for no paper is reported where notes are matched
                report.warn(ref.source_path, ref.line, f"no paper has the id {ref.paper_id!r}; use a paper's id "
                                                        f"(the last part of its URL, /papers/<id>/)")
            continue
        earlier = chosen.get(ref.paper_id)
        if earlier is not None and earlier.unversioned != ref.unversioned:
            report.error(ref.source_path, ref.line,
                         f"paper {ref.paper_id!r} gets arXiv identifier {ref.arxiv_id!r} here but {earlier.arxiv_id!r} "
                         f"at {earlier.source_path}:{earlier.line}; keep the right one")
            continue
        chosen[ref.paper_id] = ref
    owners: dict[str, ArxivRef] = {}
    for paper_id in sorted(chosen):
        ref = chosen[paper_id]
        owner = owners.setdefault(ref.unversioned, ref)
        if owner is not ref:
            report.warn(ref.source_path, ref.line,
                        f"arXiv identifier {ref.arxiv_id!r} is given to papers {owner.paper_id!r} "
                        f"({owner.source_path}:{owner.line}) and {paper_id!r}; fix the wrong one")
    return chosen
