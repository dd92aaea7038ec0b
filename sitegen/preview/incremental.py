"""What one build hands the next in the same process, so a rebuild redoes less.

`sitegen serve` is one long-lived process that rebuilds after every edit.
Two things carry over between its builds, each checked, never assumed:

- listings: a dump whose path and bytes are unchanged is not parsed
  again; its warnings are replayed, so every build reports the same problems;
- pages: a page whose planned inputs (template name, meta, view), shared
  chrome and template files all equal those of the build now in the output
  folder is hard-linked from there instead of rendered. Rendering is a pure
  function of exactly these inputs, and the view structs are frozen
  dataclasses that compare by value.

Merging, the site graph and the page plan are computed in full, from parts
kept where their inputs are the same objects as last time: each title's
papers (assemble/merge.py's MergeMemo), each text's tags and related papers
(preview/text_memo.py), each paper's card, view and planned page (preview/replan.py), each
feed, export and sitemap (preview/memo.py), so an unchanged page is the very
object of the last plan and costs an identity check, and an unchanged feed
is the very bytes object written last time and is not looked at.

When the output folder still holds the previous build of this cache and the
templates and shared chrome are unchanged, a rebuild need not copy the site
at all: `update_in_place` renders the changed pages into memory (a template
error stops it before anything is written, so the last good site stays), then
writes only the files whose bytes differ, each replaced atomically, and
removes the files the site no longer has.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from sitegen.read.content import Content, MarkdownDoc
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.assemble.merge import MergeMemo
from sitegen.core.models import Listing, Paper
from sitegen.read.parser import parse_listing
from sitegen.plan.outputs import PlannedFile
from sitegen.plan.planner import Assets, Plan, PlannedPage, Planner
from sitegen.write.render import make_environment, render_to_memory
from sitegen.preview.replan import PlanMemo
from sitegen.assemble.members import Members, Tags
from sitegen.assemble.site import Site, TagsAndRelated, TextPasses
from sitegen.preview.text_memo import TextMemo
from sitegen.plan.views import Chrome
from sitegen.write.writer import MARKER, Staging, holds

IN_PLACE_LIMIT = 2_000  # changed pages; more are rendered in parallel into a fresh folder instead


@dataclass(frozen=True)
class Parsed:
    data: bytes  # the file's bytes: comparing them costs less than hashing them
    listing: Listing | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Rendered:
    """The inputs of every page in an output folder."""

    out_dir: Path
    templates: bytes  # digest of the template files
    chrome: Chrome
    pages: dict[str, PlannedPage]  # by output path
    # The other files written (feeds, exports, static), with their bytes where known: a file
    # whose bytes come back as the very object written last (preview/memo.py) is not looked at again.
    files: dict[str, bytes | None] = field(default_factory=dict)


def same(before: PlannedPage | None, now: PlannedPage) -> bool:
    """Whether a page's inputs are unchanged: the same object (preview/replan.py), else equal field by field."""
    return before is now or before == now


def write_if_changed(path: Path, data: bytes, compare: bool = True) -> bool:
    """Replace `path` with `data` in one atomic step, unless (`compare`) it holds those bytes already."""
    if compare and holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.sitegen-new")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def templates_digest(templates_dir: Path) -> bytes:
    digest = hashlib.sha256()
    for path in sorted(p for p in templates_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


class BuildCache:
    """Handed to `build()` by a caller that builds the same site again and again."""

    def __init__(self) -> None:
        self.parsed: dict[str, Parsed] = {}
        self.seen: set[str] = set()  # listings read since the last commit
        self.rendered: Rendered | None = None  # what the output folder holds
        self.pending: Rendered | None = None  # what the build in progress will put there
        self.reused = 0  # pages linked by the last build, for its caller's report
        self.replaced: list[Path] = []  # sites swapped out, for the caller to remove when it suits it
        self.templates: tuple[bytes, Environment] | None = None  # compiling them costs more than a small rebuild
        self.merging = MergeMemo()
        self.texts = TextMemo()
        self.members = Members()
        self.plans = PlanMemo()
        # A quick rebuild reuses the last exact related papers where it can (preview/text_memo.py) and
        # does not look for output files deleted by hand; while `exact` is False, the caller
        # follows it with an exact one.
        self.quick = False
        self.exact = True  # whether the last good build's related papers were exact
        self.in_place = False  # whether it updated the output in place (else its feeds, exports and
        # sitemap were made in render processes, and the next in-place update makes them all again)
        self.written = 0  # files the last good build wrote or removed

    def planning(self, site: Site, assets: Assets) -> tuple[Callable[..., Planner], Callable[..., list[PlannedFile]]]:
        """The planner and `files_of` for `plan_site`: they reuse what the last plans made (preview/replan.py)."""
        return self.plans.begin(site, assets)

    def text_passes(self, content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc]) -> TagsAndRelated:
        return self.texts.passes(content, papers, notes, self.quick)

    def assembling(self) -> tuple[TextPasses, Callable[[list[Paper], Tags], Members]]:
        """`passes` and `grouping` for `assemble`: they reuse the last build's (preview/text_memo.py, assemble/members.py)."""
        return self.text_passes, self.members.update_to

    def parse(self, data: bytes, source_path: Path, report: Diagnostics) -> Listing | None:
        """`parse_listing`, skipped when this file's bytes were parsed before."""
        key = str(source_path)
        self.seen.add(key)
        parsed = self.parsed.get(key)
        if parsed is None or parsed.data != data:
            own = Diagnostics()
            parsed = self.parsed[key] = Parsed(data, parse_listing(data, source_path, own), tuple(own.items))
        report.items.extend(parsed.diagnostics)
        return parsed.listing

    def link_unchanged(self, plan: Plan, templates_dir: Path, staging: Staging) -> list[PlannedPage]:
        """Link every unchanged page into `staging`; return the pages still to render."""
        before = self.rendered
        now = self.pending = Rendered(staging.out_dir, templates_digest(templates_dir), plan.chrome,
                                      {page.output_path: page for page in plan.pages},
                                      dict.fromkeys(planned.output_path for planned in plan.files))
        self.reused = 0
        if before is None or (before.out_dir, before.templates, before.chrome) != (now.out_dir, now.templates, now.chrome):
            return plan.pages
        todo = []
        for page in plan.pages:
            if same(before.pages.get(page.output_path), page) and staging.link(page.output_path, now.out_dir / page.output_path):
                self.reused += 1
            else:
                todo.append(page)
        return todo

    def environment(self, templates_dir: Path) -> Environment:
        """The Jinja environment, compiled templates and all, kept while the template files are unchanged."""
        digest = templates_digest(templates_dir)
        if self.templates is None or self.templates[0] != digest:
            self.templates = (digest, make_environment(templates_dir))
        return self.templates[1]

    def update_in_place(self, plan: Plan, templates_dir: Path, env: Environment, statics: dict[str, bytes],
                        out_dir: Path) -> bool:
        """Bring the previous output up to date where it is; False (nothing done) where it cannot."""
        before, out_dir = self.rendered, out_dir.resolve()
        if before is None or before.out_dir != out_dir or not (out_dir / MARKER).is_file():
            return False
        if (before.templates, before.chrome) != (templates_digest(templates_dir), plan.chrome):
            return False  # every page changes: render them all, in parallel, into a fresh folder
        known = before.pages
        todo = [page for page in plan.pages if not same(known.get(page.output_path), page)]
        if not self.quick:  # a page deleted by hand is written again; a quick rebuild leaves that to the exact one
            root, changed = str(out_dir), {page.output_path for page in todo}
            todo += [page for page in plan.pages
                     if page.output_path not in changed and not os.path.exists(os.path.join(root, page.output_path))]
        if len(todo) > IN_PLACE_LIMIT:
            return False
        outputs = render_to_memory(env, todo, plan.chrome)  # raises before anything is written
        files = {f"static/{name}": data for name, data in statics.items()}
        files.update((planned.output_path, planned.render()) for planned in plan.files)
        written = sum(write_if_changed(out_dir / relative, data) for relative, data in outputs.items())
        for relative, data in files.items():
            last = before.files.get(relative)
            if not self.quick:  # an exact build looks at every file
                written += write_if_changed(out_dir / relative, data)
            elif last is not data:  # else it is the very bytes object written last time (preview/memo.py)
                # Bytes that differ from those written last need not be compared with the disk's.
                written += write_if_changed(out_dir / relative, data, compare=last is None or last == data)
        pages = {page.output_path: page for page in plan.pages}
        for relative in (set(before.pages) | set(before.files)) - set(pages) - set(files):
            (out_dir / relative).unlink(missing_ok=True)  # a paper or file the site no longer has
            written += 1
        self.rendered = Rendered(out_dir, before.templates, plan.chrome, pages, files)
        self.written, self.exact, self.in_place = written, self.texts.settled, True
        self.reused = len(plan.pages) - len(todo)
        self.forget_unseen()
        return True

    def forget_unseen(self) -> None:
        """A build succeeded: drop what it did not use."""
        self.plans.done()
        self.parsed = {key: self.parsed[key] for key in self.seen if key in self.parsed}
        self.seen = set()

    def committed(self, replaced: Path) -> None:
        """The build swapped its output in: its pages are now the ones to compare against."""
        self.rendered, self.pending = self.pending, None
        self.written, self.exact = len(self.rendered.pages) + len(self.rendered.files), self.texts.settled
        self.in_place = False
        self.forget_unseen()
        if replaced.exists():  # not after the first build, which had nothing to replace
            self.replaced.append(replaced)

    def take_replaced(self) -> list[Path]:
        """The sites swapped out since the last call: the caller removes them."""
        taken, self.replaced = self.replaced, []
        return taken
