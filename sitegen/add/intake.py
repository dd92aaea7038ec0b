"""Take dumps into a content folder's archive, one after the other, each against the archive as it stands.

A dump is read exactly as a build will read its copy: parsed by the build's
parser under the copy's name (so its save date and listing id are the build's),
then merged and assembled with every listing already there. Its problems are
the build's, pointed at the file the curator named. Nothing is written until
every dump has been taken in without an error, so a refused dump leaves the
folder as it was; `dry_run` writes nothing at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from sitegen.add import naming, store
from sitegen.add.brings import Brings, compare
from sitegen.assemble.merge import merge_papers
from sitegen.assemble.site import Site, TagsAndRelated, assemble
from sitegen.core.diagnostics import Diagnostic, Diagnostics
from sitegen.core.models import Listing, Paper
from sitegen.memo.merge_memo import MergeMemo
from sitegen.memo.text_memo import TextMemo
from sitegen.read.content import Content, load_content
from sitegen.read.listings import listing_files, parse_ahead
from sitegen.read.parser import parse_listing

# "would add": taken in, but not written (a dry run, or another dump was refused)
Status = Literal["added", "would add", "skipped", "refused"]


class Intake(BaseModel):
    """What became of one dump named on the command line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    status: Status
    listing: str | None = None  # the copy in listings/ (written, or to be written)
    saved_on: dt.date | None = None
    saved_from: str | None = None
    same_as: str | None = None  # the listing with the very same bytes, when skipped
    problems: tuple[str, ...] = ()
    brings: Brings | None = None


@dataclasses.dataclass
class Archive:
    """The content folder as it stands, with the dumps taken in so far (in memory until written).

    Each dump is merged and tagged with the memos `sitegen serve` uses, so
    only its own titles are merged again and only new texts are tagged; the
    results are what a fresh merge and tagging give.
    """

    content: Content
    digests: dict[bytes, str]  # sha256 of a listing's bytes -> its path
    merging: MergeMemo = dataclasses.field(default_factory=MergeMemo)
    texts: TextMemo = dataclasses.field(default_factory=TextMemo)
    site: Site | None = None
    merge_problems: set[Diagnostic] = dataclasses.field(default_factory=set)

    @classmethod
    def load(cls, content_dir: Path) -> Archive:
        # The archive's own problems are `sitegen check`'s to report; here only the new dumps' count.
        files = listing_files([content_dir], Diagnostics())
        content = load_content(content_dir, Diagnostics(), parse=parse_ahead(files))
        digests = {hashlib.sha256(Path(listing.source_path).read_bytes()).digest(): listing.source_path
                   for listing in content.listings}
        archive = cls(content, digests)
        archive.site, archive.merge_problems = archive.assembled()
        return archive

    def without_related(self, content: Content, papers: list[Paper], notes) -> TagsAndRelated:
        """Tags only: related papers change no day, tag or organisation, and cost the most."""
        return self.texts.tags_of(content, papers, notes), {}

    def assembled(self) -> tuple[Site, set[Diagnostic]]:
        """The site graph of the listings so far, and the merge's problems."""
        report = Diagnostics()
        papers = self.merging.wrap(merge_papers)(list(self.content.listings), report)
        return assemble(self.content, papers, Diagnostics(), self.without_related), set(report.items)

    def newest(self) -> dt.date | None:
        return max((listing.saved_on for listing in self.content.listings if listing.saved_on), default=None)

    def take(self, listing: Listing, digest: bytes) -> tuple[Site, set[Diagnostic]]:
        """Add `listing` (in memory); returns the site before it and the merge problems it brought."""
        before, known = self.site, self.merge_problems
        self.content = dataclasses.replace(self.content, listings=(*self.content.listings, listing))
        self.site, self.merge_problems = self.assembled()
        self.digests[digest] = listing.source_path
        return before, self.merge_problems - known


def header_of(data: bytes) -> str | None:
    """The `Mon D` the dump's page header shows, as the parser finds it."""
    probe = parse_listing(data, "dump.txt", Diagnostics())
    return probe.header_date if probe else None


def pointed_at(items, copy: Path, source: Path) -> list[Diagnostic]:
    """The diagnostics, with those about the copy pointed at the file the curator named."""
    return [dataclasses.replace(d, file=str(source)) if d.file == str(copy) else d for d in items]


def take_in(archive: Archive, source: Path, listings_dir: Path, saved: dt.date | None, today: dt.date,
            report: Diagnostics) -> tuple[Intake, bytes | None]:
    """Take one dump into `archive` (in memory). Returns what became of it and the bytes to write."""
    def refused(message: str, saved_from: str | None = None) -> tuple[Intake, None]:
        report.error(source, 0, message)
        return Intake(source=str(source), status="refused", saved_from=saved_from, problems=(str(report.items[-1]),)), None

    try:
        data = source.read_bytes()
    except OSError as exc:
        return refused(f"cannot read the file: {exc.strerror}")
    digest = hashlib.sha256(data).digest()
    if digest in archive.digests:
        return Intake(source=str(source), status="skipped", same_as=archive.digests[digest]), None

    when = naming.save_date(saved, source.name, header_of(data), archive.newest(), today)
    if when.error:
        return refused(when.error, when.source)
    copy = listings_dir / naming.copy_name(when.date, data)
    own = Diagnostics()
    if when.warning:
        own.warn(copy, 0, when.warning)
    listing = parse_listing(data, copy, own)
    if listing is not None:
        clash = next((other for other in archive.content.listings if other.id == listing.id), None)
        if copy.exists():
            own.error(copy, 0, f"{copy} already exists with other bytes; it is left as it was: pass --saved to name the copy otherwise")
        elif clash is not None:
            own.error(copy, 0, f"listing id {listing.id!r} is already used by {clash.source_path}; nothing is overwritten")
    if listing is None or own.errors:
        problems = pointed_at(own.items, copy, source)
        report.items.extend(problems)
        return Intake(source=str(source), status="refused", saved_on=when.date, saved_from=when.source,
                      problems=tuple(map(str, problems))), None

    before, merge_problems = archive.take(listing, digest)
    problems = pointed_at([*own.items, *sorted(merge_problems)], copy, source)
    report.items.extend(problems)
    brings = compare(before, archive.site, listing)
    return Intake(source=str(source), status="added", listing=str(copy), saved_on=when.date, saved_from=when.source,
                  problems=tuple(map(str, problems)), brings=brings), data


def add_listings(sources: list[Path], content_dir: Path, saved: dt.date | None, today: dt.date,
                 dry_run: bool, report: Diagnostics) -> list[Intake]:
    """Take every dump in, in order; write the copies only if none was refused (and not `dry_run`)."""
    archive = Archive.load(content_dir)
    listings_dir = content_dir / "listings"
    taken = [take_in(archive, source, listings_dir, saved, today, report) for source in sources]
    if dry_run or any(intake.status == "refused" for intake, _ in taken):
        return [held_back(intake) for intake, _ in taken]
    return [written(intake, data, report) if data is not None else intake for intake, data in taken]


def held_back(intake: Intake) -> Intake:
    return intake.model_copy(update={"status": "would add"}) if intake.status == "added" else intake


def written(intake: Intake, data: bytes, report: Diagnostics) -> Intake:
    try:
        store.write_new(Path(intake.listing), data)
    except OSError as exc:
        report.error(intake.listing, 0, f"cannot write the copy: {exc.strerror}; nothing was added from {intake.source}")
        return intake.model_copy(update={"status": "refused", "problems": (*intake.problems, str(report.items[-1]))})
    return intake
