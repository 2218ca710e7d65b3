"""Run one crawl as a subprocess with a time limit, then read its outcome from the archive's crawl record.

Each crawl gets its own process (Twisted's reactor cannot restart, and a hung or leaking crawl must
not take the daemon down) in its own process group, so a timeout kills the crawl and its children.
The command is `python -m monitor --config PATH crawl --source NAME [--full]`; $NEWSMON_CRAWL_COMMAND
may replace it with a template (placeholders {python} {config} {source} {full}), which the tests use.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.commands.crawl import EXIT_LOCKED
from monitor.config import Config
from storage import runs
from storage.db import connect

log = logging.getLogger(__name__)

COMMAND_ENV = "NEWSMON_CRAWL_COMMAND"
DEFAULT_COMMAND = "{python} -m monitor --config {config} crawl --source {source} {full}"
KILL_GRACE = 15.0  # seconds between SIGTERM and SIGKILL


@dataclass
class CrawlResult:
    """How one crawl subprocess ended: ok | failed | killed (from its record) | timeout | skipped | error."""

    source: str
    full: bool
    outcome: str
    returncode: int | None
    elapsed: float
    run: dict[str, Any] | None = None
    message: str = ""

    def summary(self) -> str:
        counts = ""
        if self.run:
            counts = (f": {self.run['new']} new, {self.run['changed']} changed, {self.run['unchanged']} unchanged,"
                      f" {self.run['errors']} errors")
        kind = "full sweep" if self.full else "crawl"
        note = f" ({self.message})" if self.message and self.outcome != "ok" else ""
        return f"{self.source} {kind} {self.outcome}{counts} in {self.elapsed:.1f}s{note}"


def command(config: Config, source: str, full: bool = False, template: str | None = None) -> list[str]:
    """The argv of one crawl subprocess."""
    template = template or os.environ.get(COMMAND_ENV) or DEFAULT_COMMAND
    if config.path is None:
        template = template.replace("--config {config}", "")
    fields = {"python": sys.executable, "config": str(Path(config.path).resolve()) if config.path else "",
              "source": source, "full": "--full" if full else ""}
    return [part.format(**fields) for part in shlex.split(template) if part.format(**fields)]


def close_dead_runs(config: Config, source: str) -> int:
    """Mark 'running' records of processes that no longer exist as killed."""
    db = connect(config.db_path)
    try:
        return runs.close_stale_runs(db, source)
    finally:
        db.close()


class Crawler:
    """Starts crawl subprocesses and remembers them, so a shutdown can stop them cleanly."""

    def __init__(self, config: Config, *, timeout: float | None = None, template: str | None = None) -> None:
        self.config = config
        self.timeout = timeout if timeout is not None else config.duration("scheduler", "crawl_timeout")
        self.template = template
        self.procs: dict[int, subprocess.Popen[bytes]] = {}
        self.lock = threading.Lock()
        self.closed = False  # set by stop_all: no new crawl starts after a shutdown began

    def log_path(self, source: str) -> Path:
        return self.config.db_path.parent / "logs" / f"daemon-crawl-{source}.log"

    def run(self, source: str, full: bool = False) -> CrawlResult:
        """Crawl one source in a subprocess, killed after the time limit; outcome from its crawl record."""
        before = self._last_id(source)
        argv = command(self.config, source, full, self.template)
        out = self.log_path(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        with open(out, "wb") as sink, self.lock:
            if self.closed:
                return CrawlResult(source, full, "skipped", None, 0.0, None, "newsmon is shutting down")
            proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    cwd=self.config.base_dir, start_new_session=True)
            self.procs[proc.pid] = proc
        try:  # the child holds its own copy of the log file
            timed_out = self._wait(proc)
        finally:
            with self.lock:
                self.procs.pop(proc.pid, None)
        elapsed = time.monotonic() - start
        if timed_out or proc.returncode != 0:
            close_dead_runs(self.config, source)  # a killed crawl leaves its record 'running'

        return self._result(source, full, before, proc.returncode, elapsed, timed_out, out)

    def _wait(self, proc: subprocess.Popen[bytes]) -> bool:
        try:
            proc.wait(timeout=self.timeout)
            return False
        except subprocess.TimeoutExpired:
            log.warning("crawl pid %s exceeded %.0fs: stopping its process group", proc.pid, self.timeout)
            stop_group(proc)
            return True

    def _last_id(self, source: str) -> int:
        db = connect(self.config.db_path)
        try:
            run = runs.last_run(db, source)
            return run["id"] if run else 0
        finally:
            db.close()

    def _result(self, source: str, full: bool, before: int, code: int | None, elapsed: float,
                timed_out: bool, out: Path) -> CrawlResult:
        db = connect(self.config.db_path)
        try:
            run = runs.last_run(db, source)
        finally:
            db.close()
        tail = _tail(out)
        if run is None or run["id"] <= before:
            locked = code == EXIT_LOCKED
            outcome = "timeout" if timed_out else "skipped" if locked else "error"
            return CrawlResult(source, full, outcome, code, elapsed, None, tail or f"exit status {code}")
        outcome = "timeout" if timed_out else run["outcome"]
        return CrawlResult(source, full, outcome, code, elapsed, run, run["message"] or tail)

    def stop_all(self, grace: float = KILL_GRACE) -> None:
        """Ask every running crawl to stop (SIGTERM: Scrapy closes cleanly), SIGKILL after `grace`."""
        with self.lock:
            self.closed = True
            procs = list(self.procs.values())
        for proc in procs:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in procs:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop_group(proc: subprocess.Popen[bytes], grace: float = KILL_GRACE) -> None:
    """SIGTERM the process group, then SIGKILL it if it is still there after `grace` seconds."""
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        proc.wait()
    _signal_group(proc, signal.SIGKILL)  # stragglers in the group


def _tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])
