"""When the archive heard of each page's content: from the save dates of the listings.

A page changes when a listing brings one of its papers (new, or seen again
with other upvotes or a longer abstract): its date is the newest save date
of a listing that held any of its papers, which the sitemap gives as
`<lastmod>`. A paper's received date is the oldest such save date, the
order of `/new.xml`. Listings without a save date tell nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sitegen.assemble.site import Site


class Freshness:
    def __init__(self, site: Site):
        saved = {listing.id: listing.saved_on for listing in site.content.listings}
        self.changed: dict[str, dt.date | None] = {}  # paper id -> newest save date of a listing holding it
        self.received: dict[str, dt.date | None] = {}  # paper id -> oldest such date
        for paper_id, paper in site.papers.items():
            dates = [date for date in (saved.get(seen.listing) for seen in paper.seen_in) if date]
            self.changed[paper_id] = max(dates, default=None)
            self.received[paper_id] = min(dates, default=None)
        self.newest = max((date for date in saved.values() if date), default=None)

    def of(self, paper_ids: Iterable[str]) -> dt.date | None:
        """The newest change among these papers."""
        return max((date for date in map(self.changed.__getitem__, paper_ids) if date), default=None)
