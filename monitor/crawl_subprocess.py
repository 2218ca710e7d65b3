"""Run crawls as subprocesses with a time limit, then read each source's outcome from its crawl record.

A batch of sources shares one process (`crawl --source A --source B ...`: start-up is paid once, one
spider per source, each with its own time limit so a hung source is closed while the others go on).
Each batch gets its own process (Twisted's reactor cannot restart, and a hung or leaking crawl must
not take the daemon down) in its own process group, so a timeout kills the crawl and its children.
The command is `python -m monitor --config PATH crawl --source NAME... --time-limit S [--full]`;
$NEWSMON_CRAWL_COMMAND may replace it with a template (placeholders {python} {config} {sources}
{source} {limit} {full}), which the tests use; a template with {source} but not {sources} runs one
process per source.
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
DEFAULT_COMMAND = "{python} -m monitor --config {config} crawl {sources} --time-limit {limit} {full}"
KILL_GRACE = 15.0  # seconds between SIGTERM and SIGKILL
SOURCE_SHARE = 0.9  # a source's own time limit, as a share of the batch's: it closes before the kill


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


def template_of(template: str | None = None) -> str:
    return template or os.environ.get(COMMAND_ENV) or DEFAULT_COMMAND


def command(config: Config, source: str | list[str], full: bool = False, template: str | None = None,
            limit: float = 0.0) -> list[str]:
    """The argv of one crawl subprocess for one source or a batch ({sources}: `--source NAME` each)."""
    names = [source] if isinstance(source, str) else list(source)
    template = template_of(template)
    if config.path is None:
        template = template.replace("--config {config}", "")
    fields = {"python": sys.executable, "config": str(Path(config.path).resolve()) if config.path else "",
              "source": names[0], "full": "--full" if full else "", "limit": f"{limit:g}"}
    argv: list[str] = []
    for part in shlex.split(template):
        if part == "{sources}":
            argv += [arg for name in names for arg in ("--source", name)]
        elif part.format(sources="", **fields):
            argv.append(part.format(sources="", **fields))
    return argv


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
        return self.run_batch([source], full)[0]

    def run_batch(self, sources: list[str], full: bool = False) -> list[CrawlResult]:
        """Crawl these sources in one subprocess (one per source if the command template cannot batch)."""
        if len(sources) > 1 and "{sources}" not in template_of(self.template):
            return [result for source in sources for result in self.run_batch([source], full)]
        before = self._last_ids(sources)
        argv = command(self.config, sources, full, self.template, limit=round(self.timeout * SOURCE_SHARE, 1))
        out = self.log_path(sources[0] if len(sources) == 1 else f"batch-{sources[0]}+{len(sources) - 1}")
        out.parent.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        with open(out, "wb") as sink, self.lock:
            if self.closed:
                return [CrawlResult(source, full, "skipped", None, 0.0, None, "newsmon is shutting down")
                        for source in sources]
            proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    cwd=self.config.base_dir, start_new_session=True)
            self.procs[proc.pid] = proc
        try:  # the child holds its own copy of the log file
            timed_out = self._wait(proc)
        finally:
            with self.lock:
                self.procs.pop(proc.pid, None)
        elapsed = time.monotonic() - start
        db = connect(self.config.db_path)  # one connection for the batch's records, not one per source
        try:
            results = []
            for source in sources:
                if timed_out or proc.returncode != 0:
                    runs.close_stale_runs(db, source)  # a killed crawl leaves its record 'running'
                run = runs.last_run(db, source)
                results.append(self._result(source, full, before[source], run, proc.returncode, elapsed,
                                            timed_out, out))
        finally:
            db.close()
        return results

    def _wait(self, proc: subprocess.Popen[bytes]) -> bool:
        try:
            proc.wait(timeout=self.timeout)
            _signal_group(proc, signal.SIGKILL)  # nothing of a finished crawl outlives it (its parse workers)
            return False
        except subprocess.TimeoutExpired:
            log.warning("crawl pid %s exceeded %.0fs: stopping its process group", proc.pid, self.timeout)
            stop_group(proc)
            return True

    def _last_ids(self, sources: list[str]) -> dict[str, int]:
        db = connect(self.config.db_path)
        try:
            return {source: (runs.last_run(db, source) or {}).get("id", 0) for source in sources}
        finally:
            db.close()

    def _result(self, source: str, full: bool, before: int, run: dict[str, Any] | None, code: int | None,
                elapsed: float, timed_out: bool, out: Path) -> CrawlResult:
        tail = _tail(out)
        if run is None or run["id"] <= before:
            locked = code == EXIT_LOCKED or _said(out, f"{source}: skipped: ")
            outcome = "timeout" if timed_out else "skipped" if locked else "error"
            return CrawlResult(source, full, outcome, code, elapsed, None, tail or f"exit status {code}")
        # in a killed batch, a source that had finished keeps its own outcome
        outcome = "timeout" if timed_out and run["outcome"] in ("killed", "running") else run["outcome"]
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


def _said(path: Path, text: str) -> bool:
    """Whether the crawl's output holds this line start (a batch's per-source 'skipped' line)."""
    try:
        return any(line.startswith(text) for line in path.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return False


def _tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])
