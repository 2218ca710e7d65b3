"""Rebuild the full-text index with the current normaliser, in place and resumable.

The new index is filled beside the old one (`articles_fts_next`), a batch of articles per transaction,
in id order: a run killed at any moment leaves whole batches, and the next run goes on after the
highest id already indexed. Only when every article is in it does one transaction drop the old index
and give the new one its name, so search keeps working on the old index until then. Articles and
versions are only read.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

import sqlite_utils

from storage import fts
from storage.db import write_transaction

NEXT = "articles_fts_next"
BATCH = 500


def is_current(db: sqlite_utils.Database) -> bool:
    """True when `articles_fts` already has the current layout (its `forms` column)."""
    columns = [r[1] for r in db.execute("PRAGMA table_info(articles_fts)").fetchall()]
    return fts.FORMS_COLUMN in columns


def reindex(db: sqlite_utils.Database, *, batch: int | None = None, stream: TextIO | None = None) -> int:
    """Index every article into a new table, then swap it in; returns the articles indexed by this run."""
    batch = batch or BATCH
    if is_current(db) and not db[NEXT].exists():
        return 0
    if not db[NEXT].exists():
        with write_transaction(db):
            db.execute(fts.CREATE.format(name=NEXT))
            fts.configure(db, NEXT)
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    after = db.execute(f"SELECT coalesce(max(rowid), 0) FROM {NEXT}").fetchone()[0]
    done = db.execute("SELECT count(*) FROM articles WHERE id <= ?", [after]).fetchone()[0]
    bar = Progress(total, stream if stream is not None else sys.stderr)
    bar.show(done)
    indexed = 0
    while rows := db.execute("SELECT id, title, body FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                             [after, batch]).fetchall():
        values = [(aid, *fts.index_texts(title, body)) for aid, title, body in rows]
        with write_transaction(db):
            db.conn.executemany(f"INSERT INTO {NEXT} (rowid, title, body, forms) VALUES (?, ?, ?, ?)", values)
        after, indexed = rows[-1][0], indexed + len(rows)
        bar.show(done + indexed)
    with write_transaction(db):
        db.execute("DROP TABLE IF EXISTS articles_fts")
        db.execute(f"ALTER TABLE {NEXT} RENAME TO articles_fts")
    bar.finish()
    return indexed


class Progress:
    """A one-line progress bar on a terminal; silent when the stream is not a tty (cron, tests, pipes)."""

    def __init__(self, total: int, stream: TextIO, width: int = 30) -> None:
        self.total, self.stream, self.width = total, stream, width
        self.on = bool(getattr(stream, "isatty", lambda: False)()) and total > 0
        self.started, self.shown = time.monotonic(), 0.0

    def show(self, done: int) -> None:
        now = time.monotonic()
        if not self.on or (now - self.shown < 0.2 and done < self.total):
            return
        self.shown = now
        filled = int(self.width * done / self.total)
        self.stream.write(f"\rreindexing search: [{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{done:,}/{self.total:,} articles")
        self.stream.flush()

    def finish(self) -> None:
        if self.on:
            self.stream.write(f" done in {time.monotonic() - self.started:.0f} s\n")
            self.stream.flush()
