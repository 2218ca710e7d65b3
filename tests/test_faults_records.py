"""Crawl records of killed crawls count what the crawl committed before it died (SIGKILL mid-crawl), and
`newsmon status` never calls a dead crawl 'running'.

A real process (the fake crawl of tests.monitor_fixtures: source lock, crawl record, one transaction
per article) is killed with SIGKILL while it archives.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from monitor import config as config_mod
from storage import runs
from storage.db import ArchiveError, connect
from tests.conftest import REPO, run_newsmon
from tests.monitor_fixtures import COOP_RU, FAKE_ITEMS_ENV, FAKE_SLEEP_ENV, article


def write(tmp_path: Path, n: int) -> tuple[Path, Path]:
    config = tmp_path / "newsmon.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "newsmon.db"}"\n', encoding="utf-8")
    items = tmp_path / "site.json"
    items.write_text(json.dumps({"spbpu-ru": [article(i, f"{COOP_RU[0]} {i}", COOP_RU[1]) for i in range(n)]}),
                     encoding="utf-8")
    return config, items


def start_fake_crawl(config: Path, items: Path, seconds: float) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), FAKE_ITEMS_ENV: str(items), FAKE_SLEEP_ENV: str(seconds)}
    return subprocess.Popen([sys.executable, "-m", "tests.monitor_fixtures", "--config", str(config), "--source",
                             "spbpu-ru"], env=env, cwd=REPO, stdout=subprocess.DEVNULL)


def archived(db_path: Path) -> int:
    try:
        db = connect(db_path, readonly=True)
    except ArchiveError:  # not created yet
        return 0
    try:
        return db["articles"].count
    finally:
        db.close()


def test_killed_crawl_record_counts_what_was_committed(tmp_path: Path) -> None:
    config_path, items = write(tmp_path, 40)
    db_path = tmp_path / "newsmon.db"
    proc = start_fake_crawl(config_path, items, 8.0)
    deadline = time.monotonic() + 30
    while archived(db_path) < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = archived(db_path)
    assert 5 <= committed < 40
    status = run_newsmon(config_path, "status").stdout
    assert "without closing its record" in status and "last run: running" not in status
    db = connect(db_path)
    assert runs.close_stale_runs(db, "spbpu-ru") == 1
    run = runs.last_run(db, "spbpu-ru")
    assert (run["outcome"], run["new"], run["changed"]) == ("killed", committed, 0)
    assert "counts taken from the archive" in run["message"]


def test_killed_recrawl_counts_unchanged_and_changed(tmp_path: Path) -> None:
    config_path, items = write(tmp_path, 10)
    assert start_fake_crawl(config_path, items, 0).wait() == 0
    site = json.loads(items.read_text(encoding="utf-8"))
    for item in site["spbpu-ru"][:3]:
        item["body"] += "\n\nИсправлено."
        item["fingerprint"] = item["fingerprint"][::-1]
    items.write_text(json.dumps(site), encoding="utf-8")
    time.sleep(1.1)  # the archive's timestamps have seconds
    db = connect(db_path := tmp_path / "newsmon.db")
    config = config_mod.load(config_path)
    assert config.db_path == db_path
    proc = start_fake_crawl(config_path, items, 4.0)
    deadline = time.monotonic() + 30
    while db.execute("SELECT count(*) FROM articles WHERE last_seen > first_seen").fetchone()[0] < 6 \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    seen = db.execute("SELECT count(*) FROM articles WHERE last_seen > first_seen").fetchone()[0]
    runs.close_stale_runs(db, "spbpu-ru")
    run = runs.last_run(db, "spbpu-ru")
    assert run["outcome"] == "killed" and (run["new"], run["changed"]) == (0, 3)
    assert run["changed"] + run["unchanged"] == seen
