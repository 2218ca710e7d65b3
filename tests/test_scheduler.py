"""The daemon: jobs from the config, crawls as subprocesses, delivery after crawls, locks, signals, kills.

The crawls here are `tests.monitor_fixtures` fake crawls ($NEWSMON_CRAWL_COMMAND) over a JSON "site",
so the daemon's own behaviour is tested in seconds; the end-to-end run over the replay lives elsewhere.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor import config as config_mod
from monitor import crawl_subprocess as crawler_mod
from monitor.scheduler import Daemon, crawl_trigger
from storage import runs
from storage.db import connect
from tests.monitor_fixtures import (
    COOP_EN,
    COOP_RU,
    FAKE_COMMAND,
    FAKE_ITEMS_ENV,
    FAKE_SLEEP_ENV,
    OTHER_RU,
    SmtpServer,
    article,
    make_config,
    record_run,
)

REPO = Path(__file__).resolve().parent.parent
STATE_1 = {"spbpu-ru": [article(1, *COOP_RU), article(2, *OTHER_RU)],
           "spbpu-en": [article(3, *COOP_EN, source="spbpu-en")]}
NEW_RU = article(4, "Политех и Университет Цинхуа открыли совместную лабораторию",
                 "Меморандум о сотрудничестве подписали ректоры.", section="international_activities")
NEW_EN = article(5, "Delegation of Cairo University visited SPbPU", "The partners discussed cooperation.",
                 source="spbpu-en", section="international_activities")
OTHER_EN = article(6, "Polytechnic volleyball team wins the cup", "A great match.", source="spbpu-en",
                   section="sport")
EDITED_RU = article(2, OTHER_RU[0], OTHER_RU[1] + "\n\nОбновлено: итоги матча.")
STATE_2 = {"spbpu-ru": [*STATE_1["spbpu-ru"][:1], EDITED_RU, NEW_RU],
           "spbpu-en": [*STATE_1["spbpu-en"], NEW_EN, OTHER_EN]}


def write_site(path: Path, site: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(site, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def write_config(tmp_path: Path, smtp: SmtpServer | None, extra: str = "", interval: str = "1s") -> Path:
    smtp_part = f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\ntimeout = 5\n' if smtp else ""
    path = tmp_path / "newsmon.toml"
    path.write_text(f"""
[storage]
path = "{tmp_path / 'data' / 'newsmon.db'}"
maildir = "{tmp_path / 'data' / 'maildir'}"
{smtp_part}
[scheduler]
delivery_interval = "1s"
health_interval = "1s"
lock_timeout = "1s"
{extra}
[alerts]
backoff = "1s"

[sources.spbpu-ru]
interval = "{interval}"
jitter = "0"
full_sweep = "0"

[sources.spbpu-en]
interval = "{interval}"
jitter = "0"
full_sweep = "0"

[[subscriptions]]
name = "intl"
recipients = ["intl@example.org"]
topics = ["cooperation"]
""", encoding="utf-8")
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    path = tmp_path / "site.json"
    write_site(path, STATE_1)
    return path


@pytest.fixture
def start_daemon(tmp_path: Path, site: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []

    def start(config: Path, **env: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "run"], cwd=tmp_path, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(REPO), crawler_mod.COMMAND_ENV: FAKE_COMMAND,
                 FAKE_ITEMS_ENV: str(site), **env})
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def wait_for(check: Callable[[], bool], timeout: float = 20, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def count(db_path: Path, sql: str, *args: str) -> int:
    """A count from the archive, 0 while it does not exist yet or is being created by the daemon."""
    try:
        db = connect(db_path, readonly=True)
        try:
            return db.execute(sql, list(args)).fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0


def ok_runs(config: Path, source: str) -> int:
    db_path = config_mod.load(config).db_path
    return count(db_path, "SELECT count(*) FROM crawl_runs WHERE outcome = 'ok' AND source = ?", source)


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM, timeout: float = 30) -> tuple[int, str]:
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def test_daemon_alerts_once_per_new_cooperation_item(tmp_path, site, start_daemon, smtp_server):
    config = write_config(tmp_path, smtp_server)
    proc = start_daemon(config)
    wait_for(lambda: ok_runs(config, "spbpu-ru") >= 1 and ok_runs(config, "spbpu-en") >= 1, what="baseline")
    time.sleep(1.5)
    assert smtp_server.messages == []  # the first crawl only sets the baseline
    write_site(site, STATE_2)
    wait_for(lambda: len(smtp_server.messages) >= 2, what="two alerts")
    time.sleep(3)  # several more crawl and delivery ticks: nothing more may arrive
    subjects = sorted(m["Subject"].strip() for m in smtp_server.messages)
    assert subjects == sorted(f"New cooperation news: {a['title']}" for a in (NEW_RU, NEW_EN))
    code, err = stop(proc)
    assert code == 0, err
    assert "daemon stopped" in err


def test_second_daemon_refuses_or_waits(tmp_path, start_daemon):
    first = start_daemon(write_config(tmp_path, None, interval="1h"))
    wait_for(lambda: (tmp_path / "data" / "newsmon.db.daemon.json").exists(), what="first daemon")
    for mode, words in (("skip", "skipped"), ("wait", "gave up after waiting 1s")):
        config = write_config(tmp_path, None, extra=f'lock = "{mode}"', interval="1h")
        second = start_daemon(config)
        _, err = second.communicate(timeout=30)
        assert second.returncode == 2 and "already has a `newsmon run` daemon" in err and words in err, err
    assert first.poll() is None
    assert stop(first)[0] == 0


def test_sigterm_during_a_crawl_exits_cleanly(tmp_path, start_daemon):
    config = write_config(tmp_path, None, interval="1h")
    proc = start_daemon(config, **{FAKE_SLEEP_ENV: "30"})
    db_path = config_mod.load(config).db_path
    wait_for(lambda: count(db_path, "SELECT count(*) FROM crawl_runs") >= 2, what="crawls started")
    start = time.monotonic()
    code, err = stop(proc)
    assert code == 0, err
    assert time.monotonic() - start < 20
    db = connect(db_path)
    assert {r["outcome"] for r in db.query("SELECT outcome FROM crawl_runs")} <= {"running", "killed", "ok"}


def test_sigkill_during_crawl_and_delivery_loses_nothing(tmp_path, site, start_daemon, smtp_server):
    config = write_config(tmp_path, smtp_server)
    cfg = config_mod.load(config)
    first = start_daemon(config)
    wait_for(lambda: ok_runs(config, "spbpu-ru") >= 1 and ok_runs(config, "spbpu-en") >= 1, what="baseline")
    stop(first, signal.SIGKILL)
    write_site(site, STATE_2)
    slow = start_daemon(config, **{FAKE_SLEEP_ENV: "4"})  # killed in the middle of its crawls
    wait_for(lambda: count(cfg.db_path, "SELECT count(*) FROM crawl_runs WHERE outcome = 'running'") >= 1,
             what="crawl running")
    stop(slow, signal.SIGKILL)
    smtp_server.handler.fail_data = []
    restarted = start_daemon(config)
    wait_for(lambda: len(smtp_server.messages) >= 2, timeout=30, what="alerts after restart")
    time.sleep(2)
    stop(restarted, signal.SIGKILL)  # possibly during a delivery tick
    again = start_daemon(config)
    time.sleep(3)
    assert stop(again)[0] == 0
    db = connect(cfg.db_path)
    assert db["articles"].count == 6
    assert {r["status"] for r in db.query("SELECT status FROM outbox")} == {"sent"}
    by_id: dict[str, int] = {}
    for msg in smtp_server.messages:
        by_id[msg["Message-ID"]] = by_id.get(msg["Message-ID"], 0) + 1
    assert len(by_id) == 2  # one alert per new cooperation item; any repeat shares its Message-ID


def test_crawl_time_limit_kills_the_process_group(tmp_path, site, monkeypatch):
    config = make_config(tmp_path)
    config.path = write_config(tmp_path, None)
    config.data["storage"]["path"] = str(config_mod.load(config.path).db_path)
    monkeypatch.setenv(FAKE_ITEMS_ENV, str(site))
    monkeypatch.setenv(FAKE_SLEEP_ENV, "30")
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    crawler = crawler_mod.Crawler(config, timeout=1.5, template=FAKE_COMMAND)
    start = time.monotonic()
    result = crawler.run("spbpu-ru")
    assert time.monotonic() - start < 10
    assert result.outcome == "timeout" and result.run["outcome"] == "killed"
    monkeypatch.setenv(FAKE_SLEEP_ENV, "0")
    result = crawler.run("spbpu-ru")
    assert result.outcome == "ok" and result.run["new"] + result.run["unchanged"] == 2


def test_overdue_sources_are_crawled_at_once(tmp_path):
    config = make_config(tmp_path, sources={"spbpu-ru": {"interval": "30m"}, "spbpu-en": {"interval": "30m"}})
    db = connect(config.db_path)
    record_run(db, "spbpu-ru", "ok", started=(datetime.now(UTC) - timedelta(minutes=45)).isoformat())
    record_run(db, "spbpu-en", "ok", started=(datetime.now(UTC) - timedelta(minutes=5)).isoformat())
    daemon = Daemon(config)
    daemon.add_jobs()
    daemon.scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in daemon.scheduler.get_jobs()}
        now = datetime.now(UTC)
        assert (jobs["crawl:spbpu-ru"].next_run_time - now).total_seconds() < 5
        assert (jobs["crawl:spbpu-en"].next_run_time - now).total_seconds() > 25 * 60
        assert {"delivery", "health", "sweep:spbpu-ru", "sweep:spbpu-en"} <= set(jobs)
        for job in jobs.values():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 300)
    finally:
        daemon.scheduler.shutdown(wait=False)


def test_cron_and_jitter(tmp_path):
    config = make_config(tmp_path, sources={"spbpu-ru": {"cron": "*/15 6-22 * * mon-fri", "jitter": "90s"}})
    trigger = crawl_trigger(config, "spbpu-ru")
    assert trigger.jitter == 90 and "*/15" in str(trigger)
    assert crawl_trigger(config, "spbpu-en").interval.total_seconds() == 1800
    assert runs.last_run(connect(config.db_path), "spbpu-ru") is None
