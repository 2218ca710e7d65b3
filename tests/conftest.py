"""Fixtures shared by the suites: the replay site on loopback, a config pointing at it, and newsmon run
as a real subprocess (a crawl needs its own Twisted reactor, exactly as in production)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# --run-soak and the soak marker (make soak); the aiosmtpd `smtp_server` fixture of the monitor suites
pytest_plugins = ["tests.soak_plugin", "tests.monitor_fixtures"]


def write_config(path: Path, ru_url: str, en_url: str, db: Path, extra: str = "", timeout: float = 5) -> Path:
    """A newsmon.toml for the replay: no politeness delay, short timeouts, the archive at `db`."""
    path.write_text(
        f"""
[storage]
path = "{db}"
maildir = "{db.parent / 'maildir'}"

[crawl]
timeout = {timeout:g}
retries = 2
autothrottle = false

[sources.spbpu-ru]
base_url = "{ru_url}"
download_delay = 0
concurrency = 4

[sources.spbpu-en]
base_url = "{en_url}"
download_delay = 0
concurrency = 4
{extra}
""",
        encoding="utf-8",
    )
    return path


def run_newsmon(config: Path, *args: str, timeout: float = 180, check: bool = True,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`newsmon --config CONFIG ARGS...` in a subprocess; output captured as text."""
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), *args],
        capture_output=True, text=True, timeout=timeout, cwd=config.parent,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"newsmon {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def replay() -> Iterator[object]:
    """The replay site in its first state, both hosts on free loopback ports."""
    from tests.replay import ReplaySite

    with ReplaySite(ru_port=0, en_port=0, state=1) as site:
        yield site


@pytest.fixture
def replay_config(tmp_path: Path, replay: object) -> Path:
    """newsmon.toml pointing both sources at the replay, with the archive in tmp_path."""
    return write_config(tmp_path / "newsmon.toml", replay.ru_url, replay.en_url, tmp_path / "data" / "newsmon.db")


@pytest.fixture
def newsmon(replay_config: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run newsmon against the replay config: newsmon("crawl", "--full")."""
    return lambda *args, **kw: run_newsmon(replay_config, *args, **kw)


@pytest.fixture(scope="session")
def crawled_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of the whole replay (first state, full crawl of both hosts), built once per session.

    Tests that write must copy it first (see `archive_copy`).
    """
    from tests.replay import ReplaySite

    base = tmp_path_factory.mktemp("crawled")
    with ReplaySite(ru_port=0, en_port=0, state=1) as site:
        config = write_config(base / "newsmon.toml", site.ru_url, site.en_url, base / "data" / "newsmon.db")
        run_newsmon(config, "crawl", "--full")
        site.set_state(2)
        run_newsmon(config, "crawl", "--full")
    return base / "data" / "newsmon.db"


@pytest.fixture
def archive_copy(crawled_archive: Path, tmp_path: Path) -> Path:
    """A private copy of the crawled archive a test may change."""
    target = tmp_path / "newsmon.db"
    shutil.copy(crawled_archive, target)
    return target
