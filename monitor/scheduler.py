"""`newsmon run`: the daemon. APScheduler 3 jobs for crawls, full sweeps, alert delivery and health checks.

- each source: an interval (or cron) crawl job with jitter, and a periodic `--full` sweep;
- every job coalesces missed runs, never runs twice at once, and tolerates [scheduler] misfire_grace;
- crawls run as subprocesses (monitor.crawl_subprocess), the sources due together batched into one process
  (monitor.batch); a finished crawl wakes the delivery job at once;
- on start, a source whose last ok crawl is older than its period is crawled at once;
- SIGTERM/SIGINT: no new jobs; running crawls get SIGTERM (Scrapy closes cleanly, SIGKILL after a grace),
  delivery stops after the message in hand; then exit 0.
The daemon writes its next run times to `<archive>.daemon.json` for `newsmon status`.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor import cron, delivery, health, locks
from monitor.batch import Batcher
from monitor.config import Config, parse_duration
from monitor.crawl_subprocess import Crawler, close_dead_runs
from monitor.errors import NewsmonError
from storage import runs
from storage.db import connect

log = logging.getLogger(__name__)


def state_path(config: Config) -> Path:
    """Where the running daemon publishes its schedule."""
    return config.db_path.with_name(f"{config.db_path.name}.daemon.json")


def crawl_trigger(config: Config, source: str) -> IntervalTrigger | CronTrigger:
    """The source's schedule: its cron expression (local time) if set, else its interval; both with jitter."""
    spec = config.source(source)
    jitter = int(parse_duration(spec["jitter"])) or None
    if spec["cron"]:
        return cron.trigger(spec["cron"], jitter, f"[sources.{source}] cron")
    return IntervalTrigger(seconds=parse_duration(spec["interval"]), jitter=jitter, timezone=UTC)


def _older_than(run: dict[str, Any] | None, seconds: float, now: datetime) -> bool:
    return run is None or (now - datetime.fromisoformat(run["started"])).total_seconds() >= seconds


class Daemon:
    """The scheduler and its jobs over one archive; `run()` blocks until SIGTERM/SIGINT."""

    def __init__(self, config: Config, *, crawler: Crawler | None = None) -> None:
        self.config = config
        self.crawler = crawler or Crawler(config)
        self.batcher = Batcher(self.crawler)
        self.stopping = threading.Event()
        self.started = datetime.now(UTC)
        self.active = 0  # jobs running now; shutdown waits for them before stopping the scheduler
        self.idle = threading.Condition()
        self.publishing = threading.Lock()
        self.unpublished = threading.Event()  # a job ran: the state file is due to be written again
        workers = 2 * len(config.source_names) + 4
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(workers)}, timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": int(config.duration("scheduler", "misfire_grace"))})

    def db(self) -> Any:
        return connect(self.config.db_path)

    def add_jobs(self) -> None:
        """Every job of the config; overdue sources (and pending alerts) are due at once."""
        now = datetime.now(UTC)
        db = self.db()
        try:
            for source in self.config.source_names:
                close_dead_runs(self.config, source)
                self._add_source(source, db, now)
        finally:
            db.close()
        self.scheduler.add_job(self.deliver, IntervalTrigger(seconds=self.config.duration("scheduler",
                               "delivery_interval"), timezone=UTC), id="delivery", name="alert delivery",
                               next_run_time=now)
        self.scheduler.add_job(self.check_health, IntervalTrigger(seconds=self.config.duration("scheduler",
                               "health_interval"), timezone=UTC), id="health", name="health checks",
                               next_run_time=now + timedelta(seconds=5))

    def _add_source(self, source: str, db: Any, now: datetime) -> None:
        period = health.source_period(self.config, source, now)
        last_ok = runs.last_run(db, source, "ok")
        crawl_now = _older_than(last_ok, period, now)
        sweep = parse_duration(self.config.source(source)["full_sweep"])
        extra = {"next_run_time": now} if crawl_now else {}
        self.scheduler.add_job(self.crawl, crawl_trigger(self.config, source), args=[source, False],
                               id=f"crawl:{source}", name=f"crawl {source}", **extra)
        if sweep > 0:
            last_full = runs.last_ok_run(db, source, mode="full")
            due = last_ok is not None and not crawl_now and _older_than(last_full, sweep, now)
            jitter = int(parse_duration(self.config.source(source)["jitter"])) or None
            self.scheduler.add_job(self.crawl, IntervalTrigger(seconds=sweep, jitter=jitter, timezone=UTC),
                                   args=[source, True], id=f"sweep:{source}", name=f"full sweep {source}",
                                   **({"next_run_time": now} if due else {}))
        log.info("%s: every %s%s", source, self.config.source(source)["cron"] or f"{period:.0f}s",
                 ", crawling now (last ok crawl older than its period)" if crawl_now else "")

    @contextmanager
    def job(self) -> Iterator[bool]:
        """Count a running job; yields False when the daemon is stopping (the job should not start)."""
        with self.idle:
            self.active += 1
        try:
            yield not self.stopping.is_set()
        finally:
            with self.idle:
                self.active -= 1
                self.idle.notify_all()

    def crawl(self, source: str, full: bool) -> None:
        with self.job() as go:
            if go:
                self._crawl(source, full)

    def _crawl(self, source: str, full: bool) -> None:
        result = self.batcher.run(source, full)
        level = logging.INFO if result.outcome in ("ok", "skipped") else logging.WARNING
        log.log(level, "%s", result.summary())
        found = result.run is not None and (result.run["new"] or result.run["changed"])
        if found and not self.stopping.is_set():  # alerts come only from new or changed articles
            self.wake("delivery")
        self.unpublished.set()  # written by the main loop: once a second, not once per source of a batch

    def deliver(self) -> None:
        with self.job() as go:
            if go:
                self._deliver()

    def _deliver(self) -> None:
        db = self.db()
        try:
            delivery.deliver(self.config, db, stop=self.stopping)
        except locks.DeliveryLocked as exc:
            log.info("delivery skipped: %s", exc)
        except Exception:  # noqa: BLE001 - a broken tick must not end the daemon
            log.exception("delivery failed")
        finally:
            db.close()
        self.publish()

    def check_health(self) -> None:
        with self.job() as go:
            if go:
                self._check_health()

    def _check_health(self) -> None:
        db = self.db()
        try:
            if health.report(self.config, db, since=self.started):
                self.wake("delivery")
        except Exception:  # noqa: BLE001
            log.exception("health check failed")
        finally:
            db.close()

    def wake(self, job_id: str) -> None:
        """Run a job now instead of at its next tick."""
        try:
            self.scheduler.modify_job(job_id, next_run_time=datetime.now(UTC))
        except Exception:  # noqa: BLE001 - the scheduler may be shutting down
            pass

    def publish(self) -> None:
        """Write the next run of every job to the state file `newsmon status` reads."""
        if self.stopping.is_set():
            return
        with self.publishing:
            try:
                jobs = {job.id: job.next_run_time.isoformat(timespec="seconds") if job.next_run_time else None
                        for job in self.scheduler.get_jobs()}
                data = {"pid": _pid(), "started": self.started.isoformat(timespec="seconds"), "jobs": jobs}
                tmp = state_path(self.config).with_suffix(f".{_pid()}.tmp")
                tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
                tmp.replace(state_path(self.config))
            except OSError as exc:
                log.warning("cannot write %s: %s", state_path(self.config), exc)

    def start(self) -> None:
        self.add_jobs()
        self.scheduler.start()
        self.publish()

    def stop(self, *_: Any) -> None:
        """Stop taking jobs; stop running crawls cleanly (called from a signal handler: no blocking)."""
        if self.stopping.is_set():
            return
        log.warning("stopping: no new jobs; running crawls are asked to stop")
        self.stopping.set()

    def shutdown(self) -> None:
        """Stop running crawls, wait for running jobs, then stop the scheduler (it has nothing left to wait for)."""
        self.scheduler.pause()
        self.crawler.stop_all()
        with self.idle:
            self.idle.wait_for(lambda: self.active == 0)
        self.scheduler.shutdown(wait=True)
        state_path(self.config).unlink(missing_ok=True)

    def run(self) -> int:
        """Hold the daemon lock, run until SIGTERM/SIGINT, shut down cleanly; returns the exit status 0."""
        with locks.daemon_lock(self.config):
            previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
            try:
                self.start()
                log.warning("newsmon daemon started (pid %s) on %s", _pid(), self.config.db_path)
                while not self.stopping.wait(1.0):
                    if self.unpublished.is_set():
                        self.unpublished.clear()
                        self.publish()
            finally:
                self.stopping.set()
                if self.scheduler.running:
                    self.shutdown()
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
        log.warning("newsmon daemon stopped")
        return 0


def _pid() -> int:
    return os.getpid()


def read_state(config: Config) -> dict[str, Any] | None:
    """The running daemon's published schedule, or None when no daemon holds the archive."""
    path = state_path(config)
    if not path.exists():
        return None
    try:
        with locks.daemon_lock(config, mode=locks.SKIP):
            return None  # we got the lock: no daemon is running, the file is stale
    except NewsmonError:
        pass
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
