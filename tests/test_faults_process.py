"""Processes killed at random moments: `newsmon crawl` and the `newsmon run` daemon get SIGKILL mid-work.

After each blow: PRAGMA integrity_check is ok, a following crawl completes the archive (every ground-truth
article present once), and the outbox holds exactly the alert rows an undisturbed run queues: none
missing, none twice. The seed is printed; set NEWSMON_FAULT_SEED to replay a failing trial.
A few trials run in `make test`; `make soak` runs at least 20 of each.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage.db import connect
from tests.conftest import REPO, run_newsmon, write_config

SEED_ENV = "NEWSMON_FAULT_SEED"
QUICK_TRIALS, SOAK_TRIALS = 3, 20
SUBSCRIPTION = """
[[subscriptions]]
name = "intl"
recipients = ["intl@example.org", "office@example.org"]
topics = ["cooperation"]
"""


def seed() -> int:
    value = int(os.environ.get(SEED_ENV) or random.SystemRandom().randrange(2**31))
    print(f"\nfault seed: {SEED_ENV}={value}")
    return value


def backup(src: Path, dst: Path) -> Path:
    """A consistent copy of a WAL-mode archive (SQLite's online backup)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(src) as source, sqlite3.connect(dst) as target:
        source.backup(target)
    source.close()
    target.close()
    return dst


def start_crawl(config: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "crawl", *args],
                            cwd=config.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def integrity(db_path: Path) -> str:
    db = connect(db_path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def archive_urls(db_path: Path) -> list[str]:
    db = connect(db_path, readonly=True)
    try:
        return [r[0] for r in db.execute("SELECT url FROM articles")]
    finally:
        db.close()


def outbox_keys(db_path: Path) -> list[tuple[str, str, str, str]]:
    """(article url, event, subscription, recipient) of every outbox row, duplicates kept."""
    db = connect(db_path, readonly=True)
    try:
        return sorted(tuple(r) for r in db.execute(
            "SELECT a.url, o.event, o.subscription, o.recipient FROM outbox o JOIN articles a ON a.id = o.article_id"))
    finally:
        db.close()


@dataclass
class Scenario:
    """The replay in state 2, a state-1 baseline archive, and what an undisturbed state-2 crawl queues."""

    site: object
    base: Path
    baseline_db: Path
    truth_urls: set[str]
    expected_outbox: list[tuple[str, str, str, str]]
    full_seconds: float

    def config(self, name: str, db: Path) -> Path:
        return write_config(self.base / f"{name}.toml", self.site.ru_url, self.site.en_url, db, SUBSCRIPTION)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    from tests.replay import ReplaySite

    base = tmp_path_factory.mktemp("kill")
    with ReplaySite() as site:
        config = write_config(base / "baseline.toml", site.ru_url, site.en_url, base / "baseline" / "n.db",
                              SUBSCRIPTION)
        run_newsmon(config, "crawl", "--full")
        site.set_state(2)
        sc = Scenario(site, base, base / "baseline" / "n.db", {t["url"] for t in site.ground_truth()}, [], 0.0)
        control_db = backup(sc.baseline_db, base / "control" / "n.db")
        start = time.monotonic()
        run_newsmon(sc.config("control", control_db), "crawl", "--full")
        sc.full_seconds = time.monotonic() - start
        sc.expected_outbox = outbox_keys(control_db)
        assert sc.expected_outbox, "the state-2 crawl should queue cooperation alerts"
        yield sc


def check_archive(db_path: Path, truth_urls: set[str]) -> None:
    assert integrity(db_path) == "ok"
    urls = archive_urls(db_path)
    assert len(urls) == len(set(urls)), "duplicate articles"
    assert truth_urls <= set(urls), f"missing after the following crawl: {sorted(truth_urls - set(urls))[:3]}"
    db = connect(db_path, readonly=True)
    try:
        orphans = db.execute("SELECT count(*) FROM versions v LEFT JOIN articles a ON a.id = v.article_id"
                             " WHERE a.id IS NULL").fetchone()[0]
        half = db.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM versions v"
                          " WHERE v.article_id = a.id AND v.version = a.version)").fetchone()[0]
    finally:
        db.close()
    assert orphans == 0 and half == 0, "half-written article"


def kill_trials(scenario: Scenario, trials: int, follow: tuple[str, ...], from_empty: bool) -> None:
    rng = random.Random(seed())
    for trial in range(trials):
        db = scenario.base / f"trial-{'empty' if from_empty else 'state2'}-{trial}" / "n.db"
        if not from_empty:
            backup(scenario.baseline_db, db)
        config = scenario.config(f"trial-{trial}", db)
        delay = rng.uniform(0.2, max(0.5, scenario.full_seconds))
        proc = start_crawl(config, "--full")
        time.sleep(delay)
        kill_group(proc)
        assert integrity(db) == "ok" if db.exists() else True, f"trial {trial}: delay {delay:.2f}s"
        run_newsmon(config, "crawl", *follow)
        check_archive(db, scenario.truth_urls)
        if not from_empty:
            got = outbox_keys(db)
            assert got == scenario.expected_outbox, f"trial {trial} (delay {delay:.2f}s): outbox differs"


def test_crawl_killed_after_baseline_loses_and_duplicates_nothing(scenario: Scenario) -> None:
    """Killed during a state-2 crawl, then the daemon's next (incremental) crawl: archive and alerts complete."""
    kill_trials(scenario, QUICK_TRIALS, (), from_empty=False)


def test_first_crawl_killed_then_next_crawl_completes(scenario: Scenario) -> None:
    """The very first crawl killed; the next crawl, a plain incremental one (as the daemon's), completes the
    archive: it walks every listing page because the last crawl did not finish."""
    kill_trials(scenario, QUICK_TRIALS, (), from_empty=True)


@pytest.mark.soak
def test_soak_crawl_kills(scenario: Scenario) -> None:
    kill_trials(scenario, SOAK_TRIALS, (), from_empty=False)


@pytest.mark.soak
def test_soak_first_crawl_kills_then_incremental(scenario: Scenario) -> None:
    """Stricter: after the first crawl is killed, the next crawl is a plain incremental one (as the daemon's)."""
    kill_trials(scenario, SOAK_TRIALS, (), from_empty=True)


class SlowRecorder:
    """Wraps the recording SMTP handler: each accepted message takes a moment, so a kill can land mid-delivery."""

    def __init__(self, inner: object, seconds: float = 0.3) -> None:
        self.inner, self.seconds = inner, seconds

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        import asyncio

        await asyncio.sleep(self.seconds)
        return await self.inner.handle_DATA(server, session, envelope)


def _count(db_path: Path, sql: str) -> int:
    try:
        db = connect(db_path, readonly=True)
    except sqlite3.Error:
        return 0
    try:
        return db.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        db.close()


def _wait(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def daemon_trial(scenario: Scenario, rng: random.Random, trial: int) -> None:
    """Baseline, then SIGKILL the daemon during a state-2 crawl and again during delivery; restart; check."""
    from bench.crawl import write_config as daemon_config
    from monitor import outbox
    from tests.monitor_fixtures import SmtpServer

    site = scenario.site
    smtp = SmtpServer()
    smtp.handler = SlowRecorder(smtp.handler)
    smtp.start()
    work = scenario.base / f"daemon-{trial}"
    db = backup(scenario.baseline_db, work / "n.db")
    config = daemon_config(work / "newsmon.toml", site.ru_url, site.en_url, db, interval="1s", concurrency=4,
                           extra=SUBSCRIPTION + f'\n[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\ntimeout = 5\n'
                           '\n[scheduler]\ndelivery_interval = "1s"\nhealth_interval = "5s"\n\n[alerts]\nbackoff = "1s"\n')
    procs: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"], cwd=work,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
        procs.append(proc)
        return proc

    try:
        first = start()  # killed during a crawl: the archive already has state 1, the replay serves state 2
        _wait(lambda: _count(db, "SELECT count(*) FROM crawl_runs WHERE outcome = 'running'") >= 1, 30, "a crawl")
        time.sleep(rng.uniform(0, min(2.0, scenario.full_seconds)))
        first.kill()
        first.wait()
        second = start()  # killed during delivery
        _wait(lambda: len(smtp.messages) >= 1, 60, "the first alert")
        time.sleep(rng.uniform(0, 0.3 * len(scenario.expected_outbox) / 2))
        second.kill()
        second.wait()
        db.with_name(f"{db.name}.daemon.json").unlink(missing_ok=True)  # left by the killed daemon
        third = start()
        _wait(lambda: _count(db, "SELECT count(*) FROM outbox WHERE status != 'sent'") == 0
              and _count(db, "SELECT count(*) FROM outbox") >= len(scenario.expected_outbox), 90, "every alert sent")
        # SIGTERM only once the daemon is up (it publishes its schedule): before its handler is installed,
        # a SIGTERM ends the interpreter itself, which is not what this trial tests
        _wait(lambda: db.with_name(f"{db.name}.daemon.json").exists(), 30, "the third daemon up")
        third.send_signal(signal.SIGTERM)
        assert third.wait(timeout=60) == 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        smtp.stop()
    check_archive(db, scenario.truth_urls)
    assert outbox_keys(db) == scenario.expected_outbox
    conn = connect(db, readonly=True)
    ids = {outbox.message_id(r) for r in conn.query("SELECT * FROM outbox")}
    conn.close()
    received = [m["Message-ID"] for m in smtp.messages]
    assert set(received) == ids, "an alert is missing or a stranger was sent"
    repeats = len(received) - len(set(received))
    assert repeats <= 1, f"{repeats} repeated emails: only the one in flight when delivery was killed may repeat"


def test_daemon_killed_during_crawl_and_delivery(scenario: Scenario) -> None:
    daemon_trial(scenario, random.Random(seed()), 0)


@pytest.mark.soak
def test_soak_daemon_kills(scenario: Scenario) -> None:
    rng = random.Random(seed())
    for trial in range(1, SOAK_TRIALS + 1):
        daemon_trial(scenario, rng, trial)
