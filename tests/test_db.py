"""storage/db.py: how connections are opened."""

from __future__ import annotations

from pathlib import Path

from storage.db import READ_CACHE_KB, connect


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
