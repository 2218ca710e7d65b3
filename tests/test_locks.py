"""Locks beside the archive: per source and per daemon, wait or skip, released when the holder dies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor import locks
from monitor.errors import SourceLocked
from tests.monitor_fixtures import make_config

REPO = Path(__file__).resolve().parent.parent

HOLD = """
import sys, time
from monitor import config, locks
c = config.from_dict({"storage": {"path": sys.argv[1]}})
with locks.source_lock(c, "spbpu-ru"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def holder(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the spbpu-ru lock for `seconds`."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE,
                            text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def config(tmp_path):
    return make_config(tmp_path)


def test_skip_mode_refuses_at_once_with_a_clear_message(config):
    proc = holder(config.db_path, 30)
    try:
        start = time.monotonic()
        with pytest.raises(SourceLocked) as err, locks.source_lock(config, "spbpu-ru", mode="skip"):
            pass
        assert time.monotonic() - start < 1
        message = str(err.value)
        assert "spbpu-ru" in message and f"pid {proc.pid}" in message and "skip" in message
        with locks.source_lock(config, "spbpu-en", mode="skip"):  # other sources are free
            pass
    finally:
        proc.kill()
        proc.wait()


def test_wait_mode_waits_for_the_holder(config):
    proc = holder(config.db_path, 1.0)
    start = time.monotonic()
    with locks.source_lock(config, "spbpu-ru", mode="wait", timeout=20):
        waited = time.monotonic() - start
    proc.wait()
    assert 0.3 < waited < 10


def test_wait_mode_gives_up_after_timeout(config):
    proc = holder(config.db_path, 30)
    try:
        with pytest.raises(SourceLocked, match="gave up after waiting 0.5s"), \
                locks.source_lock(config, "spbpu-ru", mode="wait", timeout=0.5):
            pass
    finally:
        proc.kill()
        proc.wait()


def test_killed_holder_releases_the_lock(config):
    proc = holder(config.db_path, 60)
    assert locks.is_locked(config, "spbpu-ru")
    proc.kill()
    proc.wait()
    assert not locks.is_locked(config, "spbpu-ru")
    with locks.source_lock(config, "spbpu-ru", mode="skip"):
        pass


def test_defaults_come_from_the_config(tmp_path):
    config = make_config(tmp_path, scheduler={"lock": "skip"})
    with locks.source_lock(config, "spbpu-ru"):
        with pytest.raises(SourceLocked, match="skipped"), locks.source_lock(config, "spbpu-ru"):
            pass


def test_daemon_lock(config):
    with locks.daemon_lock(config):
        with pytest.raises(locks.DaemonLocked, match="already has a `newsmon run` daemon"), \
                locks.daemon_lock(config, mode="skip"):
            pass
    with locks.daemon_lock(config, mode="skip"):
        pass
