"""Memory: peak RSS of a process tree (psutil polling), and the daemon's own RSS over many scheduled crawls.

The daemon figure runs `newsmon run` against the replay with a 1-second interval and real crawl
subprocesses; the daemon's RSS (its own process only: the crawls are children that come and go) is
sampled after every finished crawl. Target: after the first ten crawls it grows by at most 10%.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from bench.crawl import REPO, newsmon_argv, write_config
from storage.db import connect

MB = 2**20


class PeakRss:
    """Polls the RSS of a process and all its descendants in a thread; `peak` is the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _sample(self) -> int:
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak / MB, 1)


def _finished_crawls(db_path: Path) -> int:
    try:
        db = connect(db_path, readonly=True)
    except Exception:  # noqa: BLE001 - the daemon is still creating the archive
        return 0
    try:
        return db.execute("SELECT count(*) FROM crawl_runs WHERE outcome != 'running'").fetchone()[0]
    except Exception:  # noqa: BLE001
        return 0
    finally:
        db.close()


def daemon_rss(workdir: Path, crawls: int = 100, timeout: float | None = None) -> dict[str, Any]:
    """Run `newsmon run` over the replay until `crawls` crawls finished; RSS of the daemon after each."""
    from tests.replay import ReplaySite

    timeout = timeout or 60 + 6 * crawls
    workdir.mkdir(parents=True, exist_ok=True)
    with ReplaySite() as site:
        config = write_config(workdir / "daemon.toml", site.ru_url, site.en_url, workdir / "daemon" / "newsmon.db",
                              interval="1s", extra=DAEMON_EXTRA)
        proc = subprocess.Popen([*newsmon_argv(config), "run"], cwd=workdir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)})
        samples: list[tuple[int, float]] = []
        started, seen = time.monotonic(), 0
        try:
            daemon = psutil.Process(proc.pid)
            while seen < crawls and time.monotonic() - started < timeout and proc.poll() is None:
                done = _finished_crawls(config.parent / "daemon" / "newsmon.db")
                if done > seen:
                    seen = done
                    samples.append((done, daemon.memory_info().rss / MB))
                time.sleep(0.05)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return summarise(samples, crawls, time.monotonic() - started)


def summarise(samples: list[tuple[int, float]], crawls: int, elapsed: float) -> dict[str, Any]:
    """RSS after crawl ~10 and at the end; growth over the first ten must stay within 10%."""
    if not samples:
        return {"crawls": 0, "error": "the daemon finished no crawl"}
    tenth = next((rss for n, rss in samples if n >= min(10, crawls)), samples[0][1])
    last_n, last = samples[-1]
    peak = max(rss for _, rss in samples)
    growth = (max(rss for n, rss in samples if n >= min(10, crawls)) - tenth) / tenth
    return {"crawls": last_n, "rss_mb_after_10": round(tenth, 1), "rss_mb_last": round(last, 1),
            "rss_mb_peak": round(peak, 1), "growth_after_10": round(growth, 4), "elapsed_s": round(elapsed, 1),
            "samples": [(n, round(rss, 1)) for n, rss in samples]}


DAEMON_EXTRA = """
[scheduler]
delivery_interval = "1s"
health_interval = "2s"
misfire_grace = "5s"
"""


def python_rss_mb() -> float:
    """This interpreter's own RSS (for the record: what an idle Python costs here)."""
    return round(psutil.Process().memory_info().rss / MB, 1)


if __name__ == "__main__":
    import json
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        print(json.dumps(daemon_rss(Path(tmp), int(sys.argv[1]) if len(sys.argv) > 1 else 100), indent=1))
