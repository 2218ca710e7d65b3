"""The daemon end to end: `newsmon run` crawls the replay on a short interval and mails a real SMTP server.

After the replay moves to its second state, each new cooperation item reaches the per-item recipient
exactly once and is listed in exactly one digest, and other news sends nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from email.header import decode_header, make_header
from pathlib import Path

from storage.db import connect
from tests.conftest import REPO, write_config
from tests.monitor_fixtures import SmtpServer


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def ok_runs(db_path: Path) -> list[dict]:
    if not db_path.exists():
        return []
    try:
        db = connect(db_path, readonly=True)
    except sqlite3.OperationalError:  # the file exists, its schema not yet: the daemon is creating it
        return []
    try:
        return list(db.query("SELECT * FROM crawl_runs WHERE outcome = 'ok' ORDER BY id"))
    except sqlite3.OperationalError:  # the daemon has not created the schema yet
        return []
    finally:
        db.close()


def archived_urls(db_path: Path) -> set[str]:
    db = connect(db_path, readonly=True)
    try:
        return {r["url"] for r in db.query("SELECT url FROM articles")}
    finally:
        db.close()


def subject(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def test_daemon_mails_each_new_cooperation_item_once(tmp_path: Path, replay) -> None:
    smtp = SmtpServer().start()
    db_path = tmp_path / "data" / "newsmon.db"
    config = write_config(tmp_path / "newsmon.toml", replay.ru_url, replay.en_url, db_path, extra=f"""
[smtp]
host = "127.0.0.1"
port = {smtp.port}

[scheduler]
delivery_interval = "1s"
health_interval = "5s"

[[subscriptions]]
name = "international office"
recipients = ["intl@example.org"]
topics = ["cooperation"]

[[subscriptions]]
name = "weekly reader"
recipients = ["digest@example.org"]
topics = ["cooperation"]
mode = "digest"
""", timeout=30)
    config.write_text(config.read_text().replace(
        "concurrency = 4\n", 'concurrency = 4\ninterval = "3s"\njitter = "0s"\nfull_sweep = "1h"\n'))
    daemon = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        wait_for(lambda: {r["source"] for r in ok_runs(db_path)} == {"spbpu-ru", "spbpu-en"}, 90, "the baseline")
        time.sleep(2)
        assert smtp.messages == [], "the first crawl only sets the baseline"
        replay.set_state(2)
        new_coop = [t for t in replay.ground_truth() if t["added_in_state"] == 2 and t["cooperation"]]
        others = [t for t in replay.ground_truth() if t["added_in_state"] == 2 and not t["cooperation"]]
        assert new_coop and others
        wait_for(lambda: {t["url"] for t in new_coop + others} <= archived_urls(db_path), 90,
                 "a crawl that sees the second state")
        wait_for(lambda: len(smtp.messages) >= len(new_coop) + 1, 10, "one delivery tick")
        time.sleep(4)  # more ticks and crawls must add nothing
    except AssertionError as exc:
        daemon.send_signal(signal.SIGTERM)
        runs = [(r["source"], r["mode"], r["new"], r["outcome"]) for r in ok_runs(db_path)]
        raise AssertionError(f"{exc}\nruns: {runs}\ndaemon output:\n{daemon.communicate(timeout=60)[0]}") from None
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
        output = daemon.communicate(timeout=60)[0]
        smtp.stop()
    assert daemon.returncode == 0, output
    per_item = [m for m in smtp.messages if m["To"] == "intl@example.org"]
    digests = [m for m in smtp.messages if m["To"] == "digest@example.org"]
    assert sorted(subject(m) for m in per_item) == sorted(f"New cooperation news: {t['title']}" for t in new_coop)
    # a digest is one email per delivery run: the two sources' crawls may end in different runs
    texts = [m.get_body(("plain",)).get_content() for m in digests]
    assert 1 <= len(digests) <= len(new_coop)
    assert all(sum(t["title"] in text for text in texts) == 1 for t in new_coop)
    assert not any(t["title"] in text for t in others for text in texts)
    assert len({m["Message-ID"] for m in smtp.messages}) == len(smtp.messages)
