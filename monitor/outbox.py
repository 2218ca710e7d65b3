"""The alert outbox: rows written in the article's transaction, drained later by monitor.delivery.

A row is `pending` until the mail server accepted its message (`sent`), or until it is given up
(`failed`): refused for good (a 5xx reply to that message, `[alerts] max_attempts` times), its article
gone, or still undelivered after the queue lifetime (`[alerts] max_age`). A failure that is the
server's (unreachable, a 4xx reply) defers the row with backoff without spending its attempts, as a
mail server's queue does. The unique index over (kind, article, version, subscription, recipient,
incident) makes enqueueing idempotent: a re-crawl or a replayed health check never creates a second
row, so never a second email. The SQL lives in storage.outbox.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from storage import outbox as table
from storage.archive import now_iso

EMAIL, APPRISE = "email", "apprise"  # the channel column: who delivers a row (monitor.channels)

PENDING, SENT, FAILED = table.PENDING, table.SENT, table.FAILED
STATUSES = table.STATUSES
counts, rows = table.counts, table.rows


def enqueue(db: sqlite_utils.Database, *, subscription: str, recipient: str, kind: str = "article",
            event: str = "new", article_id: int | None = None, version: int = 0, mode: str = "per_item",
            incident: str = "", payload: dict[str, Any] | None = None, channel: str = EMAIL) -> int | None:
    """Add one alert row unless its twin exists; returns the new row id or None (already queued).

    Call it inside the transaction that made the alert true (the article's, for article alerts).
    `channel` is "email" (recipient: an address) or "apprise" (recipient: the target URL as written).
    """
    return table.insert(db, kind=kind, event=event, article_id=article_id, version=version,
                        subscription=subscription, recipient=recipient, mode=mode, incident=incident,
                        payload=payload or {}, channel=channel)


def message_id(row: dict[str, Any]) -> str:
    """The Message-ID of a row's email: the same on every redelivery, so a duplicate is recognisable."""
    key = "|".join(str(row.get(k) or "") for k in
                   ("kind", "article_id", "version", "subscription", "recipient", "incident"))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return f"<newsmon.outbox.{row['id']}.{digest}@newsmon>"


def digest_message_id(rows: list[dict[str, Any]]) -> str:
    """The Message-ID of a digest: derived from its rows (the first id and a digest of all ids)."""
    ids = sorted(int(r["id"]) for r in rows)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:12]
    return f"<newsmon.outbox.{ids[0]}.{digest}.digest@newsmon>"


def due(db: sqlite_utils.Database, *, now: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Pending rows whose next attempt has come, oldest first."""
    return table.due(db, now or now_iso(), limit)


def claim(db: sqlite_utils.Database, ids: list[int]) -> None:
    """Count an attempt on rows about to be sent (before sending, so a crash loop still ends in failed)."""
    table.charge(db, ids, +1)


def mark_sent(db: sqlite_utils.Database, ids: list[int]) -> None:
    """The server accepted the message of these rows."""
    table.set_sent(db, ids)


def backoff_seconds(attempts: int, base: float, cap: float) -> float:
    """Exponential backoff: base, 2*base, 4*base ... never more than cap."""
    return min(cap, base * 2 ** max(0, min(attempts, 64) - 1))


def _later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def mark_failed(db: sqlite_utils.Database, ids: list[int], error: str, *, max_attempts: int,
                base: float, cap: float, permanent: bool = False) -> list[int]:
    """Record a refused attempt (the message's fault): retry later with backoff, or `failed` once it was
    refused `max_attempts` times (at once when `permanent`); returns the ids now failed."""
    found = table.attempts_of(db, ids)
    given_up = [r["id"] for r in found if permanent or r["attempts"] >= max_attempts]
    retries = [(r["id"], _later(backoff_seconds(r["attempts"], base, cap))) for r in found
               if r["id"] not in given_up]
    if given_up:
        table.set_failed(db, given_up, error)
    if retries:
        table.set_retry(db, retries, error, deferred=False)
    return given_up


def defer(db: sqlite_utils.Database, ids: list[int], error: str, *, base: float, cap: float) -> None:
    """Record a failure that was the server's (unreachable, 4xx): the attempt claimed for it is given back,
    and the row waits with backoff over its deferrals. Only the queue lifetime ends such a row."""
    table.charge(db, ids, -1)
    found = table.attempts_of(db, ids)
    table.set_retry(db, [(r["id"], _later(backoff_seconds(r["deferrals"] + 1, base, cap))) for r in found],
                    error, deferred=True)


def expire(db: sqlite_utils.Database, max_age: float, *, now: datetime | None = None) -> list[int]:
    """Give up pending rows older than the queue lifetime `max_age` seconds; returns their ids."""
    cut = ((now or datetime.now(UTC)) - timedelta(seconds=max_age)).isoformat(timespec="seconds")
    old = table.expired(db, cut)
    for row in old:
        reason = f"expired: not delivered within [alerts] max_age ({max_age / 86400:g} days)"
        table.set_failed(db, [row["id"]], f"{reason}; last error: {row['last_error']}" if row["last_error"] else reason)
    return [r["id"] for r in old]


def retry(db: sqlite_utils.Database, *, failed: bool = True, ids: list[int] | None = None) -> int:
    """Make rows due now (pending ones always; failed ones too, afresh: attempts, deferrals and queue
    lifetime start again); returns how many."""
    statuses = (PENDING, FAILED) if failed else (PENDING,)
    return table.reset(db, now_iso(), statuses=statuses, ids=ids)


def failed_articles(db: sqlite_utils.Database, limit: int = 20) -> list[dict[str, Any]]:
    """Failed article alerts, newest first (for the health check)."""
    return table.failed_articles(db, limit)


def waiting(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The oldest article alert still pending after a failed delivery attempt (id, since, n, last_error)."""
    return table.waiting(db)
