"""Which social card each page has, and what it says.

The planner asks `Cards.card(page_url, kind, title, facts, tags)` once per
page that has a card of its own (a new kind of page is one such call); pages
without one show the site's card. Each card is a PNG next to nothing else,
under `cards/`, named after its page's URL, and drawn later, in the render
step, from its `CardText` alone (write/cards.py), so a cache may keep a card
by the hash of that text.

A text with a character the card's font cannot draw is left off the card
(and out of its alt text) rather than drawn as boxes.
"""

from __future__ import annotations

from sitegen.plan.urls import Urls
from sitegen.plan.views import CardImage
from sitegen.write.cards import CardText, shown, tags_that_fit


def alt_text(text: CardText) -> str:
    """What the card shows, in the order it shows it."""
    head = f"{text.kind} card of {text.site}" if text.site else f"{text.kind} card"
    parts = [f"{head}: {text.title.rstrip('.')}" if text.title else head]  # "; " follows: no ".;"
    if text.facts:
        parts.append(" · ".join(text.facts))
    if text.tags:
        parts.append("tags: " + ", ".join(text.tags))
    return "; ".join(parts)


class Cards:
    """The cards of one plan: image URL -> what it shows."""

    def __init__(self, site_name: str, urls: Urls):
        self.site_name, self.urls = shown(site_name), urls
        self.texts: dict[str, CardText] = {}

    def card(self, page_url: str, kind: str, title: str, facts: tuple[str, ...] = (),
             tags: tuple[str, ...] = ()) -> CardImage:
        text = CardText(
            site=self.site_name,
            kind=kind,
            title=shown(title),
            facts=tuple(fact for fact in map(shown, facts) if fact),
            tags=tags_that_fit(tuple(tag for tag in map(shown, tags) if tag)),
        )
        url = self.urls.card(page_url)
        self.texts[url] = text
        return CardImage(self.urls.absolute(url), alt_text(text))
