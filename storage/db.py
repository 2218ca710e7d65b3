"""Open the archive: WAL, a busy timeout so a second process waits, and the migrations applied.

Migrations run under an exclusive file lock beside the archive, so several processes opening a new
archive at once (the daemon and a manual crawl) never race to create the same table.
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
import time
from collections.abc import Iterator
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
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys=ON")
    if not readonly:
        _wal(conn)
        if migrate:
            _migrate(db, path)
    return db


def _wal(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """Switch to WAL; the switch can answer 'locked' at once instead of waiting, so retry a while."""
    for attempt in range(attempts):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    """Apply pending migrations, one process at a time."""
    if not migrations.pending(db):
        return
    with open(path.with_name(path.name + ".migrate.lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        migrations.apply(db)


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the write lock up front (BEGIN IMMEDIATE).

    A plain BEGIN reads first and upgrades to writing later; when another process committed in
    between, SQLite answers "database is locked" at once instead of waiting. Taking the lock first
    lets the busy timeout do its job. Nested use becomes a savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.conn.execute("COMMIT")
