"""The archive's write side: one transaction per article holds its row, version, index and alerts.

A crawl killed at any moment therefore leaves either the whole article (with its outbox rows)
or nothing of it, and the URL's UNIQUE constraint forbids duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from storage import fts
from storage.db import write_transaction
from storage.diff import CHANGED, NEW, UNCHANGED, classify, unified_diff, version_text


@dataclass
class Stored:
    """What storing an article did: its status, row id, current version and diff (if changed)."""

    status: str
    article_id: int
    version: int
    diff: str | None = None


OnStored = Callable[[sqlite_utils.Database, Stored, dict[str, Any]], None]


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, the archive's timestamp format."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def article_row(item: Any) -> dict[str, Any]:
    """An Article item (dataclass or dict) as the columns of `articles`."""
    # A shallow read of the fields: asdict() deep-copies every value, a measurable cost per archived article.
    data = dict(item) if isinstance(item, dict) else {f.name: getattr(item, f.name) for f in fields(item)}
    images = [asdict(i) if is_dataclass(i) else dict(i) for i in data.get("images") or []]
    return {
        "url": data["url"],
        "source": data["source"],
        "lang": data["lang"],
        "section": data.get("section"),
        "section_name": data.get("section_name"),
        "title": data["title"],
        "body": data["body"],
        "published": data.get("published"),
        "date_source": data.get("date_source") or "none",
        "title_source": data.get("title_source") or "none",
        "body_source": data.get("body_source") or "none",
        "summary": data.get("summary"),
        "images": json.dumps(images, ensure_ascii=False),
        "flags": json.dumps(sorted(set(data.get("flags") or [])), ensure_ascii=False),
        "fingerprint": data["fingerprint"],
        "etag": data.get("etag"),
        "last_modified": data.get("last_modified"),
    }


def store(db: sqlite_utils.Database, item: Any, *, seen_at: str | None = None,
          on_stored: OnStored | None = None) -> Stored:
    """Archive one fetched article as new, changed or unchanged, in one transaction.

    `on_stored(db, result, row)` runs inside the same transaction (topics, outbox rows); its row has the
    item's analysis (monitor.analysis) under "analysis" when one came with the item and fits the row.
    """
    row = article_row(item)
    analysis = getattr(item, "analysis", None)
    if analysis is not None and not analysis.fits(row):
        analysis = None  # read from another text than the one stored: computed here instead
    texts = analysis.texts if analysis is not None else None
    seen_at = seen_at or now_iso()
    with write_transaction(db):
        old = current(db, row["url"])
        status = classify(old["fingerprint"] if old else None, row["fingerprint"])
        if status == NEW:
            result = _insert_new(db, row, seen_at, texts)
        elif status == CHANGED:
            result = _insert_version(db, old, row, seen_at, texts)
        else:
            result = _touch(db, old, row, seen_at)
        if on_stored is not None:
            reread = status == CHANGED and old["body_source"] != row["body_source"]
            on_stored(db, result, {**row, "id": result.article_id, "version": result.version,
                                   "extractor_changed": reread, "analysis": analysis})
    return result


def mark_not_modified(db: sqlite_utils.Database, url: str, *, seen_at: str | None = None) -> Stored | None:
    """A 304 for an archived URL: the article is unchanged; only last_seen moves."""
    with write_transaction(db):
        old = current(db, url)
        if old is None:
            return None
        db.execute("UPDATE articles SET last_seen = ? WHERE id = ?", [seen_at or now_iso(), old["id"]])
    return Stored(UNCHANGED, old["id"], old["version"])


def current(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    """The archived row of `url`, or None."""
    rows = list(db.query("SELECT * FROM articles WHERE url = ?", [url]))
    return rows[0] if rows else None


def _insert_new(db: sqlite_utils.Database, row: dict[str, Any], seen_at: str,
                texts: tuple[str, str, str] | None) -> Stored:
    cursor = db.execute(
        "INSERT INTO articles (url, source, lang, section, section_name, title, body, published, date_source,"
        " title_source, body_source, summary, images, flags, fingerprint, version, first_seen, last_seen, updated,"
        " etag, last_modified)"
        " VALUES (:url, :source, :lang, :section, :section_name, :title, :body, :published, :date_source,"
        " :title_source, :body_source, :summary, :images, :flags, :fingerprint, 1, :seen, :seen, :seen, :etag,"
        " :last_modified)",
        {**row, "seen": seen_at},
    )
    article_id = cursor.lastrowid
    _add_version(db, article_id, 1, row, seen_at, None)
    fts.index_article(db, article_id, row["title"], row["body"], texts)
    return Stored(NEW, article_id, 1)


def _insert_version(db: sqlite_utils.Database, old: dict[str, Any], row: dict[str, Any], seen_at: str,
                    texts: tuple[str, str, str] | None) -> Stored:
    version = old["version"] + 1
    diff = unified_diff(
        version_text(old["title"], old["body"], old["published"]),
        version_text(row["title"], row["body"], row["published"]),
        f"version {old['version']} ({old['updated']})",
        f"version {version} ({seen_at})",
    )
    db.execute(
        "UPDATE articles SET section = :section, section_name = :section_name, title = :title, body = :body,"
        " published = :published, date_source = :date_source, title_source = :title_source,"
        " body_source = :body_source, summary = coalesce(:summary, summary),"
        " images = :images, flags = :flags, fingerprint = :fingerprint, version = :version,"
        " last_seen = :seen, updated = :seen, etag = :etag, last_modified = :last_modified WHERE id = :id",
        {**row, "seen": seen_at, "version": version, "id": old["id"]},
    )
    _add_version(db, old["id"], version, row, seen_at, diff)
    fts.index_article(db, old["id"], row["title"], row["body"], texts)
    return Stored(CHANGED, old["id"], version, diff)


def _touch(db: sqlite_utils.Database, old: dict[str, Any], row: dict[str, Any], seen_at: str) -> Stored:
    """Unchanged content: keep the version, refresh validators and extractors, fill what was missing."""
    db.execute(
        "UPDATE articles SET last_seen = ?, etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),"
        " title_source = ?, body_source = ?, date_source = CASE WHEN ? = 'none' THEN date_source ELSE ? END,"
        " summary = coalesce(summary, ?), published = CASE WHEN length(coalesce(?, '')) > length(coalesce(published, ''))"
        " THEN ? ELSE published END WHERE id = ?",
        [seen_at, row["etag"], row["last_modified"], row["title_source"], row["body_source"], row["date_source"],
         row["date_source"], row["summary"], row["published"], row["published"], old["id"]],
    )
    return Stored(UNCHANGED, old["id"], old["version"])


def _add_version(db: sqlite_utils.Database, article_id: int, version: int, row: dict[str, Any],
                 seen_at: str, diff: str | None) -> None:
    db.execute(
        "INSERT INTO versions (article_id, version, title, body, published, fingerprint, seen_at, diff)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [article_id, version, row["title"], row["body"], row["published"], row["fingerprint"], seen_at, diff],
    )


def clean_current(db: sqlite_utils.Database, article_id: int, body: str, fingerprint: str) -> None:
    """Take learned chrome out of an article's current version, in place: chrome is not content, so
    removing it is neither a new version nor a change (nor an alert)."""
    with write_transaction(db):
        row = db.execute("SELECT title, version FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            return
        db.execute("UPDATE articles SET body = ?, fingerprint = ? WHERE id = ?", [body, fingerprint, article_id])
        db.execute("UPDATE versions SET body = ?, fingerprint = ? WHERE article_id = ? AND version = ?",
                   [body, fingerprint, article_id, row[1]])
        fts.index_article(db, article_id, row[0], body)


def new_in_run(db: sqlite_utils.Database, source: str, since: str) -> list[dict[str, Any]]:
    """Articles of `source` first archived at or after `since` and read by a generic extractor."""
    return list(db.query(
        "SELECT id, title, body, published FROM articles WHERE source = ? AND version = 1 AND first_seen >= ?"
        " AND body_source NOT IN ('profile', 'none')", [source, since]))
