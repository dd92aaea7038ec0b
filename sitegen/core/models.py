"""The typed records that flow through the pipeline, one type per stage.

`ListingEntry`/`Listing` are what one dump says, exactly as parsed.
`Paper` is one paper merged across every dump that mentions it.
All are frozen pydantic models: validated once when created, never patched.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Org(Frozen):
    """An organisation byline such as `google Google`: handle, then display name."""

    handle: str = Field(min_length=1)
    name: str = Field(min_length=1)


class ListingEntry(Frozen):
    """One paper block as it stands in one dump."""

    line: int = Field(ge=1, description="line of the title")
    title: str = Field(min_length=1)
    abstract: str
    authors: int | None = Field(default=None, ge=0)
    org: Org | None = None
    date: dt.date | None = None
    upvotes: int | None = Field(default=None, ge=0)


class Listing(Frozen):
    """One dump: where it came from, when it was saved, its papers in order."""

    id: str = Field(min_length=1, description="URL-safe id from the file name")
    source_path: str
    saved_on: dt.date | None = None
    header_date: str | None = Field(default=None, description="the `Mon D` in its header, verbatim")
    entries: tuple[ListingEntry, ...] = ()


class SeenIn(Frozen):
    listing: str
    line: int


class Paper(Frozen):
    """One paper, merged across listings. `id` doubles as its URL slug."""

    id: str = Field(min_length=1)
    title: str
    abstract: str
    date: dt.date | None
    upvotes: int | None
    authors: int | None
    org: Org | None
    seen_in: tuple[SeenIn, ...]

    def to_json(self) -> dict:
        """The public JSON shape (`sitegen parse --json`, `/papers.json`)."""
        return {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "date": self.date.isoformat() if self.date else None,
            "upvotes": self.upvotes,
            "authors": self.authors,
            "org": self.org.handle if self.org else None,
            "org_name": self.org.name if self.org else None,
            "seen_in": [{"listing": s.listing, "line": s.line} for s in self.seen_in],
        }
