"""Migration 0006 on an archive of the previous version (Snowball index): in place, resumable after a
SIGKILL, nothing lost, the old index dropped only when the new one is complete."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus import Corpus
from monitor.errors import QueryError
from storage import queries, reindex
from storage.db import connect
from storage.fts import snowball_text
from storage.migrations import migrations

REPO = Path(__file__).resolve().parent.parent
N = 1500


def old_archive(path: Path, n: int = N) -> None:
    """An archive as the previous version wrote it: every migration before 0006, Snowball stems indexed,
    some articles with a second version, and the Китай article the new index must find in every form."""
    db = connect(path, migrate=False)
    migrations.apply(db, stop_before="0006_lemma_index")
    corpus = Corpus(7)
    with db.atomic():
        for i in range(1, n + 1):
            art = corpus.article(i) if i > 1 else {"lang": "ru", "section": "international_activities",
                                                   "title": "Делегация из Китая", "body": "Сотрудничество с Китаем."}
            db.execute("INSERT INTO articles (id, url, source, lang, section, title, body, fingerprint, version,"
                       " first_seen, last_seen, updated) VALUES (?, ?, 'spbpu-ru', ?, ?, ?, ?, ?, ?, 's', 's', 's')",
                       [i, f"https://x/{i}/", art["lang"], art["section"], art["title"], art["body"], str(i),
                        2 if i % 10 == 0 else 1])
            for version in range(1, (2 if i % 10 == 0 else 1) + 1):
                db.execute("INSERT INTO versions (article_id, version, title, body, fingerprint, seen_at)"
                           " VALUES (?, ?, ?, ?, ?, 's')", [i, version, art["title"], art["body"], str(i)])
            db.execute("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                       [i, snowball_text(art["title"]), snowball_text(art["body"])])
    db.conn.close()


def digest(path: Path) -> str:
    """A hash of every article and version row: equal before and after means nothing was lost or changed."""
    db = connect(path, readonly=True)
    h = hashlib.sha256()
    for table in ("articles", "versions"):
        for row in db.execute(f"SELECT * FROM {table} ORDER BY id"):
            h.update(repr(row).encode())
    db.conn.close()
    return h.hexdigest()


def count(path: Path, sql: str) -> int:
    db = connect(path, readonly=True)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.conn.close()


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("old") / "newsmon.db"
    old_archive(path)
    return path


def test_old_index_is_refused_with_a_hint(previous: Path) -> None:
    db = connect(previous, readonly=True)
    assert not reindex.is_current(db)
    with pytest.raises(QueryError, match="newsmon crawl"):
        queries.search(db, "Китай")


def test_sigkill_in_the_middle_then_rerun(previous: Path, tmp_path: Path) -> None:
    path = tmp_path / "newsmon.db"
    path.write_bytes(previous.read_bytes())
    before = digest(path)
    code = ("import sys; from storage import reindex; reindex.BATCH = 20;"
            " from storage.db import connect; connect(sys.argv[1])")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 60
    partial = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            partial = count(path, f"SELECT count(*) FROM {reindex.NEXT}")
        except Exception:  # noqa: BLE001 - the table does not exist yet
            partial = 0
        if partial >= 200:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = count(path, f"SELECT count(*) FROM {reindex.NEXT}")
    assert 0 < partial < N, "the kill should land in the middle of the reindex"
    # killed: the old index is untouched and still answers, nothing is recorded as done
    assert count(path, "SELECT count(*) FROM articles_fts") == N
    assert not reindex.is_current(connect(path, readonly=True))
    assert count(path, "SELECT count(*) FROM _sqlite_migrations WHERE name = '0006_lemma_index'") == 0
    assert digest(path) == before

    db = connect(path, migrate=False)
    assert reindex.reindex(db) == N - partial  # the rerun goes on where the killed run stopped
    db.conn.close()
    connect(path).conn.close()  # records the migration; nothing left to do
    assert count(path, "SELECT count(*) FROM _sqlite_migrations WHERE name = '0006_lemma_index'") == 1
    assert count(path, "SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts_next'") == 0
    assert count(path, "SELECT count(*) FROM articles_fts") == N
    assert count(path, "SELECT count(DISTINCT rowid) FROM articles_fts") == N
    assert digest(path) == before
    db = connect(path, readonly=True)
    assert reindex.is_current(db)
    for form in ("Китай", "Китаю", "китае"):
        assert [h["url"] for h in queries.search(db, form) if h["url"] == "https://x/1/"], form


def test_migration_on_open_and_progress_bar_only_on_a_terminal(previous: Path, tmp_path: Path) -> None:
    path = tmp_path / "newsmon.db"
    path.write_bytes(previous.read_bytes())

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, tty = io.StringIO(), Terminal()
    db = connect(path, migrate=False)
    db.execute(reindex.fts.CREATE.format(name=reindex.NEXT))
    reindex.Progress(N, quiet).show(5)
    assert reindex.reindex(db, stream=tty) == N
    assert "reindexing search: [" in tty.getvalue() and f"{N:,}/{N:,} articles" in tty.getvalue()
    assert quiet.getvalue() == ""
    db.conn.close()
    connect(path).conn.close()
    assert reindex.is_current(connect(path, readonly=True))
    assert hashsize(path) == reindex.fts.HASHSIZE  # the rebuilt index keeps the bulk setting


def hashsize(path: Path, table: str = "articles_fts") -> int | None:
    db = connect(path, readonly=True)
    try:
        row = db.execute(f"SELECT v FROM {table}_config WHERE k = 'hashsize'").fetchone()
        return row[0] if row else None
    finally:
        db.conn.close()


def test_index_bulk_setting_on_an_archive_of_the_previous_version(tmp_path: Path) -> None:
    """0009 gives an existing index FTS5's larger in-memory batch (fewer segment merges when indexing in bulk);
    an archive created now has it from the start."""
    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    migrations.apply(db, stop_before="0009_fts_hashsize")
    db.execute("DELETE FROM articles_fts_config WHERE k = 'hashsize'")  # 0006 of the previous version set none
    db.conn.commit()
    db.conn.close()
    assert hashsize(path) is None
    connect(path).conn.close()
    assert hashsize(path) == reindex.fts.HASHSIZE
    connect(tmp_path / "new.db").conn.close()
    assert hashsize(tmp_path / "new.db") == reindex.fts.HASHSIZE
