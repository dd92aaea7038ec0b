"""Atom feeds (RFC 4287) of the newest papers: one for the archive, one per tag.

Feeds are XML built with ElementTree, whose serializer escapes every text and
attribute, so listing text cannot break out of an element; characters that
XML 1.0 forbids outright (control characters a dump may carry) are dropped
first, since no escape can make them legal.

Nothing here reads the clock, so two builds of the same content give the
same bytes: an entry's date is its paper's Daily Papers date, and a feed's
`updated` is its newest entry's date. Undated papers are left out of the
archive's and the tags' feeds, which follow the papers' own dates; `/new.xml`
holds every paper in the order the archive received them (the save date of
the first listing that held each), dated by that save date, undated ones too.

The feed's author is the site, which every entry inherits: the listings name
no authors. A paper's organisation submitted it and is its `<contributor>`.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from sitegen.core.models import Paper
from sitegen.assemble.site import Group, Site, newest_first
from sitegen.plan.freshness import Freshness
from sitegen.plan.urls import Urls

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EPOCH = dt.date(1970, 1, 1)  # `updated` of a feed when the archive has no dated paper at all


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {name: xml_text(value) for name, value in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"  # as ElementTree writes it for UTF-8


def xml_document(root: ET.Element) -> bytes:
    """`ET.tostring(root, encoding="utf-8", xml_declaration=True)`, indented, plus a newline.

    Serialized as text and encoded once: asked for UTF-8, ElementTree writes
    every piece through an encoding text stream, which took longer than the rest."""
    ET.indent(root)
    text = XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
    return text.encode("utf-8", "xmlcharrefreplace")  # the error handler ElementTree's stream uses


def timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


@dataclass(frozen=True)
class Entry:
    url: str  # absolute; also the entry's id, which stays put as long as the site's address does
    title: str
    date: dt.date
    summary: str
    contributor: str | None  # the organisation that submitted the paper; the feed's author (the site) stands for all
    categories: tuple[tuple[str, str], ...]  # (tag slug, tag name)
    paper_id: str | None = None  # the paper it shows, if any: a build cache keeps entries by their papers' texts


@dataclass(frozen=True)
class Feed:
    url: str  # absolute; also the feed's id
    page_url: str  # absolute URL of the HTML page the feed follows
    title: str
    subtitle: str
    language: str
    author: str  # the site's name
    author_uri: str  # the site's address
    updated: dt.date
    entries: tuple[Entry, ...]


def escaped(text: str) -> str:
    """Element text as ElementTree writes it (and xml.sax.saxutils.escape, whose module loads
    urllib and http.client, a hundredth of a second of every start), less what XML forbids."""
    return xml_text(text).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


ATTRIBUTE_REFERENCES = (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))  # ElementTree's


def escaped_attribute(text: str) -> str:
    text = escaped(text)
    for char, reference in ATTRIBUTE_REFERENCES:
        if char in text:
            text = text.replace(char, reference)
    return text


def leaf(indent: str, tag: str, text: str | None, shown: str = "") -> str:
    """One line: an element with text (or none) and no children, as ElementTree writes it indented;
    `shown` is its attributes, escaped."""
    text = escaped(text) if text else ""
    return f"{indent}<{tag}{shown}>{text}</{tag}>\n" if text else f"{indent}<{tag}{shown} />\n"


def entry_xml(entry: Entry, attribute: Callable[[str], str]) -> str:
    """One entry as `atom` writes it; `attribute` escapes an attribute's value."""
    stamp = timestamp(entry.date)
    parts = ["  <entry>\n", leaf("    ", "title", entry.title, ' type="text"'),
             f'    <link rel="alternate" type="text/html" href="{escaped_attribute(entry.url)}" />\n',
             leaf("    ", "id", entry.url), f"    <published>{stamp}</published>\n    <updated>{stamp}</updated>\n"]
    if entry.contributor:
        parts += ["    <contributor>\n", leaf("      ", "name", entry.contributor), "    </contributor>\n"]
    parts += [f'    <category term="{attribute(term)}" label="{attribute(label)}" />\n' for term, label in entry.categories]
    parts += [leaf("    ", "summary", entry.summary, ' type="text"'), "  </entry>\n"]
    return "".join(parts)


EntryText = Callable[[Entry, Callable[[str], str]], str]  # entry_xml, or one that remembers its results


def atom(feed: Feed, entry_text: EntryText = entry_xml) -> bytes:
    """The feed as `xml_document` writes its ElementTree (tests/test_feeds.py compares them), put
    together as text: `/new.xml` holds every paper, and a tree of 10,000 entries took 1.6 s to write.
    Each entry is `entry_text`'s, a function of the entry alone (a build cache keeps them: cache/records.py)."""
    attributes: dict[str, str] = {}  # each value escaped once: the tags' names come back on entry after entry

    def attribute(value: str) -> str:
        found = attributes.get(value)
        if found is None:
            found = attributes[value] = escaped_attribute(value)
        return found

    parts = [XML_DECLARATION, f'<feed xmlns="{ATOM_NAMESPACE}" xml:lang="{attribute(feed.language)}">\n',
             leaf("  ", "title", feed.title), leaf("  ", "subtitle", feed.subtitle),
             f'  <link rel="self" type="application/atom+xml" href="{attribute(feed.url)}" />\n',
             f'  <link rel="alternate" type="text/html" href="{attribute(feed.page_url)}" />\n',
             leaf("  ", "id", feed.url), leaf("  ", "updated", timestamp(feed.updated)),
             "  <author>\n", leaf("    ", "name", feed.author), leaf("    ", "uri", feed.author_uri), "  </author>\n",
             leaf("  ", "generator", "sitegen")]
    parts += [entry_text(entry, attribute) for entry in feed.entries]
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8", "xmlcharrefreplace")


class FeedMaker:
    """Feeds of one site: the newest `feed_size` dated papers of the archive or of a tag."""

    def __init__(self, site: Site, urls: Urls, freshness: Freshness | None = None):
        self.site, self.urls, self.config = site, urls, site.config
        self.freshness = freshness  # the planner's, where it made one: a pass over every paper's sightings
        self.tag_names = {group.key: group.name for group in site.tags}
        self.dated = self.newest_dated(site, self.config.feed_size)
        self.newest_date = self.dated[0].date if self.dated else EPOCH

    @staticmethod
    def newest_dated(site: Site, count: int) -> list[Paper]:
        """At least the `count` newest dated papers, newest first: whole days, newest first, until
        there are enough (a newer day's papers all come first), rather than sorting every paper."""
        papers: list[Paper] = []
        for day in reversed(site.days.values()):
            if len(papers) >= count:
                break
            papers.extend(site.papers[paper_id] for paper_id in day.paper_ids)
        return sorted(papers, key=newest_first)

    def entry(self, paper: Paper, date: dt.date | None = None) -> Entry:
        return Entry(
            url=self.urls.absolute(self.urls.paper(paper.id)),
            title=paper.title,
            date=date or paper.date,
            summary=paper.abstract,
            contributor=paper.org.name if paper.org else None,
            categories=tuple((slug, self.tag_names[slug]) for slug in self.site.tags_of[paper.id]),
            paper_id=paper.id,
        )

    def feed(self, url: str, page_url: str, title: str, subtitle: str, papers: list[Paper]) -> Feed:
        newest = papers[: self.config.feed_size]
        return self.made(url, page_url, title, subtitle, tuple(self.entry(paper) for paper in newest))

    def made(self, url: str, page_url: str, title: str, subtitle: str, entries: tuple[Entry, ...]) -> Feed:
        return Feed(
            url=self.urls.absolute(url),
            page_url=self.urls.absolute(page_url),
            title=title,
            subtitle=subtitle,
            language=self.config.language,
            author=self.config.author or self.config.title,
            author_uri=self.config.base_url,
            updated=max((entry.date for entry in entries), default=self.newest_date),
            entries=entries,
        )

    def received(self) -> Feed:
        """Every paper, newest received first: by the save date of the first listing that held it, then its own date.

        A paper no dated listing held counts as received before any other; its entry's date is its own, else 1970."""
        fresh = self.freshness or Freshness(self.site)
        def order(paper: Paper) -> tuple:
            received = fresh.received[paper.id]
            return (-(received or EPOCH).toordinal(), -(paper.date or EPOCH).toordinal(), -(paper.upvotes or 0), paper.id)
        papers = sorted(self.site.papers.values(), key=order)
        entries = tuple(self.entry(paper, fresh.received[paper.id] or paper.date or EPOCH) for paper in papers)
        return self.made(self.urls.new_feed(), self.urls.home(), f"{self.config.title}: papers as received",
                         f"Every paper of {self.config.title}, newest listing first, undated papers included.", entries)

    def archive(self) -> Feed:
        return self.feed(self.urls.feed(), self.urls.home(), self.config.title,
                         f"The newest papers of {self.config.title}.", self.dated)

    def tag(self, group: Group) -> Feed:
        papers = (self.site.papers[i] for i in group.paper_ids)  # already newest first: only the first are read
        return self.feed(self.urls.tag_feed(group.key), self.urls.tag(group.key),
                         f"{group.name} · {self.config.title}", f"The newest papers tagged {group.name}.",
                         list(islice((p for p in papers if p.date), self.config.feed_size)))
