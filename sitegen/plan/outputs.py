"""The files beside the pages: Atom feeds, the sitemap, robots.txt, the JSON export.

They are planned together with the pages, so a feed or an export that would
land on a page's file is caught before anything is written. Each is made by
a function rather than a Jinja template: XML through ElementTree (see
plan/feeds.py), JSON through the json module, so escaping is never up to a
template author.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sitegen.plan.bibtex import Bibliography
from sitegen.plan.export import Exporter, ExportSteps
from sitegen.plan.paper_files import JsonStep, PaperFiles, RecordStep
from sitegen.plan.freshness import Freshness
from sitegen.plan.feeds import NOT_XML, XML_DECLARATION, Feed, FeedMaker, atom, child, escaped, xml_document
from sitegen.assemble.site import Site
from sitegen.plan.urls import Urls
from sitegen.trends.feeds import trend_files
from sitegen.write.cards import CardText, draw_card

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEEDS_ESCAPE = re.compile("[&<>" + NOT_XML.pattern.removeprefix("["))  # one character class: one quick scan
# PlannedFile.batch of the files made from every paper, costliest first: at 100,000 papers the
# JSON export took 5.5 s, the BibTeX files 4 s (with the entries a warm build makes) and /new.xml 3.8 s.
FILE_BATCHES = ("export", "bibtex", "received")
SITEMAP_LIMIT = 50_000  # URLs one sitemap file may list (sitemaps.org); more go into several


@dataclass(frozen=True)
class PlannedFile:
    url: str
    output_path: str
    render: Callable[[], bytes]  # called when the build writes the file, after planning succeeded
    source: str  # what asked for this file, for collision messages
    source_path: str = ""  # generated files never come from one content file
    # Many, and made from their own arguments alone (social cards, papers' JSON): dealt out to every
    # render process, like paper pages, rather than made by the one that makes the list pages.
    dealt: bool = False
    # Files of one batch share what they are made from (the export's records, the bibliography's entries):
    # one process makes them all, and each batch may go to a different one. "" is the list pages' batch.
    batch: str = ""


Located = tuple[str, "dt.date | None"]  # a page's absolute URL and the date its content last changed


def urlset(located: list[Located]) -> bytes:
    """The sitemap of `located` pages: the bytes ElementTree writes (plan/feeds.py), put together as text,
    since a sitemap of 100,000 URLs as a tree costs more than a second."""
    if not located:
        return xml_document(ET.Element("urlset", {"xmlns": SITEMAP_NAMESPACE}))
    locations = [location for location, _ in located]
    if NEEDS_ESCAPE.search("".join(locations)):  # never, for the URLs plan/urls.py makes: one scan, not one per URL
        locations = [escaped(location) for location in locations]
    entries = "".join(
        f"  <url>\n    <loc>{location}</loc>\n    <lastmod>{date.isoformat()}</lastmod>\n  </url>\n" if date
        else f"  <url>\n    <loc>{location}</loc>\n  </url>\n"
        for location, (_, date) in zip(locations, located))
    return (f"{XML_DECLARATION}<urlset xmlns=\"{SITEMAP_NAMESPACE}\">\n"
            f"{entries}</urlset>\n").encode("utf-8")


def sitemap_index(locations: list[str]) -> bytes:
    root = ET.Element("sitemapindex", {"xmlns": SITEMAP_NAMESPACE})
    for location in locations:
        child(child(root, "sitemap"), "loc", location)
    return xml_document(root)


def robots(sitemap_url: str) -> bytes:
    # Crawlers only read robots.txt at a domain's root: under a subfolder this
    # copy is inert, and it is written anyway so moving the site needs no change.
    return f"User-agent: *\nDisallow:\n\nSitemap: {sitemap_url}\n".encode("utf-8")


def plan_files(site: Site, urls: Urls, indexed_pages: list[tuple[str, dt.date | None]],
               cards: dict[str, CardText] | None = None, sitemap_limit: int = SITEMAP_LIMIT,
               export_steps: ExportSteps | None = None,
               card_render: Callable[[CardText], Callable[[], bytes]] | None = None,
               bibliography: Bibliography | None = None, json_step: JsonStep | None = None,
               freshness: Freshness | None = None, received_feed: Callable[[Feed], bytes] = atom,
               paper_record: RecordStep | None = None) -> list[PlannedFile]:
    """Every non-HTML file; `indexed_pages` are the URLs of the pages the sitemap lists, with the dates their
    content last changed, and `cards` the social cards to draw (plan/cards.py), by URL, each made by
    `card_render(text)` (by default drawn; a build cache passes one that reads a kept card back);
    `bibliography` is the planner's, so that each paper's BibTeX entry is made once; `json_step` gives the
    render of each paper's JSON (plan/paper_files.py; by default, its record's); `freshness` is the planner's;
    `received_feed` writes `/new.xml` (by default `atom`; a build cache passes one that keeps each entry,
    a preview one that remembers each); `paper_record` makes a paper's JSON record (by default
    `PaperFiles.record`; a preview passes one that remembers them).
    A file's `render` is a `partial` of a pure function where it can be, so that a preview can
    reuse the bytes of a file whose function and arguments are unchanged (preview/replan.py)."""
    files: list[PlannedFile] = []

    def add(url: str, render: Callable[[], bytes], source: str, dealt: bool = False, batch: str = "") -> None:
        files.append(PlannedFile(url, urls.output_path(url), render, source, dealt=dealt, batch=batch))

    feeds = FeedMaker(site, urls, freshness)
    add(urls.feed(), partial(atom, feeds.archive()), "archive feed")
    # Every paper: the longest feed by far, and it shares nothing with the others at render time.
    add(urls.new_feed(), partial(received_feed, feeds.received()), "feed of papers as received", batch="received")
    for group in site.tags:
        add(urls.tag_feed(group.key), partial(atom, feeds.tag(group)), f"feed of tag {group.key}")
    for url, render, source in trend_files(site, urls, feeds):  # digests, JSON Feed, organisations' feeds
        add(url, render, source)

    export = Exporter(site, urls, export_steps)
    add(urls.papers_json(), export.all_papers, "JSON export", batch="export")
    for day in site.days.values():
        add(urls.day_json(day.key), partial(export.day, day), f"JSON export of day {day.key}", batch="export")

    for url, render, source, dealt, batch in PaperFiles(site, urls, bibliography, json_step, paper_record).planned():
        add(url, render, source, dealt, batch)

    locations = [(urls.absolute(url), date) for url, date in indexed_pages]
    chunks = [locations[start:start + sitemap_limit] for start in range(0, len(locations), sitemap_limit)] or [[]]
    if len(chunks) == 1:
        add(urls.sitemap(), partial(urlset, tuple(chunks[0])), "sitemap")
    else:
        for number, chunk in enumerate(chunks, start=1):
            add(urls.sitemap_part(number), partial(urlset, tuple(chunk)), f"sitemap part {number}")
        parts = [urls.absolute(urls.sitemap_part(number)) for number in range(1, len(chunks) + 1)]
        add(urls.sitemap(), partial(sitemap_index, tuple(parts)), "sitemap index")
    add(urls.robots(), partial(robots, urls.absolute(urls.sitemap())), "robots.txt")
    for url, text in (cards or {}).items():
        add(url, card_render(text) if card_render else partial(draw_card, text), "social card", dealt=True)
    return files
