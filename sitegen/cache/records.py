"""Each paper's JSON record, BibTeX entry and Atom entry, kept by what it is made from.

`/papers.json` holds every paper's record, `/papers.bib` every paper's
BibTeX entry and `/new.xml` every paper's Atom entry (each day's and tag's
files some of them). No key covers those files, since any new or edited
paper changes them, so a warm build made all of them again: 4.9 s, 2.5 s
and 3.8 s at 100,000 papers. But a record changes only with its paper and
tags, the listings it was seen in, its related papers and its arXiv
identifier, a BibTeX entry only with its paper and arXiv reference, and an
Atom entry only with its paper and its date (and all with the settings,
which hold the site's address, and the taxonomy). So each is kept under a
digest of those, in one cache entry per kind for the whole archive: 100,000
small entries would cost more to open than the records cost to make.

The entries are read in the build's own process, where a damaged one is
noted like any other, and used in the render process that makes the
whole-archive file (write/render.py gives each batch of files to one
process). That process makes what the cache does not hold and, when it made
any or a paper is gone, keeps the new set: all of the archive's, as the
whole-archive file needs every one.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from functools import partial

from sitegen.assemble.site import Site
from sitegen.cache.paper_pages import PaperPages
from sitegen.cache.store import Store, digest
from sitegen.core.models import Paper
from sitegen.plan.bibtex import Bibliography
from sitegen.plan.export import Exporter, ExportSteps
from sitegen.plan.feeds import Entry, Feed, atom, entry_xml
from sitegen.plan.outputs import PlannedFile
from sitegen.plan.urls import Urls

RECORDS = "records"
JSON, BIBTEX, ATOM = "json", "bibtex", "atom"
KINDS = (JSON, BIBTEX, ATOM)


class KeptRecords:
    """The build cache's records and entries: read by `planned`, used and kept by the render process."""

    def __init__(self, store: Store, paper_pages: PaperPages):
        self.store, self.paper_pages = store, paper_pages
        self.keys: dict[str, str] = {}  # kind -> the cache entry's key
        # As the cache held them, and as this build made or found them: by paper id, (the digest of what it is
        # made from, its record or entry); Atom entries by their papers' texts and dates, the entry itself.
        self.kept: dict[str, dict] = {kind: {} for kind in KINDS}
        self.now: dict[str, dict] = {kind: {} for kind in KINDS}
        self.made = dict.fromkeys(KINDS, 0)  # how many were not in the cache
        self.site: Site | None = None
        self.export_steps = ExportSteps(record_text=self.record_text)

    def planned(self, site: Site, urls: Urls, files: list[PlannedFile], bibliography: Bibliography | None
                ) -> list[PlannedFile]:
        """Read what the cache holds; return `files` with the whole-archive JSON and BibTeX keeping theirs."""
        self.site = site
        shared = self.paper_pages.shared_inputs(site)  # the settings and the taxonomy
        for kind in KINDS:
            self.keys[kind] = key = digest(b"paper " + kind.encode(), shared)
            found = self.store.get(RECORDS, key)
            self.kept[kind] = found if isinstance(found, dict) else {}
            # Written, if at all, by a render process, whose own `used` the cache never sees.
            self.store.keep(RECORDS, key)
        keeping = {urls.output_path(urls.papers_json()): lambda render: self.keeping(JSON, render)}
        if bibliography is not None:
            keeping[urls.output_path(urls.bibtex())] = lambda render: self.keeping(BIBTEX, render, bibliography)
        return [dataclasses.replace(file, render=keeping[file.output_path](file.render))
                if file.output_path in keeping else file for file in files]

    def json_key(self, paper: Paper) -> bytes:
        site = self.site
        ref = site.arxiv.get(paper.id)
        shown = (self.paper_pages.paper_text(site, paper.id), tuple((seen.listing, seen.line) for seen in paper.seen_in),
                 site.related[paper.id], ref.arxiv_id if ref else None)
        return hashlib.blake2b(repr(shown).encode(), digest_size=16).digest()

    def bibtex_key(self, paper_id: str) -> bytes:
        site = self.site
        ref = site.arxiv.get(paper_id)
        shown = (self.paper_pages.paper_text(site, paper_id), (ref.arxiv_id, ref.primary_class) if ref else None)
        return hashlib.blake2b(repr(shown).encode(), digest_size=16).digest()

    def record_text(self, exporter: Exporter, paper: Paper) -> bytes:
        """plan/export.py's `ExportSteps.record_text`: the record the cache holds, else made."""
        key = self.json_key(paper)
        found = self.kept[JSON].get(paper.id)
        if found is not None and found[0] == key:
            text = found[1]
        else:
            text = Exporter.record_text(exporter, paper)
            self.made[JSON] += 1
        self.now[JSON][paper.id] = (key, text)
        return text  # type: ignore[return-value]

    def known_entries(self, bibliography: Bibliography) -> None:
        """Give `bibliography` the entries the cache holds (it makes the others when asked)."""
        kept, now, entries = self.kept[BIBTEX], self.now[BIBTEX], bibliography.entries
        for paper_id in self.site.papers:
            key = self.bibtex_key(paper_id)
            found = kept.get(paper_id)
            if found is not None and found[0] == key:
                entries.setdefault(paper_id, found[1])  # type: ignore[arg-type]
            else:
                self.made[BIBTEX] += 1
            now[paper_id] = (key, None)  # its text, once the bibliography has made it

    def keeping(self, kind: str, render: Callable[[], bytes], bibliography: Bibliography | None = None
                ) -> Callable[[], bytes]:
        def made() -> bytes:
            if bibliography is not None:
                self.known_entries(bibliography)
            data = render()
            now = self.now[kind]
            if bibliography is not None:
                now = {paper_id: (key, bibliography.entries[paper_id]) for paper_id, (key, _) in now.items()}
            if len(now) == len(self.site.papers):
                self.keep_if_changed(kind, now)
            return data
        return made

    def keep_if_changed(self, kind: str, now: dict) -> None:
        """Write this build's set of `kind` when it made any or a paper is gone (`now` holds every paper's)."""
        if self.made[kind] or len(self.kept[kind]) != len(now):
            self.store.put(RECORDS, self.keys[kind], now)

    def received_feed(self, feed: Feed) -> bytes:
        """plan/outputs.py's `received_feed`: `/new.xml`, every paper's entry, each made unless the cache holds it."""
        kept, now = self.kept[ATOM], self.now[ATOM]
        paper_text = partial(self.paper_pages.paper_text, self.site)  # made while planning: hashing each entry took 1.5 s

        def entry_text(entry: Entry, attribute: Callable[[str], str]) -> str:
            if entry.paper_id is None:
                return entry_xml(entry, attribute)
            key = f"{paper_text(entry.paper_id)} {entry.date}"
            text = kept.get(key)
            if text is None:
                text = entry_xml(entry, attribute)
                self.made[ATOM] += 1
            now[key] = text
            return text

        data = atom(feed, entry_text)
        self.keep_if_changed(ATOM, now)
        return data
