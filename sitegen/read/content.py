"""A content folder, read and validated: the first stage of every build.

    content/
      listings/*.txt   the dumps (required)
      site.toml        settings (optional)
      tags.toml        the topic taxonomy (optional)
      pages/*.md       pages such as about.md -> /about/
      notes/<paper-id>.md  a curator's note on one paper
      arxiv.toml       arXiv identifiers of papers, in bulk (read/arxiv.py)

Markdown files may start with TOML front matter between `+++` lines:
pages take `title`, notes take `tags` (slugs from tags.toml) and `arxiv`
(with `arxiv_class`), the paper's arXiv identifier; both take `allow_html`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from sitegen.read.controls import drop_forbidden
from sitegen.read.arxiv import ArxivRef, checked_ref, key_line, read_bulk
from sitegen.read.config import SiteConfig, load_config
from sitegen.core.diagnostics import Diagnostics
from sitegen.read.listings import Parse, inside, listing_files, read_listings
from sitegen.core.models import Listing
from sitegen.read.parser import parse_listing
from sitegen.core.slugs import slugify
from sitegen.read.taxonomy import Taxonomy, load_taxonomy

FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


class PageMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str | None = None
    description: str = ""
    allow_html: bool = False  # scripts, on*= and off-site resources are meant (check/curator_html.py)


class NoteMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    tags: tuple[str, ...] = ()
    arxiv: str | None = None
    arxiv_class: str | None = None
    allow_html: bool = False  # as in PageMeta


@dataclass(frozen=True)
class MarkdownDoc:
    source_path: Path
    slug: str
    meta: PageMeta | NoteMeta
    body: str  # Markdown source without the front matter
    body_line: int  # line of the body's first line, for messages


@dataclass(frozen=True)
class Content:
    config: SiteConfig
    taxonomy: Taxonomy
    listings: tuple[Listing, ...]
    pages: tuple[MarkdownDoc, ...]
    notes: tuple[MarkdownDoc, ...]
    arxiv: tuple[ArxivRef, ...] = ()  # from arxiv.toml, then from notes' front matter


def read_markdown(path: Path, meta_type: type[BaseModel], report: Diagnostics) -> MarkdownDoc | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        report.error(path, 0, "not valid UTF-8; re-save the file as UTF-8")
        return None
    except OSError as exc:
        report.error(path, 0, f"cannot read the file: {exc.strerror}")
        return None
    text = drop_forbidden(text, path, report)
    raw, body, body_line = {}, text, 1
    if problem := front_matter_problem(text):
        report.error(path, 1, problem)
        return None
    if match := FRONT_MATTER.match(text):
        body = text[match.end():]
        body_line = text.count("\n", 0, match.end()) + 1
        try:
            raw = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as exc:
            report.error(path, 2, f"front matter is not valid TOML: {exc}")
            return None
    try:
        meta = meta_type.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            key = ".".join(str(p) for p in error["loc"])
            known = ", ".join(meta_type.model_fields)
            problem = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
            report.error(path, 2, f"front matter key {key!r}: {problem} (known keys: {known})")
        return None
    return MarkdownDoc(source_path=path, slug=slugify(path.stem), meta=meta, body=body, body_line=body_line)


def front_matter_problem(text: str) -> str | None:
    """Why the start of a Markdown file is broken front matter, which would otherwise show as page text."""
    first = text.split("\n", 1)[0].rstrip()
    if first == "+++" and not FRONT_MATTER.match(text):
        return "front matter opened by +++ is never closed; end it with a line holding only +++"
    if first == "---":
        return ("front matter is TOML between +++ lines, not YAML between --- lines; "
                "write +++, then lines such as title = \"About\", then +++")
    return None


def read_markdown_folder(folder: Path, meta_type: type[BaseModel], report: Diagnostics) -> tuple[MarkdownDoc, ...]:
    if not folder.is_dir():
        return ()
    docs = (read_markdown(path, meta_type, report) for path in inside(folder.parent, sorted(folder.glob("*.md")), report))
    return tuple(doc for doc in docs if doc is not None)


def load_content(content_dir: Path, report: Diagnostics, base_url: str | None = None,
                 parse: Parse = parse_listing) -> Content:
    if not content_dir.is_dir():
        report.error(content_dir, 0, "content folder not found; pass --content DIR")
        return Content(SiteConfig(), Taxonomy(), (), (), ())
    config = load_config(content_dir, report, base_url)
    taxonomy = load_taxonomy(content_dir, report)
    listings = read_listings(listing_files([content_dir], report), report, parse)
    notes = read_markdown_folder(content_dir / "notes", NoteMeta, report)
    known_tags = {tag.slug for tag in taxonomy.tags}
    for note in notes:
        for tag in note.meta.tags:
            if tag not in known_tags:
                report.error(note.source_path, 2, f"unknown tag {tag!r}; add it to tags.toml or remove it from the note")
    return Content(
        config=config,
        taxonomy=taxonomy,
        listings=tuple(listings),
        pages=read_markdown_folder(content_dir / "pages", PageMeta, report),
        notes=notes,
        arxiv=read_bulk(content_dir, report) + notes_arxiv(notes, report),
    )


def notes_arxiv(notes: tuple[MarkdownDoc, ...], report: Diagnostics) -> tuple[ArxivRef, ...]:
    """The identifiers notes give in their front matter, checked, with the line of their `arxiv` key."""
    refs = []
    for note in notes:
        meta = note.meta
        if meta.arxiv is None:
            if meta.arxiv_class is not None:
                report.error(note.source_path, key_line(note.source_path.read_text(encoding="utf-8-sig"), "arxiv_class"),
                             "`arxiv_class` without `arxiv`; add the identifier or remove the category")
            continue
        line = key_line(note.source_path.read_text(encoding="utf-8-sig"), "arxiv")
        ref = checked_ref(note.slug, meta.arxiv, meta.arxiv_class, note.source_path, line, report)
        if ref is not None:
            refs.append(ref)
    return tuple(refs)
