"""`content/site.toml`: the site's settings, validated once.

Every key is declared here; an unknown key or a value of the wrong type is an
error naming the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sitegen.core.diagnostics import Diagnostics


# BCP 47's shape: a 2-3 (or 5-8) letter language, then subtags of 1-8 letters or digits.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*|[A-Za-z]{5,8}(?:-[A-Za-z0-9]{1,8})*")
URL_SAFE = re.compile(r"[A-Za-z0-9\-._~:/%!$&()*+,;=@\[\]?#]*")  # RFC 3986's characters, less the quote


def url_problem(value: str) -> str | None:
    """What `value` lacks to be a site's base URL (appended to the message; "" for
    a URL that is not absolute), or None for a good one."""
    if not URL_SAFE.fullmatch(value):
        return ", without spaces or quotes"
    if "?" in value or "#" in value:
        return ", without a query (?) or fragment (#)"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    if "@" in parts.netloc:
        return ", without a user name or password"
    try:
        parts.port  # raises for a port out of range or not a number
    except ValueError:
        return ", with a port from 1 to 65535"
    return None


class SiteConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(default="Daily Papers Archive", min_length=1)
    description: str = "An archive of AI research papers from the Daily Papers listings."
    base_url: str = Field(default="http://127.0.0.1:8000/", description="absolute URL the site is served from")
    language: str = "en"
    page_size: int = Field(default=50, ge=1, le=1000, description="papers per tag or organisation page")
    home_days: int = Field(default=7, ge=1, le=100, description="newest days shown on the home page")
    home_tags: int = Field(default=20, ge=0, le=500, description="most used tags shown on the home page")
    related_count: int = Field(default=5, ge=0, le=50)
    feed_size: int = Field(default=50, ge=1, le=10000, description="entries in each Atom feed")
    author: str | None = Field(default=None, min_length=1,
                               description="the feeds' author name; the site's title if unset")
    # A card per paper costs more than the rest of a big build (bench/README.md): off, a paper page shows its day's card.
    paper_cards: bool = Field(default=False, description="draw a social card for every paper, not only per day")

    @field_validator("base_url")
    @classmethod
    def absolute_url(cls, value: str) -> str:
        # The URL is written into robots.txt, feeds and every page's links:
        # only a plain absolute http(s) address may go there.
        problem = url_problem(value)
        if problem is not None:
            raise ValueError(f"must be an absolute http(s) URL such as https://example.org/archive/{problem}")
        return value if value.endswith("/") else value + "/"

    @field_validator("language")
    @classmethod
    def language_tag(cls, value: str) -> str:
        # Pagefind makes file names of it and panics on anything else.
        if not LANGUAGE_TAG.fullmatch(value):
            raise ValueError(f"{value!r} is not a language tag; use one such as en, de or pt-BR")
        return value

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: `/` or e.g. `/archive/`."""
        return urlsplit(self.base_url).path or "/"

    def with_base_url(self, base_url: str | None) -> SiteConfig:
        if not base_url:
            return self
        return SiteConfig.model_validate({**self.model_dump(), "base_url": base_url})


def describe_error(error: dict) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(file)"
    if error["type"] == "extra_forbidden":
        return f"unknown key {key!r}; check its spelling (known keys: {', '.join(SiteConfig.model_fields)})"
    return f"key {key!r}: {error['msg'].removeprefix('Value error, ')}"


TABLE_HEADER = re.compile(r"^\s*\[\s*\"?([^\]\"]+?)\"?\s*\]")


def key_line(text: str, key: str | None, table: str | None = None) -> int:
    """The line of `key = ...` in a TOML text (in `[table]` if given), else the
    table's header line; 0 where neither is found. For messages, so a curator
    is sent to the line to fix."""
    current, header = None, 0
    assignment = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=") if key else None
    for number, line in enumerate(text.splitlines(), start=1):
        if heading := TABLE_HEADER.match(line):
            current = heading.group(1).strip()
            header = number if current == table else header
        elif current == table and assignment and assignment.match(line):
            return number
    return header


def load_toml(path: Path, report: Diagnostics) -> tuple[dict, str] | None:
    """The file's data and its text (for `key_line`), or None after reporting why not."""
    text = read_toml_text(path, report)
    if text is None:
        return None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's error carries the position only in its message.
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = str(exc).replace(where.group(0), "").strip() if where else str(exc)
        report.error(path, int(where.group(1)) if where else 0, f"not valid TOML: {message}")
    return None


def read_toml_text(path: Path, report: Diagnostics) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report.error(path, 0, "not valid UTF-8; re-save the file as UTF-8")
    except OSError as exc:
        report.error(path, 0, f"cannot read the file: {exc.strerror}")
    return None


def load_config(content_dir: Path, report: Diagnostics, base_url: str | None = None) -> SiteConfig:
    path = content_dir / "site.toml"
    raw, text = {}, ""
    if path.exists():
        raw, text = load_toml(path, report) or ({}, "")
    if base_url:
        raw = {**raw, "base_url": base_url}
    try:
        return SiteConfig.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else None
            report.error(path, key_line(text, key), describe_error(error))
        return SiteConfig()
