"""storage/db.py: how connections are opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.db import READ_CACHE_KB, connect, write_transaction


def test_read_only_connection_keeps_a_larger_page_cache(tmp_path: Path) -> None:
    """Searches re-read the same index pages: a read-only connection caches READ_CACHE_KB, a writer keeps
    SQLite's default."""
    path = tmp_path / "newsmon.db"
    writer = connect(path)
    reader = connect(path, readonly=True)
    assert reader.execute("PRAGMA cache_size").fetchone()[0] == -READ_CACHE_KB
    assert writer.execute("PRAGMA cache_size").fetchone()[0] == -2000
    reader.conn.close()
    writer.conn.close()


def test_a_commit_that_fails_rolls_back(tmp_path: Path) -> None:
    """A deferred constraint (like an I/O error) fails the COMMIT: nothing of it may ride on the next write."""
    db = connect(tmp_path / "a.db")
    try:
        db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        db.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER"
                   " REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
        with pytest.raises(sqlite3.IntegrityError), write_transaction(db):
            db.execute("INSERT INTO child VALUES (1, 99)")  # refused only at COMMIT
        assert not db.conn.in_transaction
        with write_transaction(db):
            db.execute("INSERT INTO parent VALUES (1)")
        assert [r[0] for r in db.execute("SELECT id FROM child")] == []
    finally:
        db.close()
