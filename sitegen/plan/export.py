"""The paper data as JSON: the export (`/papers.json`, one file per day) for
people who want the data, and the schema.org JSON-LD on each paper's page for
search engines.

Every document is built as plain dicts and lists and written by the json
module; no JSON is ever pasted together from strings.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from sitegen.plan.bibtex import arxiv_abs_url
from sitegen.plan.markup import json_for_script
from sitegen.core.models import Paper
from sitegen.assemble.site import Group, Site
from sitegen.plan.urls import Urls


class Exporter:
    """Records and documents, each made by a step of `steps` (a preview passes steps that remember
    them from one build to the next: preview/replan.py)."""

    def __init__(self, site: Site, urls: Urls, steps: ExportSteps | None = None):
        self.site, self.urls, self.config = site, urls, site.config
        self.tag_names = {group.key: group.name for group in site.tags}
        self.home = urls.absolute(urls.home())
        self.keywords: dict[tuple[str, ...], tuple[str, ...]] = {}  # tag names by tag slugs: papers share a few sets
        # This build's records, by paper id, each made when a document first needs it: every paper
        # is in two documents (papers.json and its day's), and a render process makes only some days'.
        self.records: dict[str, bytes] = {}
        self.steps = steps or PURE_EXPORT_STEPS
        # Records and heads are fresh dicts and lists: no need to check for one that contains itself.
        self.dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode

    def record(self, paper: Paper) -> dict:
        """`Paper.to_json()` (the shape `sitegen parse --json` prints) plus what the site adds."""
        return {
            **paper.to_json(),
            "url": self.urls.absolute(self.urls.paper(paper.id)),
            "tags": list(self.site.tags_of[paper.id]),
            "related": list(self.site.related[paper.id]),
            "arxiv": self.arxiv_id(paper.id),
        }

    def arxiv_id(self, paper_id: str) -> str | None:
        ref = self.site.arxiv.get(paper_id)
        return ref.arxiv_id if ref else None

    def record_text(self, paper: Paper) -> bytes:
        """A paper's record as JSON, UTF-8 encoded: documents of 10,000 records are joined as bytes."""
        return self.dump(self.record(paper)).encode("utf-8")

    def records_of(self, ids: tuple[str, ...]) -> tuple[bytes, ...]:
        """The records of `ids`, each made once per build (every paper is in two documents)."""
        site, records, record_text = self.site, self.records, self.steps.record_text
        for paper_id in ids:
            if paper_id not in records:
                records[paper_id] = record_text(self, site.papers[paper_id])
        return tuple(map(records.__getitem__, ids))

    def document(self, url: str, ids: tuple[str, ...], **head: object) -> bytes:
        return self.steps.document(self, url, ids, self.records_of(ids), head)

    def joined(self, url: str, ids: tuple[str, ...], records: tuple[bytes, ...], head: dict) -> bytes:
        used_tags = sorted({slug for paper_id in ids for slug in self.site.tags_of[paper_id]})
        document = {
            "site": self.config.title,
            "home": self.home,
            "url": self.urls.absolute(url),
            **head,
            "count": len(ids),
            "tags": {slug: self.tag_names[slug] for slug in used_tags},
            "papers": [],
        }
        # The papers, last, are written one record at a time: the same text as
        # dumping the whole document, without every record's dict alive at once,
        # into one growing buffer rather than a list of strings joined, copied
        # and encoded (at 100,000 papers that held 400 MB for a 100 MB file).
        buffer = io.BytesIO()
        buffer.write(self.dump(document)[: -len("]}")].encode("utf-8"))
        for number, record in enumerate(records):
            buffer.write(b"," + record if number else record)
        buffer.write(b"]}\n")
        return buffer.getvalue()

    def all_papers(self) -> bytes:
        """Every paper, in id order (the order that changes least from one build to the next)."""
        return self.document(self.urls.papers_json(), tuple(self.site.papers))

    def day(self, day: Group) -> bytes:
        """One day's papers, in the day page's order (most upvoted first)."""
        return self.document(self.urls.day_json(day.key), day.paper_ids, date=day.key,
                             page=self.urls.absolute(self.urls.day(day.key)))

    def article_facts(self, paper: Paper) -> ArticleFacts:
        """What the paper page's schema.org JSON-LD says (`ArticleFacts.document`)."""
        tags = self.site.tags_of[paper.id]
        keywords = self.keywords.get(tags)
        if keywords is None:
            keywords = self.keywords[tags] = tuple(map(self.tag_names.__getitem__, tags))
        return ArticleFacts(
            url=self.urls.absolute(self.urls.paper(paper.id)),
            title=paper.title,
            abstract=paper.abstract,
            language=self.config.language,
            site=self.config.title,
            home=self.home,
            org=paper.org.name if paper.org else None,
            keywords=keywords,
            upvotes=paper.upvotes,
            arxiv=self.arxiv_id(paper.id),
        )


@dataclass(frozen=True)
class ExportSteps:
    """The exporter's steps done once per paper and per document, each a function of the exporter
    and its arguments: a preview's rebuild passes versions that remember their results by their
    inputs (preview/replan.py), so an unchanged record or document is not made again."""

    record_text: Callable[[Exporter, Paper], bytes] = Exporter.record_text
    document: Callable[[Exporter, str, tuple[str, ...], tuple[bytes, ...], dict], bytes] = Exporter.joined


PURE_EXPORT_STEPS = ExportSteps()


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What a paper page's JSON-LD says; a page's `meta.json_ld`.

    It holds references to the paper's strings and turns into the
    `<script>` text only when a template shows it (`__html__`), in a render
    worker: 100,000 JSON documents are not kept in memory at once.
    """

    url: str
    title: str
    abstract: str
    language: str
    site: str
    home: str
    org: str | None
    keywords: tuple[str, ...]
    upvotes: int | None
    arxiv: str | None = None

    def document(self) -> dict:
        """schema.org JSON-LD for a paper's page.

        The Daily Papers date is the day the listing featured the paper, not
        when it was published, so it is not claimed as `datePublished`; and an
        organisation byline names who posted the paper, so it is the
        `sourceOrganization`, not the author.
        """
        document: dict = {
            "@context": "https://schema.org",
            "@type": "ScholarlyArticle",
            "@id": self.url,
            "url": self.url,
            "mainEntityOfPage": self.url,
            "headline": self.title,
            "name": self.title,
            "abstract": self.abstract,
            "inLanguage": self.language,
            "isPartOf": {"@type": "WebSite", "name": self.site, "url": self.home},
        }
        if self.arxiv:  # the same paper on arXiv, by its identifier
            document["sameAs"] = arxiv_abs_url(self.arxiv)
            document["identifier"] = {"@type": "PropertyValue", "propertyID": "arXiv", "value": self.arxiv}
        if self.org:
            document["sourceOrganization"] = {"@type": "Organization", "name": self.org}
        if self.keywords:
            document["keywords"] = list(self.keywords)
        if self.upvotes is not None:
            document["interactionStatistic"] = {
                "@type": "InteractionCounter",
                "interactionType": "https://schema.org/LikeAction",
                "userInteractionCount": self.upvotes,
            }
        return document

    def __html__(self) -> str:
        return json_for_script(self.document())
