"""The outbox table's SQL: enqueue, pick due rows, and record what each delivery attempt did.

The policy (which failure charges an attempt, when a row expires) lives in monitor.outbox; this
module only reads and writes rows, each change in one write transaction.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from storage.archive import now_iso
from storage.db import write_transaction

PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = (PENDING, SENT, FAILED)


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def insert(db: sqlite_utils.Database, *, kind: str, event: str, article_id: int | None, version: int,
           subscription: str, recipient: str, mode: str, incident: str, payload: dict[str, Any],
           channel: str = "email") -> int | None:
    """Add one pending row unless its twin exists (the unique index); returns its id or None."""
    now = now_iso()
    cursor = db.execute(
        "INSERT OR IGNORE INTO outbox (kind, event, article_id, version, subscription, recipient, mode,"
        " incident, payload, status, attempts, next_attempt, created, channel)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
        [kind, event, article_id, version, subscription, recipient, mode, incident,
         json.dumps(payload, ensure_ascii=False), now, now, channel],
    )
    return cursor.lastrowid if cursor.rowcount else None


def due(db: sqlite_utils.Database, now: str, limit: int = 500) -> list[dict[str, Any]]:
    """Pending rows whose next attempt has come, oldest first."""
    return list(db.query(
        "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt <= ? ORDER BY id LIMIT ?", [now, limit]))


def charge(db: sqlite_utils.Database, ids: list[int], delta: int = 1) -> None:
    """Add `delta` to the attempts of rows (+1 before a send, -1 to refund one the server never judged)."""
    with write_transaction(db):
        db.conn.executemany("UPDATE outbox SET attempts = max(0, attempts + ?) WHERE id = ?", [[delta, i] for i in ids])


def set_sent(db: sqlite_utils.Database, ids: list[int]) -> None:
    with write_transaction(db):
        db.conn.executemany("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
                            [[now_iso(), i] for i in ids])


def attempts_of(db: sqlite_utils.Database, ids: list[int]) -> list[dict[str, Any]]:
    """id, attempts, deferrals and created of rows."""
    return list(db.query(f"SELECT id, attempts, deferrals, created FROM outbox WHERE id IN ({_marks(ids)})", ids))


def set_failed(db: sqlite_utils.Database, ids: list[int], error: str) -> None:
    with write_transaction(db):
        db.conn.executemany("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?",
                            [[error, i] for i in ids])


def set_retry(db: sqlite_utils.Database, retries: list[tuple[int, str]], error: str, *, deferred: bool) -> None:
    """Rows to try again at the given times; `deferred` counts a failure that was the server's, not the row's."""
    bump = 1 if deferred else 0
    with write_transaction(db):
        db.conn.executemany("UPDATE outbox SET next_attempt = ?, last_error = ?, deferrals = deferrals + ?"
                            " WHERE id = ?", [[when, error, bump, i] for i, when in retries])


def expired(db: sqlite_utils.Database, created_before: str) -> list[dict[str, Any]]:
    """Pending rows created before the cut-off (past the queue lifetime)."""
    return list(db.query("SELECT id, last_error FROM outbox WHERE status = 'pending' AND created < ?",
                         [created_before]))


def reset(db: sqlite_utils.Database, now: str, *, statuses: tuple[str, ...], ids: list[int] | None = None) -> int:
    """Make rows of these statuses pending and due now (a failed row starts afresh); returns how many."""
    sql = (f"UPDATE outbox SET status = 'pending', next_attempt = ?,"
           f" attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,"
           f" deferrals = CASE WHEN status = 'failed' THEN 0 ELSE deferrals END,"
           f" created = CASE WHEN status = 'failed' THEN ? ELSE created END"
           f" WHERE status IN ({_marks(list(statuses))})")
    args: list[Any] = [now, now, *statuses]
    if ids:
        sql += f" AND id IN ({_marks(ids)})"
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


def failed_articles(db: sqlite_utils.Database, limit: int = 20) -> list[dict[str, Any]]:
    """Failed article alerts, newest first, with their titles (for the health check)."""
    return list(db.query("SELECT o.id, o.recipient, o.channel, o.last_error, a.title FROM outbox o LEFT JOIN articles a"
                         " ON a.id = o.article_id WHERE o.status = 'failed' AND o.kind = 'article'"
                         " ORDER BY o.id DESC LIMIT ?", [limit]))


def waiting(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The oldest pending article alert that a delivery attempt already failed on, with how many wait."""
    row = next(db.query("SELECT min(id) AS id, min(created) AS since, count(*) AS n FROM outbox"
                        " WHERE status = 'pending' AND kind = 'article' AND last_error IS NOT NULL"), None)
    if not row or row["id"] is None:
        return None
    last = next(db.query("SELECT last_error FROM outbox WHERE status = 'pending' AND last_error IS NOT NULL"
                         " ORDER BY next_attempt DESC LIMIT 1"))
    return {**row, "last_error": last["last_error"]}
