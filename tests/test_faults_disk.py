"""A full disk during a crawl: the crawl stops at the first failed write with one error naming the path,
its record says why (or, when even that cannot be written, the crawl command and `status` say so),
nothing is half-written, and the next crawl after space returns completes.

A real tmpfs of 8 MB holds the archive and the logs (`mount -t tmpfs`, as root); a filler file takes
most of it. Skipped with the reason when mounting is not permitted.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_newsmon, write_config

SIZE = 8 * 1024 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "disk"
    target.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(target)], check=True,
                       capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root and mount rights): {exc}")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, timeout=10)


def fill(disk: Path, leave: int) -> Path:
    """A filler file that leaves about `leave` bytes free on the disk."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    filler = disk / "filler"
    with filler.open("ab") as out:
        out.write(b"\0" * max(0, free - leave))
    return filler


def articles(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_disk_full_during_a_crawl(replay, tmp_path: Path, small_disk: Path) -> None:
    db = small_disk / "newsmon.db"
    config = write_config(tmp_path / "newsmon.toml", replay.ru_url, replay.en_url, db)
    filler = fill(small_disk, 600 * 1024)
    proc = run_newsmon(config, "crawl", "--full", check=False, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out, out[-3000:]
    assert len(proc.stderr.strip().splitlines()) <= 1, proc.stderr
    assert "disk full" in proc.stdout or "No space left" in out, out
    assert str(small_disk) in out
    status = run_newsmon(config, "status").stdout
    assert "last run: running" not in status, status
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = articles(db)
    filler.unlink()
    again = run_newsmon(config, "crawl", "--full", timeout=300)
    assert "failed" not in again.stdout, again.stdout
    assert articles(db) > partial
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        outcomes = [r[0] for r in conn.execute("SELECT outcome FROM crawl_runs ORDER BY id")]
        urls = conn.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
    assert urls[0] == urls[1] and "running" not in outcomes and outcomes[-2:] == ["ok", "ok"], outcomes
