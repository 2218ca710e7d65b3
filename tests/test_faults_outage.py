"""Issue 15, as reported: the daemon running, the SMTP server down longer than the retry budget
(scaled: delivery every 1 s, backoff 1 s .. 2 s, max_attempts 3, a 15 s outage). Every alert must
arrive once the server is back, with no `newsmon alerts send` by hand, and none may be `failed`.

Real processes: `newsmon run` as a subprocess and an aiosmtpd server on loopback, stopped and started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from monitor import config as config_mod
from storage.db import connect
from tests.conftest import REPO
from tests.monitor_fixtures import COOP_EN, COOP_RU, SmtpServer, archive_items, article

ALERTS = 6


def write_config(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "newsmon.toml"
    path.write_text(f"""
[storage]
path = "{tmp_path / 'newsmon.db'}"

[sources.spbpu-ru]
enabled = false

[sources.spbpu-en]
enabled = false

[scheduler]
delivery_interval = "1s"
health_interval = "1s"

[smtp]
host = "127.0.0.1"
port = {port}
timeout = 2

[alerts]
backoff = "1s"
backoff_max = "2s"
max_attempts = 3
operator = "ops@example.org"

[[subscriptions]]
name = "intl"
recipients = ["intl@example.org"]
topics = ["cooperation"]
""", encoding="utf-8")
    return path


def statuses(db_path: Path) -> dict[str, int]:
    db = connect(db_path, readonly=True)
    try:
        return {r["status"]: r["n"] for r in db.query(
            "SELECT status, count(*) AS n FROM outbox WHERE kind = 'article' GROUP BY status")}
    finally:
        db.close()


def test_daemon_delivers_every_alert_after_an_outage_longer_than_the_retry_budget(tmp_path: Path) -> None:
    smtp = SmtpServer()  # down: never started before the outage ends
    config_path = write_config(tmp_path, smtp.port)
    config = config_mod.load(config_path)
    items = [article(i, f"{(COOP_RU if i % 2 else COOP_EN)[0]} ({i})", (COOP_RU if i % 2 else COOP_EN)[1],
                     source="spbpu-ru" if i % 2 else "spbpu-en") for i in range(ALERTS)]
    archive_items(config, items)
    assert statuses(config.db_path) == {"pending": ALERTS}
    daemon = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config_path), "run"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        time.sleep(15)  # the outage: 15 delivery ticks, five times the retry budget
        assert statuses(config.db_path) == {"pending": ALERTS}, "an outage must not fail alerts"
        smtp.start()
        deadline = time.monotonic() + 20
        while len([m for m in smtp.messages if m["To"] == "intl@example.org"]) < ALERTS \
                and time.monotonic() < deadline:
            time.sleep(0.25)
    finally:
        daemon.send_signal(signal.SIGTERM)
        output = daemon.communicate(timeout=60)[0]
        smtp.stop()
    alerts = [m for m in smtp.messages if m["To"] == "intl@example.org"]
    assert len(alerts) == ALERTS and len({m["Message-ID"] for m in alerts}) == ALERTS, output[-2000:]
    assert statuses(config.db_path) == {"sent": ALERTS}
    health = [m for m in smtp.messages if m["To"] == "ops@example.org"]
    assert any("waiting for the mail server" in m["Subject"] for m in health), [m["Subject"] for m in health]
