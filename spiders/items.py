"""The one item the spiders yield: an article, as extracted from the site."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Image:
    """A full-size image of an article and its caption."""

    url: str
    caption: str = ""


@dataclass
class Article:
    """An article as the spiders see it; pipelines validate and normalise it before archiving.

    `fetch` says how the article page answered: "fetched" (200, fields parsed) or
    "not_modified" (304 on a conditional GET: the archived version still holds).
    `title_source`, `body_source` and `date_source` name the extractor that gave each field: profile (the
    site profile's parsers or the source's selectors), metadata (JSON-LD, OpenGraph, <time>), generic,
    feed, listing; "none" when nothing did.
    """

    url: str
    source: str
    lang: str
    section: str | None = None
    section_name: str | None = None
    title: str | None = None
    body: str | None = None
    published: str | None = None
    images: list[Image] = field(default_factory=list)
    summary: str | None = None
    date_source: str = "none"
    title_source: str = "none"
    body_source: str = "none"
    flags: list[str] = field(default_factory=list)
    fetch: str = "fetched"
    etag: str | None = None
    last_modified: str | None = None
    fingerprint: str | None = None
    # Not archived: the index texts and topic matches of the text, when a worker process read the page
    # (monitor.analysis); the archive uses them only if they fit the text it stores.
    analysis: Any = field(default=None, repr=False, compare=False)
