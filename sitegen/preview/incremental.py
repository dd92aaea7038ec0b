"""The preview's `Reuse` (sitegen/reuse.py): what one build hands the next in the same process.

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
papers (memo/merge_memo.py), each text's tags and related papers
(memo/text_memo.py), each paper's card, view and planned page (preview/replan.py), each
feed, export and sitemap (memo/memo.py), so an unchanged page is the very
object of the last plan and costs an identity check, and an unchanged feed
is the very bytes object written last time and is not looked at.

A quick rebuild that changed a title or an abstract is followed by an exact
one anyway (its related papers are the last exact ones): it leaves the files
beside the pages (feeds, exports, sitemaps, papers' JSON, social cards) as the
last build planned them, and the exact rebuild makes them. At 10,000 papers
they were half of a quick rebuild's time, and the reader sees the pages.

When the output folder still holds the previous build of this cache and the
templates and shared chrome are unchanged, a rebuild need not copy the site
at all: `update` renders the changed pages into memory (a template
error stops it before anything is written, so the last good site stays), then
writes only the files whose bytes differ, each replaced atomically, and
removes the files the site no longer has.
"""

from __future__ import annotations

import os
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from sitegen.read.content import Content, MarkdownDoc
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.models import Listing, Paper
from sitegen.plan.outputs import PlannedFile
from sitegen.plan.planner import Assets, Plan, PlannedPage
from sitegen.plan.urls import Urls
from sitegen.memo.merge_memo import MergeMemo
from sitegen.reuse import Assemble, IndexShards, MakeEnvironment, Merge, Mode, Output, Parse, PlanSite
from sitegen.write.render import render_to_memory
from sitegen.write.template_files import templates_digest
from sitegen.preview.replan import PlanMemo
from sitegen.assemble.members import Members
from sitegen.assemble.site import Site, TagsAndRelated
from sitegen.memo.text_memo import TextMemo
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
    # whose bytes come back as the very object written last (memo/memo.py) is not looked at again.
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


class MemoryReuse:
    """The `Reuse` of a caller that builds the same site again and again, in memory."""

    def __init__(self) -> None:
        self.parsed: dict[str, Parsed] = {}
        self.seen: set[str] = set()  # listings read since the last commit
        self.rendered: Rendered | None = None  # what the output folder holds
        self.pending: Rendered | None = None  # what the build in progress will put there
        self.templates: tuple[bytes, Environment] | None = None  # compiling them costs more than a small rebuild
        self.merging = MergeMemo()
        self.texts = TextMemo()
        self.members = Members()
        self.plans = PlanMemo()
        self.quick = False  # whether the build in progress is a quick one
        self.files: list[PlannedFile] | None = None  # the files of the last build that succeeded: a quick rebuild may leave them
        self.planned_files: list[PlannedFile] | None = None  # the files of the build in progress
        self.files_left = False  # whether the build in progress left the last ones as they were

    def parse(self, parse: Parse) -> Parse:
        """`parse`, skipped when a file's bytes were parsed before; its warnings are replayed."""
        def remembering(data: bytes, source_path: Path, report: Diagnostics) -> Listing | None:
            key = str(source_path)
            self.seen.add(key)
            parsed = self.parsed.get(key)
            if parsed is None or parsed.data != data:
                own = Diagnostics()
                parsed = self.parsed[key] = Parsed(data, parse(data, source_path, own), tuple(own.items))
            report.items.extend(parsed.diagnostics)
            return parsed.listing
        return remembering

    def merge(self, merge: Merge) -> Merge:
        return self.merging.wrap(merge)

    def assemble(self, assemble: Assemble, mode: Mode) -> Assemble:
        """`assemble` with text passes and grouping that reuse the last build's (memo/text_memo.py,
        assemble/members.py); a quick rebuild may reuse the last exact related papers."""
        quick = self.quick = mode is Mode.QUICK

        def passes(content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc]) -> TagsAndRelated:
            return self.texts.passes(content, papers, notes, quick)
        return partial(assemble, passes=passes, grouping=self.members.update_to)  # type: ignore[return-value]

    def exact(self) -> bool:
        return self.texts.settled

    def index(self, index_shards: IndexShards) -> IndexShards:
        return index_shards  # the preview builds without the index (preview/live_search.py indexes behind it)

    def plan(self, plan: PlanSite) -> PlanSite:
        """`plan` with the planner's steps and `files_of` that reuse what the last plans made (preview/replan.py);
        a quick rebuild whose related papers are not exact keeps the last plan's files (the module says why)."""
        def remembering(site: Site, urls: Urls, assets: Assets) -> Plan:
            steps, files_of = self.plans.begin(site, assets)
            self.files_left = self.quick and not self.texts.settled and self.files is not None
            if self.files_left:
                files_of = self.last_files
            made = plan(site, urls, assets, steps=steps, files_of=files_of)  # type: ignore[call-arg]
            self.planned_files = made.files
            return made
        return remembering

    def last_files(self, *args, **kwargs) -> list[PlannedFile]:
        assert self.files is not None
        return self.files

    def environment(self, make: MakeEnvironment) -> MakeEnvironment:
        """The Jinja environment, compiled templates and all, kept while the template files are unchanged."""
        def remembering(templates_dir: Path) -> Environment:
            digest = templates_digest(templates_dir)
            if self.templates is None or self.templates[0] != digest:
                self.templates = (digest, make(templates_dir))
            return self.templates[1]
        return remembering

    def unchanged(self, plan: Plan, templates_dir: Path, staging: Staging) -> tuple[list[PlannedPage], list[PlannedFile]]:
        """Link every unchanged page into `staging`; return the pages still to render, and every file
        (the staging folder links those whose bytes are the same: write/writer.py)."""
        before = self.rendered
        now = self.pending = Rendered(staging.out_dir, templates_digest(templates_dir), plan.chrome,
                                      {page.output_path: page for page in plan.pages},
                                      dict.fromkeys(planned.output_path for planned in plan.files))
        if before is None or (before.out_dir, before.templates, before.chrome) != (now.out_dir, now.templates, now.chrome):
            return plan.pages, plan.files
        return [page for page in plan.pages
                if not (same(before.pages.get(page.output_path), page)
                        and staging.link(page.output_path, now.out_dir / page.output_path))], plan.files

    def update(self, plan: Plan, templates_dir: Path, env: Environment, statics: dict[str, bytes], out_dir: Path,
               mode: Mode) -> Output | None:
        """Bring the previous output up to date where it is; None (nothing done) where it cannot."""
        quick = mode is Mode.QUICK
        before, out_dir = self.rendered, out_dir.resolve()
        if before is None or before.out_dir != out_dir or not (out_dir / MARKER).is_file():
            return None
        if (before.templates, before.chrome) != (templates_digest(templates_dir), plan.chrome):
            return None  # every page changes: render them all, in parallel, into a fresh folder
        known = before.pages
        todo = [page for page in plan.pages if not same(known.get(page.output_path), page)]
        if not quick:  # a page deleted by hand is written again; a quick rebuild leaves that to the exact one
            root, changed = str(out_dir), {page.output_path for page in todo}
            todo += [page for page in plan.pages
                     if page.output_path not in changed and not os.path.exists(os.path.join(root, page.output_path))]
        if len(todo) > IN_PLACE_LIMIT:
            return None
        outputs = render_to_memory(env, todo, plan.chrome)  # raises before anything is written
        files = {f"static/{name}": data for name, data in statics.items()}
        if self.files_left:  # as the last build wrote them (the exact rebuild that follows makes them)
            files = {**before.files, **files}
        else:
            files.update((planned.output_path, planned.render()) for planned in plan.files)
        written = sum(write_if_changed(out_dir / relative, data) for relative, data in outputs.items())
        for relative, data in files.items():
            last = before.files.get(relative)
            if not quick:  # an exact build looks at every file
                written += write_if_changed(out_dir / relative, data)
            elif last is not data:  # else it is the very bytes object written last time (memo/memo.py)
                # Bytes that differ from those written last need not be compared with the disk's.
                written += write_if_changed(out_dir / relative, data, compare=last is None or last == data)
        pages = {page.output_path: page for page in plan.pages}
        for relative in (set(before.pages) | set(before.files)) - set(pages) - set(files):
            (out_dir / relative).unlink(missing_ok=True)  # a paper or file the site no longer has
            written += 1
        self.rendered = Rendered(out_dir, before.templates, plan.chrome, pages, files)
        self.forget_unseen()
        return Output(written=written, reused=len(plan.pages) - len(todo), in_place=True)

    def forget_unseen(self) -> None:
        """A build succeeded: drop what it did not use."""
        self.plans.done(files_made=not self.files_left)
        self.files = self.planned_files
        self.parsed = {key: self.parsed[key] for key in self.seen if key in self.parsed}
        self.seen = set()

    def committed(self, plan: Plan) -> None:
        """The build swapped its output in: its pages are now the ones to compare against."""
        self.rendered, self.pending = self.pending, None
        self.forget_unseen()
