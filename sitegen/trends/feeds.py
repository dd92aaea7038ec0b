"""Digest feeds (`/weeks/feed.xml`, `/months/feed.xml`), the JSON Feed (`/feed.json`) and organisations' feeds.

A digest has one Atom entry per week or month, newest first, whose content
lists that period's ten most upvoted papers as HTML: a feed-to-email service
sends each entry as a newsletter. Like plan/feeds.py, nothing reads the clock:
a period's entry is updated on its newest paper's date, so rebuilding the
same content gives the same bytes.

JSON Feed 1.1 (https://jsonfeed.org/version/1.1) carries the same papers as
the site's Atom feed; it is built as dicts and written by the json module.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from itertools import islice

from markupsafe import Markup, escape

from sitegen.assemble.site import Group, Site
from sitegen.plan.feeds import Entry, Feed, FeedMaker, atom, timestamp
from sitegen.plan.present import plural
from sitegen.plan.urls import Urls
from sitegen.trends.pages import month_label, span_label, week_label, week_span

DIGEST_SIZE = 10  # papers per period in a digest entry
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def digest_html(site: Site, urls: Urls, group: Group) -> str:
    items = []
    for paper_id in group.paper_ids[:DIGEST_SIZE]:
        paper = site.papers[paper_id]
        votes = f" ({plural(paper.upvotes, 'upvote')})" if paper.upvotes is not None else ""
        items.append(Markup('<li><a href="{}">{}</a>{}</li>').format(urls.absolute(urls.paper(paper_id)),
                                                                       paper.title, votes))
    return str(Markup("<ol>{}</ol>").format(Markup("").join(items)))


def digest(maker: FeedMaker, groups: dict[str, Group], noun: str, url: str, page_url: str,
           url_of: Callable[[str], str], label_of: Callable[[str], str]) -> Feed:
    site, urls, config = maker.site, maker.urls, maker.config
    entries = []
    for key in islice(reversed(groups), config.feed_size):
        group = groups[key]
        newest = max(site.papers[i].date for i in group.paper_ids)
        title = f"{label_of(key)}: the top {min(DIGEST_SIZE, len(group.paper_ids))} of {plural(len(group.paper_ids), 'paper')}"
        entries.append(Entry(urls.absolute(url_of(key)), title, newest, digest_html(site, urls, group), None, ()))
    return maker.made(url, page_url, f"{config.title}: papers by {noun}",
                      f"The {DIGEST_SIZE} most upvoted papers of each {noun}.", tuple(entries))


def digest_atom(feed: Feed) -> bytes:
    """Atom, with each entry's summary as HTML content (plan/feeds.py's `atom` writes plain text).
    The swap is safe on the serialized text: any `<` inside an element's text is escaped as `&lt;`."""
    text = atom(feed).decode("utf-8")
    return text.replace('<summary type="text">', '<content type="html">').replace("</summary>", "</content>").encode("utf-8")


def json_feed(feed: Feed) -> bytes:
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": feed.url,
        "description": feed.subtitle,
        "language": feed.language,
        "authors": [{"name": feed.author, "url": feed.author_uri}],
        "items": [{
            "id": entry.url,
            "url": entry.url,
            "title": entry.title,
            "content_text": entry.summary,
            "date_published": timestamp(entry.date),
            # The site is every item's author (the feed's); the submitting organisation is a tag-like fact,
            # never the author (issue 22).
            **({"tags": [label for _, label in entry.categories]} if entry.categories else {}),
        } for entry in feed.entries],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def org_feed(maker: FeedMaker, group: Group) -> Feed:
    papers = (maker.site.papers[i] for i in group.paper_ids)  # newest first already
    return maker.feed(maker.urls.org_feed(group.key), maker.urls.org(group.key),
                      f"{group.name} · {maker.config.title}", f"The newest papers published by {group.name}.",
                      list(islice((p for p in papers if p.date), maker.config.feed_size)))


def trend_files(site: Site, urls: Urls, maker: FeedMaker) -> Iterator[tuple[str, Callable[[], bytes], str]]:
    """(url, render, source) of each file this module makes, for plan/outputs.py."""
    archive = maker.archive()
    yield urls.json_feed(), partial(json_feed, replace(archive, url=urls.absolute(urls.json_feed()))), "JSON feed"
    yield urls.weeks_feed(), partial(digest_atom, digest(maker, site.weeks, "week", urls.weeks_feed(), urls.weeks(),
                                                         urls.week, lambda k: f"{week_label(k)} ({span_label(*week_span(k))})")), "weekly digest feed"
    yield urls.months_feed(), partial(digest_atom, digest(maker, site.months, "month", urls.months_feed(), urls.months(),
                                                          urls.month, month_label)), "monthly digest feed"
    for group in site.orgs:
        yield urls.org_feed(group.key), partial(atom, org_feed(maker, group)), f"feed of organisation {group.key}"
