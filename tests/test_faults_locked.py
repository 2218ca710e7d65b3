"""A crawl that meets an archive locked by another process's write transaction (past the busy timeout)
must not write: no article without a crawl record, and a one-line reason. The next crawl completes.

Real processes: the replay site on loopback, `newsmon crawl` as a subprocess, another process holding
BEGIN IMMEDIATE on the SQLite file. The busy timeout is shortened through $NEWSMON_BUSY_TIMEOUT.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storage.db import connect
from tests.conftest import REPO

HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout.readline().strip() == "held"
    return proc


def counts(db_path: Path) -> tuple[int, int, int]:
    db = connect(db_path, readonly=True)
    try:
        return (db["articles"].count, db["outbox"].count,
                db.execute("SELECT count(*) FROM crawl_runs WHERE source = 'spbpu-en'").fetchone()[0])
    finally:
        db.close()


def test_crawl_of_a_locked_archive_writes_nothing_and_says_why(replay, replay_config, newsmon):
    db_path = replay_config.parent / "data" / "newsmon.db"
    newsmon("crawl", "--source", "spbpu-en")
    replay.set_state(2)
    before = counts(db_path)
    holder = hold_write_lock(db_path, 45)
    try:
        proc = newsmon("crawl", "--source", "spbpu-en", check=False, env={"NEWSMON_BUSY_TIMEOUT": "2"})
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "did not start" in proc.stdout and "locked" in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert counts(db_path) == before  # no article, no alert, no record
    after = newsmon("crawl", "--source", "spbpu-en")
    assert "spbpu-en:" in after.stdout and "— failed" not in after.stdout
    db = connect(db_path, readonly=True)
    run = next(db.query("SELECT * FROM crawl_runs WHERE source = 'spbpu-en' ORDER BY id DESC LIMIT 1"))
    assert run["outcome"] == "ok" and counts(db_path)[2] == before[2] + 1
    assert run["new"] == counts(db_path)[0] - before[0] > 0
