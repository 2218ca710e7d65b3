"""The archive's write side on a real SQLite file: new / changed / unchanged, versions, diffs, atomicity."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage import archive, runs
from storage.db import connect
from storage.diff import CHANGED, NEW, UNCHANGED, fingerprint
from tests.conftest import REPO


def item(body: str = "Первый абзац.\n\nВторой абзац.", title: str = "Соглашение о сотрудничестве",
         published: str = "2024-09-27", url: str = "https://www.spbstu.ru/media/news/partnership/a/") -> dict:
    return {"url": url, "source": "spbpu-ru", "lang": "ru", "section": "partnership", "section_name": "Партнёрство",
            "title": title, "body": body, "published": published, "fingerprint": fingerprint(title, body, published)}


@pytest.fixture
def db(tmp_path: Path):
    database = connect(tmp_path / "a.db")
    yield database
    database.close()


def test_new_then_unchanged_then_changed(db) -> None:
    assert archive.store(db, item()).status == NEW
    assert archive.store(db, item()).status == UNCHANGED
    edited = archive.store(db, item(body="Первый абзац, исправленный.\n\nВторой абзац."))
    assert edited.status == CHANGED and edited.version == 2
    assert "-Первый абзац." in edited.diff and "+Первый абзац, исправленный." in edited.diff
    versions = list(db.query("SELECT version, diff FROM versions ORDER BY version"))
    assert [v["version"] for v in versions] == [1, 2] and versions[0]["diff"] is None


def test_page_noise_is_not_a_change(db) -> None:
    archive.store(db, item())
    noisy = item(body="  Первый\u00a0абзац.  \n\n\n  Второй   абзац. ")
    assert archive.store(db, noisy).status == UNCHANGED


def test_rss_time_refines_the_date_without_a_new_version(db) -> None:
    archive.store(db, item())
    assert archive.store(db, item(published="2024-09-27T12:50:00+03:00")).status == UNCHANGED
    (row,) = db.query("SELECT published, version FROM articles")
    assert row == {"published": "2024-09-27T12:50:00+03:00", "version": 1}


def test_a_failing_hook_rolls_back_the_whole_article(db) -> None:
    def boom(*_args) -> None:
        raise RuntimeError("crash in the middle of the transaction")

    with pytest.raises(RuntimeError):
        archive.store(db, item(), on_stored=boom)
    assert db["articles"].count == 0 and db["versions"].count == 0
    assert list(db.query("SELECT count(*) AS n FROM articles_fts"))[0]["n"] == 0


def test_not_modified_only_touches_last_seen(db) -> None:
    stored = archive.store(db, item())
    assert archive.mark_not_modified(db, item()["url"]).status == UNCHANGED
    assert archive.mark_not_modified(db, "https://www.spbstu.ru/unknown/") is None
    assert db["versions"].count == 1 and stored.version == 1


def test_crawl_records(db) -> None:
    run_id = runs.start_run(db, "spbpu-ru", "full", pid=123)
    runs.finish_run(db, run_id, "ok", {"new": 3, "requests": 9}, {"200": 9}, 1.5)
    last = runs.last_run(db, "spbpu-ru")
    assert (last["new"], last["requests"], last["outcome"]) == (3, 9, "ok")
    assert runs.has_baseline(db, "spbpu-ru") and not runs.has_baseline(db, "spbpu-en")
    runs.start_run(db, "spbpu-en", "incremental", pid=999_999)
    assert runs.close_stale_runs(db, "spbpu-en", alive=set()) == 1
    assert runs.last_run(db, "spbpu-en")["outcome"] == "killed"


def test_schema_comes_from_recorded_migrations(db) -> None:
    names = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names[0] == "0001_initial" and names == sorted(names)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_many_processes_open_a_new_archive_at_once(tmp_path: Path) -> None:
    code = f"from storage.db import connect; print(len(connect({str(tmp_path / 'n.db')!r}).table_names()))"
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(8)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert len({out for out, _ in outs}) == 1


WRITER = """
import sys
from storage import archive
from storage.db import connect
from tests.test_archive import item
db = connect(sys.argv[1])
for n in range(60):
    archive.store(db, item(url=f"https://www.spbstu.ru/media/news/sport/{n % 40}/", body=f"Текст {n % 40}."))
"""


def test_concurrent_crawls_never_meet_a_locked_database(tmp_path: Path) -> None:
    """Read-then-write transactions of several processes at once: each waits its turn, none fails."""
    path = tmp_path / "shared.db"
    connect(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=REPO, stderr=subprocess.PIPE,
                              text=True) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    db = connect(path)
    assert db["articles"].count == 40 and db["versions"].count == 40


def test_old_news_found_late_sends_no_alert(tmp_path: Path) -> None:
    """After the baseline, a backfilled article from years ago is archived and tagged but not mailed."""
    from monitor import config as config_mod
    from monitor.alerts import make_on_stored

    db = connect(tmp_path / "a.db")
    config = config_mod.from_dict({"subscriptions": [{"recipients": ["intl@example.org"]}]})
    archive.store(db, item(url="https://www.spbstu.ru/media/news/partnership/new/", published="2024-09-27"))
    horizon = runs.alert_horizon(db, "spbpu-ru")
    assert horizon == "2024-08-28"
    hook = make_on_stored(config, alerts_enabled=True, not_before=horizon)
    archive.store(db, item(url="https://www.spbstu.ru/media/news/partnership/old/", published="2018-03-16"),
                  on_stored=hook)
    archive.store(db, item(url="https://www.spbstu.ru/media/news/partnership/fresh/", published="2024-09-30"),
                  on_stored=hook)
    alerted = [r["url"] for r in db.query("SELECT a.url FROM outbox o JOIN articles a ON a.id = o.article_id")]
    tagged = [r["url"] for r in db.query("SELECT a.url FROM article_topics t JOIN articles a ON a.id = t.article_id")]
    assert alerted == ["https://www.spbstu.ru/media/news/partnership/fresh/"]
    assert "https://www.spbstu.ru/media/news/partnership/old/" in tagged
