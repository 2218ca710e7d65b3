"""Open the archive: WAL, a busy timeout so a second process waits, and the migrations applied.

Migrations run under an exclusive file lock beside the archive, so several processes opening a new
archive at once (the daemon and a manual crawl) never race to create the same table. What cannot be
an archive (a directory, a file that is not SQLite, a read-only file opened for writing) raises
ArchiveError with one line saying which path and why; a read-only mount is read as an immutable file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from storage.migrations import migrations

READ_CACHE_KB = 32 * 1024  # page cache of a read-only connection (searches, exports)
BUSY_TIMEOUT_MS = int(float(os.environ.get("NEWSMON_BUSY_TIMEOUT", "30")) * 1000)  # seconds; tests shorten it


_READ_ONLY = ("the archive {path} is read-only ({why}); reading commands (search, show, export, stats, status)"
              " work, writing ones need write access to it and its directory")


class ArchiveError(sqlite3.OperationalError):
    """The archive's file cannot be opened, read or written; the message names the path and the cause.

    An OperationalError, as SQLite's own error was before: callers that wait for an archive being created
    (catching OperationalError) keep working."""


def connect(path: str | Path, *, readonly: bool = False, migrate: bool = True) -> sqlite_utils.Database:
    """A Database on `path` with WAL, foreign keys and a 30 s busy timeout; migrated unless read-only."""
    path = Path(path)
    if path.is_dir():
        raise ArchiveError(f"the archive path {path} is a directory; point [storage] path at a file")
    if not readonly and path.exists() and _unwritable(path):
        raise ArchiveError(_READ_ONLY.format(path=path, why="cannot write the file or its directory"))
    try:
        return _open(path, readonly, migrate)
    except sqlite3.DatabaseError as exc:
        if not readonly and _unwritable(path):
            raise ArchiveError(_READ_ONLY.format(path=path, why=exc)) from exc
        raise ArchiveError(describe(exc, path)) from exc
    except OSError as exc:
        raise ArchiveError(f"cannot open the archive {path}: {exc.strerror or exc}") from exc


def _open(path: Path, readonly: bool, migrate: bool) -> sqlite_utils.Database:
    if readonly:
        conn = _readonly(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys=ON")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if readonly and "articles" not in tables:
        conn.close()
        raise ArchiveError(f"{path} is not a newsmon archive (it has no articles table); run 'newsmon crawl' "
                           "to create one, or point [storage] path at the archive")
    if tables and "articles" not in tables and "_sqlite_migrations" not in tables and migrate:
        conn.close()
        raise ArchiveError(f"{path} is an SQLite database but not a newsmon archive; point [storage] path elsewhere")
    if not readonly:
        _wal(conn)
        if migrate:
            _migrate(db, path)
    return db


def _readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; where SQLite cannot write its WAL index beside the file (a read-only mount or
    directory), the file is opened as immutable: nobody can be writing it there."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return _read_cache(conn)
    except sqlite3.OperationalError:
        conn.close()
        if not path.exists():
            raise
        if os.access(path.parent, os.W_OK) and not _readonly_mount(path):
            raise
    return _read_cache(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False))


def _read_cache(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Searches read the same pages query after query (the index's size table, the filters' index, common
    words' doclists): a read-only connection may keep READ_CACHE_KB of them instead of SQLite's 2 MB, taking
    ~10 % off a filtered search on 100,000 articles. Pages are cached only as they are read."""
    conn.execute(f"PRAGMA cache_size=-{READ_CACHE_KB}")
    return conn


def _unwritable(path: Path) -> bool:
    """A read-only mount, or a file or directory this process may not write (access() also refuses an immutable
    file, even to root). Never open the archive's file here: closing any descriptor of it would drop the POSIX
    locks SQLite holds on it in this process, and another process could then write under a reader's feet."""
    if _readonly_mount(path if path.exists() else path.parent):
        return True
    if path.exists() and not os.access(path, os.W_OK):
        return True
    return not os.access(path.parent, os.W_OK)


def _readonly_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def describe(exc: BaseException, path: Path) -> str:
    """One line for an SQLite error on the archive at `path`, saying what to do."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return (f"the archive {path} is read-only ({text}); reading commands work, writing ones need write access"
                " to the file and its directory")
    if "not a database" in text or "malformed" in text:
        return f"the archive {path} is damaged or not an SQLite file ({text}); restore it from a backup"
    if "disk is full" in text:
        return f"disk full: cannot write the archive {path} ({text})"
    if "disk I/O" in text:
        return f"cannot write the archive {path} ({text}): is the disk full or failing?"
    if "locked" in text:
        return f"the archive {path} is locked by another process ({text}); try again later"
    return f"the archive {path}: {text}"


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
    lets the busy timeout do its job. Nested use becomes a savepoint. A COMMIT that fails (a deferred
    constraint, an I/O error) rolls back too: the connection is never left inside a transaction that a later
    write would join and commit.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.rollback()
        raise
