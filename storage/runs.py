"""Crawl records: one row per crawl of a source, and the counted events (errors, drops, flags) of each."""

from __future__ import annotations

import json
import os
from typing import Any

import sqlite_utils

from storage.archive import now_iso
from storage.db import write_transaction

COUNTERS = ("requests", "bytes", "listed", "new", "changed", "unchanged", "errors", "dropped", "skipped", "flagged",
            "no_date")


def start_run(db: sqlite_utils.Database, source: str, mode: str, pid: int | None = None) -> int:
    """Open a crawl record with outcome 'running'; returns its id."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO crawl_runs (source, mode, started, pid) VALUES (?, ?, ?, ?)",
            [source, mode, now_iso(), pid],
        )
    return cursor.lastrowid


def finish_run(db: sqlite_utils.Database, run_id: int, outcome: str, counts: dict[str, Any],
               responses: dict[str, int], elapsed: float, message: str | None = None) -> None:
    """Close a crawl record with its outcome, counters and responses by status."""
    values = {key: int(counts.get(key, 0)) for key in COUNTERS}
    sets = ", ".join(f"{key} = :{key}" for key in values)
    with write_transaction(db):
        db.execute(
            f"UPDATE crawl_runs SET {sets}, outcome = :outcome, finished = :finished, responses = :responses,"
            " elapsed = :elapsed, message = :message WHERE id = :id",
            {**values, "outcome": outcome, "finished": now_iso(), "responses": json.dumps(responses),
             "elapsed": round(elapsed, 3), "message": message, "id": run_id},
        )


def add_event(db: sqlite_utils.Database, run_id: int | None, kind: str, url: str | None, reason: str) -> None:
    """Record one counted event of a crawl: error, dropped, skipped, no_date or date_conflict."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO crawl_events (run_id, kind, url, reason, at) VALUES (?, ?, ?, ?, ?)",
            [run_id, kind, url, reason, now_iso()],
        )


def process_alive(pid: int | None) -> bool:
    """Whether a process with this id exists (a crawl record's pid)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def committed_counts(db: sqlite_utils.Database, source: str, since: str, until: str | None = None) -> dict[str, int]:
    """What the archive holds of a crawl between `since` and `until`: articles first seen (new), given a
    new version (changed) or seen again (unchanged) in that span. For a crawl that died before its
    record could count: every article is committed with its timestamps, so the archive knows."""
    until = until or "9999"
    row = db.execute(
        "SELECT sum(first_seen >= :since AND first_seen < :until),"
        " sum(first_seen < :since AND updated >= :since AND updated < :until),"
        " sum(updated < :since AND last_seen >= :since AND last_seen < :until)"
        " FROM articles WHERE source = :source AND last_seen >= :since",
        {"since": since, "until": until, "source": source}).fetchone()
    return {"new": row[0] or 0, "changed": row[1] or 0, "unchanged": row[2] or 0}


def close_stale_runs(db: sqlite_utils.Database, source: str, alive: set[int] | None = None) -> int:
    """Mark 'running' records whose process is gone (a killed crawl) as 'killed', with the new, changed
    and unchanged articles it committed before it died counted from the archive.

    `alive` names the pids still running; by default each record's pid is checked.
    """
    rows = list(db.query("SELECT id, pid, started FROM crawl_runs WHERE source = ? AND outcome = 'running'"
                         " ORDER BY id", [source]))
    stale = [r for r in rows if not (process_alive(r["pid"]) if alive is None else r["pid"] in alive)]
    with write_transaction(db):
        for run in stale:
            later = db.execute("SELECT min(started) FROM crawl_runs WHERE source = ? AND id > ?",
                               [source, run["id"]]).fetchone()[0]
            counts = committed_counts(db, source, run["started"], later)
            db.execute("UPDATE crawl_runs SET outcome = 'killed', finished = ?, new = ?, changed = ?, unchanged = ?,"
                       " message = coalesce(message, 'the process ended before closing its record;"
                       " counts taken from the archive') WHERE id = ?",
                       [now_iso(), counts["new"], counts["changed"], counts["unchanged"], run["id"]])
    return len(stale)


def last_run(db: sqlite_utils.Database, source: str, outcome: str | None = None) -> dict[str, Any] | None:
    """The newest crawl record of a source (optionally only with that outcome)."""
    sql = "SELECT * FROM crawl_runs WHERE source = ?"
    args: list[Any] = [source]
    if outcome:
        sql += " AND outcome = ?"
        args.append(outcome)
    rows = list(db.query(sql + " ORDER BY id DESC LIMIT 1", args))
    return rows[0] if rows else None


def previous_crawl_complete(db: sqlite_utils.Database, source: str) -> bool:
    """Whether the source's last finished crawl ended ok (not killed or failed midway).

    Only then is the archive known to be complete below its newest articles, so that an incremental
    crawl may stop paging at the first listing page with nothing new.
    """
    rows = list(db.query("SELECT outcome FROM crawl_runs WHERE source = ? AND outcome != 'running'"
                         " ORDER BY id DESC LIMIT 1", [source]))
    return bool(rows) and rows[0]["outcome"] == "ok"


def has_baseline(db: sqlite_utils.Database, source: str) -> bool:
    """True once a crawl of the source has finished ok: later new articles may alert."""
    return last_run(db, source, "ok") is not None


def known_urls(db: sqlite_utils.Database, source: str) -> dict[str, dict[str, str | None]]:
    """URLs an incremental crawl need not fetch: archived ones with their validators (etag, last_modified),
    and ones dropped as unusable (no title, empty body), which only a --full crawl asks for again."""
    known: dict[str, dict[str, str | None]] = {
        row["url"]: {"etag": None, "last_modified": None}
        for row in db.query("SELECT DISTINCT e.url FROM crawl_events e JOIN crawl_runs r ON r.id = e.run_id"
                            " WHERE r.source = ? AND e.kind = 'dropped' AND e.url IS NOT NULL", [source])
    }
    known.update({
        row["url"]: {"etag": row["etag"], "last_modified": row["last_modified"]}
        for row in db.query("SELECT url, etag, last_modified FROM articles WHERE source = ?", [source])
    })
    return known


def retry_candidates(db: sqlite_utils.Database, source: str, *, max_failures: int = 3,
                     limit: int = 200) -> list[str]:
    """URLs whose fetch failed in earlier crawls of the source and that the archive still lacks.

    An incremental crawl asks for them again, so a timeout on a deep listing page is not lost until
    the next full sweep; after `max_failures` failed crawls a URL is left to the full sweeps.
    """
    return [row["url"] for row in db.query(
        "SELECT e.url FROM crawl_events e JOIN crawl_runs r ON r.id = e.run_id"
        " WHERE r.source = ? AND e.kind = 'error' AND e.url IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = e.url)"
        " GROUP BY e.url HAVING count(DISTINCT e.run_id) < ? ORDER BY max(e.id) DESC LIMIT ?",
        [source, max_failures, limit])]


def alert_horizon(db: sqlite_utils.Database, source: str, days: int = 30) -> str | None:
    """The date before which a newly found article of the source is old news: `days` before its newest
    archived article (None for an empty archive). Relative to the site's own dates, not the clock."""
    row = db.execute("SELECT date(max(substr(published, 1, 10)), ?) FROM articles WHERE source = ?",
                     [f"-{days} days", source]).fetchone()
    return row[0] if row else None


def record_extraction(db: sqlite_utils.Database, run_id: int | None, fallbacks: int,
                      extractors: dict[str, dict[str, int]]) -> None:
    """A crawl's fallbacks (fields a profile or selector should have given) and which extractor gave
    each field, e.g. {"body": {"profile": 57, "generic": 3}, "date": {...}}."""
    if run_id is None:
        return
    with write_transaction(db):
        db.execute("UPDATE crawl_runs SET fallbacks = ?, extractors = ? WHERE id = ?",
                   [fallbacks, json.dumps(extractors, sort_keys=True), run_id])


def finished_runs(db: sqlite_utils.Database, source: str, limit: int = 50) -> list[dict[str, Any]]:
    """A source's finished crawl records, newest first (health checks read streaks from them)."""
    return list(db.query("SELECT * FROM crawl_runs WHERE source = ? AND outcome != 'running' ORDER BY id DESC"
                         " LIMIT ?", [source, limit]))


def last_ok_run(db: sqlite_utils.Database, source: str, mode: str | None = None) -> dict[str, Any] | None:
    """The newest successful crawl record of a source (of `mode` when given)."""
    sql = "SELECT * FROM crawl_runs WHERE source = ? AND outcome = 'ok'"
    args: list[Any] = [source]
    if mode:
        sql += " AND mode = ?"
        args.append(mode)
    return next(iter(db.query(sql + " ORDER BY id DESC LIMIT 1", args)), None)
