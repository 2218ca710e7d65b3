"""The alert outbox: rows written in the article's transaction, drained later by monitor.delivery.

A row is `pending` until the mail server accepted its message (`sent`) or it ran out of attempts
or was refused for good (`failed`). The unique index over (kind, article, version, subscription,
recipient, incident) makes enqueueing idempotent: a re-crawl or a replayed health check never
creates a second row, so never a second email.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from storage.archive import now_iso
from storage.db import write_transaction

PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = (PENDING, SENT, FAILED)


def enqueue(db: sqlite_utils.Database, *, subscription: str, recipient: str, kind: str = "article",
            event: str = "new", article_id: int | None = None, version: int = 0, mode: str = "per_item",
            incident: str = "", payload: dict[str, Any] | None = None) -> int | None:
    """Add one alert row unless its twin exists; returns the new row id or None (already queued).

    Call it inside the transaction that made the alert true (the article's, for article alerts).
    """
    now = now_iso()
    cursor = db.execute(
        "INSERT OR IGNORE INTO outbox (kind, event, article_id, version, subscription, recipient, mode,"
        " incident, payload, status, attempts, next_attempt, created)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
        [kind, event, article_id, version, subscription, recipient, mode, incident,
         json.dumps(payload or {}, ensure_ascii=False), now, now],
    )
    return cursor.lastrowid if cursor.rowcount else None


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
    return list(db.query(
        "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt <= ? ORDER BY id LIMIT ?",
        [now or now_iso(), limit],
    ))


def claim(db: sqlite_utils.Database, ids: list[int]) -> None:
    """Count an attempt on rows about to be sent (before sending, so a crash loop still ends in failed)."""
    with write_transaction(db):
        db.conn.executemany("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", [[i] for i in ids])


def mark_sent(db: sqlite_utils.Database, ids: list[int]) -> None:
    """The server accepted the message of these rows."""
    with write_transaction(db):
        db.conn.executemany("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
                       [[now_iso(), i] for i in ids])


def backoff_seconds(attempts: int, base: float, cap: float) -> float:
    """Exponential backoff: base, 2*base, 4*base ... never more than cap."""
    return min(cap, base * 2 ** max(0, attempts - 1))


def mark_failed(db: sqlite_utils.Database, ids: list[int], error: str, *, max_attempts: int,
                base: float, cap: float, permanent: bool = False) -> list[int]:
    """Record a failed attempt: retry later with backoff, or `failed` for good; returns the ids now failed."""
    given_up = []
    with write_transaction(db):
        for row in db.query(f"SELECT id, attempts FROM outbox WHERE id IN ({','.join('?' * len(ids))})", ids):
            if permanent or row["attempts"] >= max_attempts:
                db.execute("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?", [error, row["id"]])
                given_up.append(row["id"])
            else:
                later = datetime.now(UTC) + timedelta(seconds=backoff_seconds(row["attempts"], base, cap))
                db.execute("UPDATE outbox SET next_attempt = ?, last_error = ? WHERE id = ?",
                           [later.isoformat(timespec="seconds"), error, row["id"]])
    return given_up


def retry(db: sqlite_utils.Database, *, failed: bool = True, ids: list[int] | None = None) -> int:
    """Make rows due now (pending ones always; failed ones too, with attempts reset); returns how many."""
    statuses = ("pending", "failed") if failed else ("pending",)
    sql = (f"UPDATE outbox SET status = 'pending', next_attempt = ?,"
           f" attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END"
           f" WHERE status IN ({','.join('?' * len(statuses))})")
    args: list[Any] = [now_iso(), *statuses]
    if ids:
        sql += f" AND id IN ({','.join('?' * len(ids))})"
        args += ids
    with write_transaction(db):
        return db.execute(sql, args).rowcount


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many rows are pending, sent and failed."""
    out = dict.fromkeys(STATUSES, 0)
    for row in db.query("SELECT status, count(*) AS n FROM outbox GROUP BY status"):
        out[row["status"]] = row["n"]
    return out


def rows(db: sqlite_utils.Database, *, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Outbox rows with their article's title and URL, newest first (for `newsmon alerts list`)."""
    where, args = ("WHERE o.status = ?", [status]) if status else ("", [])
    return list(db.query(
        "SELECT o.*, a.title, a.url, a.source FROM outbox o LEFT JOIN articles a ON a.id = o.article_id"
        f" {where} ORDER BY o.id DESC LIMIT ?", [*args, limit]))
