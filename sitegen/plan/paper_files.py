"""The files a reader takes papers away in: BibTeX in bulk (`papers.bib`, one per
day and per tag) and each paper's own small JSON (`papers/<id>/paper.json`).

The small JSON is what `/saved/` and the `c` key fetch: one paper's card
and BibTeX, about a kilobyte, so showing 200 saved papers costs 200 small
requests, never the whole archive's `papers.json` (megabytes at 10,000 papers).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial

from sitegen.assemble.site import Site
from sitegen.plan.bibtex import Bibliography
from sitegen.plan.markup import excerpt
from sitegen.plan.present import byline, date_label
from sitegen.plan.urls import Urls

# url, what makes the file, what asked for it, whether it is dealt out to every render process
# (plan/outputs.py's PlannedFile.dealt): a paper's JSON is one of thousands, made from its record alone;
# and its batch (PlannedFile.batch): the BibTeX files share the bibliography's entries.
Planned = tuple[str, Callable[[], bytes], str, bool, str]
# (paper id, what makes its JSON) -> what the build calls for the bytes. A build cache passes one that keys
# the file, to link in the one it holds; given a step, the record is made only when the file is.
JsonStep = Callable[[str, Callable[[], bytes]], Callable[[], bytes]]
# PaperFiles.record, or a version that remembers each record with what it is made from (preview/replan.py).
RecordStep = Callable[["PaperFiles", str], tuple[tuple[str, object], ...]]


def paper_json(record: tuple[tuple[str, object], ...]) -> bytes:
    return json.dumps(dict(record), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class PaperFiles:
    def __init__(self, site: Site, urls: Urls, bibliography: Bibliography | None = None,
                 json_step: JsonStep | None = None, record_step: RecordStep | None = None):
        self.site, self.urls, self.json_step = site, urls, json_step
        self.record_step = record_step or PaperFiles.record
        # The planner's, whose entries the paper pages have made already: each is made once a build.
        self.bibliography = bibliography or Bibliography(site, urls)
        self.tags = {group.key: {"label": group.name, "url": urls.tag(group.key)} for group in site.tags}

    def record(self, paper_id: str) -> tuple[tuple[str, object], ...]:
        """What a card on /saved/ shows, and the BibTeX `c` copies; a tuple, so a preview's memo can compare it."""
        paper, urls = self.site.papers[paper_id], self.urls
        shown_by = byline(paper, urls)
        arxiv = self.site.arxiv.get(paper_id)
        return (
            ("id", paper.id),
            ("title", paper.title),
            ("url", urls.paper(paper.id)),
            ("date", paper.date.isoformat() if paper.date else None),
            ("date_label", date_label(paper.date)),
            ("upvotes", paper.upvotes),
            ("byline", {"label": shown_by.label, "url": shown_by.url or None} if shown_by else None),
            ("tags", [self.tags[slug] for slug in self.site.tags_of[paper_id]]),
            ("excerpt", excerpt(paper.abstract)),
            ("arxiv", arxiv.arxiv_id if arxiv else None),
            ("bibtex", self.bibliography.entry(paper_id)),
        )

    def planned(self) -> Iterator[Planned]:
        site, urls, bib = self.site, self.urls, self.bibliography

        def bibtex(url: str, heading: str, paper_ids: tuple[str, ...], source: str) -> Planned:
            return url, partial(bib.document, heading, url, paper_ids), source, False, "bibtex"

        yield bibtex(urls.bibtex(), "Every paper", tuple(site.papers), "BibTeX export")
        for day in site.days.values():
            yield bibtex(urls.day_bibtex(day.key), f"Papers of {day.key}", day.paper_ids, f"BibTeX of day {day.key}")
        for group in site.tags:
            yield bibtex(urls.tag_bibtex(group.key), f"Tag {group.name}", group.paper_ids, f"BibTeX of tag {group.key}")
        step = self.json_step
        for paper_id in site.papers:
            # By default a partial of the record itself, which a preview compares with the last one (preview/replan.py).
            render = (partial(paper_json, self.record_step(self, paper_id)) if step is None
                      else step(paper_id, partial(self.json_of, paper_id)))
            yield urls.paper_json(paper_id), render, f"JSON of paper {paper_id}", True, ""

    def json_of(self, paper_id: str) -> bytes:
        return paper_json(self.record(paper_id))
