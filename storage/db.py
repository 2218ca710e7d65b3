"""Open the archive: WAL, a busy timeout so a second process waits, and the migrations applied."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from storage.migrations import migrations

BUSY_TIMEOUT_MS = 30_000


def connect(path: str | Path, *, readonly: bool = False, migrate: bool = True) -> sqlite_utils.Database:
    """A Database on `path` with WAL, foreign keys and a 30 s busy timeout; migrated unless read-only."""
    path = Path(path)
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
        db = sqlite_utils.Database(conn)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    if migrate and not readonly:
        migrations.apply(db)
    return db
