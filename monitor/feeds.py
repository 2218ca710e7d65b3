"""Atom feeds of a saved search or topic, so a user can follow "cooperation news" in any feed reader."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlite_utils
from feedgen.feed import FeedGenerator

from storage import queries

MOSCOW = ZoneInfo("Europe/Moscow")
FEED_ID_BASE = "tag:newsmon,2024:feed"


def parse_time(value: str | None, default: datetime | None = None) -> datetime:
    """An archive timestamp ('2024-03-15', ISO with or without zone) as an aware datetime (Moscow if naive)."""
    if not value:
        return default or datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return default or datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=MOSCOW)


def feed_title(query: str | None, filters: queries.Filters) -> str:
    """A human title naming what the feed follows, e.g. 'University news: сотрудничество, topic cooperation'."""
    parts = [f"“{query}”"] if query else []
    parts += [f"{name} {value}" for name, value in vars(filters).items() if value]
    return "University news" + (": " + ", ".join(parts) if parts else "")


def build_feed(db: sqlite_utils.Database, query: str | None, filters: queries.Filters, *,
               limit: int = 50, self_url: str | None = None) -> FeedGenerator:
    """The feed of the newest matching articles (relevance picks them when there is a query)."""
    hits = queries.search(db, query, filters, limit=limit, mark=("", ""))
    hits.sort(key=lambda h: (h["published"] or h["first_seen"] or ""), reverse=True)
    fg = FeedGenerator()
    key = "/".join(f"{k}={v}" for k, v in [("q", query), *vars(filters).items()] if v) or "all"
    fg.id(f"{FEED_ID_BASE}:{key}")
    fg.title(feed_title(query, filters))
    sources = sorted({h["source"] for h in hits})
    fg.subtitle("Articles archived by newsmon" + (f" from {', '.join(sources)}" if sources else ""))
    fg.author({"name": "newsmon"})
    fg.generator("newsmon")
    if hits:  # the site of the newest article
        parts = urlsplit(hits[0]["url"])
        fg.link(href=f"{parts.scheme}://{parts.netloc}/", rel="alternate")
    if self_url:
        fg.link(href=self_url, rel="self")
    newest = max((parse_time(h["updated"]) for h in hits), default=datetime(2000, 1, 1, tzinfo=UTC))
    fg.updated(newest)
    for hit in reversed(hits):  # feedgen prepends entries: add oldest first so the newest leads
        _entry(fg, hit)
    return fg


def _entry(fg: FeedGenerator, hit: dict[str, Any]) -> None:
    entry = fg.add_entry()
    entry.id(hit["url"])
    entry.title(hit["title"])
    entry.link(href=hit["url"], rel="alternate")
    updated = parse_time(hit["updated"])
    entry.updated(updated)
    entry.published(parse_time(hit["published"], default=parse_time(hit["first_seen"])))
    entry.summary(hit["snippet"] or hit["title"])
    if hit.get("section"):
        entry.category(term=hit["section"], label=hit.get("section_name") or hit["section"])
    entry.category(term=f"lang:{hit['lang']}")


def write_feed(db: sqlite_utils.Database, query: str | None, filters: queries.Filters, output: Path, *,
               limit: int = 50) -> int:
    """Write the Atom feed to `output` (atomically); returns the number of entries."""
    fg = build_feed(db, query, filters, limit=limit)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    fg.atom_file(str(tmp), pretty=True)
    tmp.replace(output)
    return len(fg.entry())
