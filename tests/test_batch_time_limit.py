"""A batch crawl's per-source time limit, with the real spider: a source whose host accepts connections and
never answers is closed at its limit (plus the one download in flight, not retried) while the other source of the same process finishes ok."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import connect
from tests.conftest import run_newsmon, write_config


@pytest.fixture
def silent_host() -> Iterator[str]:
    """A loopback port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def test_a_hung_source_is_closed_at_its_limit_and_the_other_finishes(tmp_path: Path, replay, silent_host) -> None:
    db_path = tmp_path / "data" / "n.db"
    config = write_config(tmp_path / "newsmon.toml", replay.ru_url, replay.en_url, db_path, timeout=25,
                          extra=f'\n[sources.hung]\nbase_url = "{silent_host}"\ndownload_delay = 0\n')
    start = time.monotonic()
    proc = run_newsmon(config, "crawl", "--source", "hung", "--source", "spbpu-en", "--time-limit", "15s",
                       check=False)
    assert time.monotonic() - start < 60, proc.stdout
    db = connect(db_path)
    try:
        runs = {r["source"]: r for r in db.query("SELECT * FROM crawl_runs")}
    finally:
        db.close()
    assert runs["spbpu-en"]["outcome"] == "ok" and runs["spbpu-en"]["new"] > 0, runs
    assert runs["hung"]["outcome"] == "failed" and "time limit" in runs["hung"]["message"]
    assert runs["hung"]["elapsed"] < 40, runs["hung"]  # one download timeout (25 s), not three (retries)
    assert proc.returncode == 1
