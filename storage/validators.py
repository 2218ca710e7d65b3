"""Conditional polling state: per-URL validators of a source's feed and first listing page, and robots.txt
per origin with its expiry. Both let an idle poll cost one small request instead of whole pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from storage.db import write_transaction


@dataclass(frozen=True)
class Validators:
    """What the last finished crawl saw of one URL: the server's validators and the body's hash."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None


def load_validators(db: sqlite_utils.Database, source: str) -> dict[str, Validators]:
    """Every stored validator of a source's discovery URLs, by URL."""
    rows = db.query("SELECT url, etag, last_modified, content_hash FROM poll_validators WHERE source = ?", [source])
    return {r["url"]: Validators(r["url"], r["etag"], r["last_modified"], r["content_hash"]) for r in rows}


def save_validators(db: sqlite_utils.Database, source: str, seen: list[Validators]) -> None:
    """Keep what this crawl saw, in one transaction (called only when the crawl finished)."""
    from storage.archive import now_iso

    with write_transaction(db):
        for v in seen:
            db.execute("INSERT INTO poll_validators (url, source, etag, last_modified, content_hash, updated)"
                       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET source = excluded.source,"
                       " etag = excluded.etag, last_modified = excluded.last_modified,"
                       " content_hash = excluded.content_hash, updated = excluded.updated",
                       [v.url, source, v.etag, v.last_modified, v.content_hash, now_iso()])


def cached_robots(db: sqlite_utils.Database, origin: str, now: float) -> dict[str, Any] | None:
    """The origin's robots.txt if still fresh at `now`, else None."""
    for row in db.query("SELECT status, body, content_type FROM robots_cache WHERE origin = ? AND expires > ?",
                        [origin, now]):
        return dict(row)
    return None


def save_robots(db: sqlite_utils.Database, origin: str, status: int, body: bytes, content_type: str | None,
                fetched: float, expires: float) -> None:
    with write_transaction(db):
        db.execute("INSERT INTO robots_cache (origin, status, body, content_type, fetched, expires)"
                   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(origin) DO UPDATE SET status = excluded.status,"
                   " body = excluded.body, content_type = excluded.content_type, fetched = excluded.fetched,"
                   " expires = excluded.expires", [origin, status, body, content_type, fetched, expires])
