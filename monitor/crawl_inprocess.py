"""Run crawls of the configured sources in this process (one Twisted reactor, one CrawlerProcess).

`newsmon crawl` calls this, one spider per source side by side, after an idle pre-check of the sources
that allow it (one spider for all: spiders.precheck, monitor.idle); the daemon runs `newsmon crawl` as a
subprocess per batch of sources (monitor.crawl_subprocess), so a hung or leaking crawl never takes the
daemon down.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.config import ENV_VAR, Config, share
from monitor.errors import SourceLocked

if TYPE_CHECKING:
    from spiders.precheck import Poll

logger = logging.getLogger(__name__)


@dataclass
class CrawlOptions:
    """What one `newsmon crawl` asks for."""

    sources: list[str]
    full: bool = False
    alert_backlog: bool = False
    progress: bool = False
    verbose: int = 0
    time_limit: float = 0.0  # seconds per source (0: none); a hung source is closed, the others go on


def scrapy_settings(config: Config, options: CrawlOptions) -> Any:
    """spiders.settings (read from the same config file) plus this run's options."""
    from scrapy.settings import Settings

    if config.path:
        os.environ[ENV_VAR] = str(Path(config.path).resolve())
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    # Each crawler gets only its own [sources.NAME] table (see run_crawls): Scrapy deep-copies the
    # settings per crawler, and a thousand sources' tables copied per source would cost more than the poll.
    settings.set("NEWSMON_SOURCES", {}, priority="project")
    # Spiders are passed as classes: Scrapy's spider loader need not import spiders.news (and with it every
    # parser) in a batch where the pre-check found nothing changed.
    settings.set("SPIDER_MODULES", [], priority="cmdline")
    settings.set("NEWSMON_FULL", options.full, priority="cmdline")
    settings.set("NEWSMON_ALERT_BACKLOG", options.alert_backlog, priority="cmdline")
    settings.set("NEWSMON_PROGRESS", options.progress, priority="cmdline")
    if options.time_limit:  # Scrapy's CloseSpider extension runs per crawler: one timer per source
        settings.set("CLOSESPIDER_TIMEOUT", options.time_limit, priority="cmdline")
    if options.verbose:
        settings.set("LOG_LEVEL", "DEBUG" if options.verbose > 1 else "INFO", priority="cmdline")
    else:
        log_file = log_path(config)
        log_file.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
        settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    return settings


def log_path(config: Config) -> Path:
    """The crawl log beside the archive."""
    return config.db_path.parent / "logs" / "crawl.log"


@dataclass
class CrawlReport:
    """What `run_crawls` saw beyond the crawl records: sources skipped as locked, and per source why a
    crawl stopped early or never started (its record may not say: it may not exist or be writable)."""

    skipped: list[str] = field(default_factory=list)
    stopped: dict[str, str] = field(default_factory=dict)


class LogGuard:
    """The crawl log's error handler: the first failed write (a full disk) stops every crawl with one
    line on stderr, instead of one traceback per log record."""

    def __init__(self, handler: logging.Handler, path: Path) -> None:
        self.handler, self.path, self.crawlers = handler, path, []
        self.failed: str | None = None
        handler.handleError = self.on_error  # type: ignore[method-assign]

    def on_error(self, record: logging.LogRecord) -> None:
        if self.failed is not None:
            return
        exc = sys.exc_info()[1]
        self.failed = f"cannot write the crawl log {self.path}: {getattr(exc, 'strerror', None) or exc}"
        sys.stderr.write(f"Error: {self.failed}\n")
        if threading.current_thread() is not threading.main_thread():  # the archive's writer thread logs too
            from twisted.internet import reactor

            reactor.callFromThread(self.stop_crawls)
        else:
            self.stop_crawls()

    def stop_crawls(self) -> None:
        """Stop every crawl with the reason (on the reactor's thread)."""
        from spiders.extensions import CrawlRecorder

        for crawler in self.crawlers:
            ext = crawler.extensions.middlewares if crawler.extensions else ()
            recorder = next((e for e in ext if isinstance(e, CrawlRecorder)), None)
            if recorder is not None and crawler.engine is not None and crawler.engine.spider is not None:
                recorder.stop(self.failed)


SCRAPY_SLOT = 5_000_000  # Scrapy's own SCRAPER_SLOT_MAX_ACTIVE_SIZE per crawler


def slot_size(budget: int, sources: int) -> int:
    """Bytes of responses each crawler of a batch may hold while they are read and archived: the process's
    budget (spiders.settings) shared by its sources, never less than Scrapy's default per crawler, so a batch
    of a hundred sources holds no more than it did with Scrapy's default."""
    return max(min(budget, SCRAPY_SLOT), budget // max(1, sources))


class BatchRun:
    """One CrawlerProcess for a batch: the idle pre-check of the sources that allow it (monitor.idle) in one
    crawler, and a crawler of its own for every other source, or for one whose pre-check found news."""

    def __init__(self, config: Config, options: CrawlOptions) -> None:
        from scrapy.crawler import CrawlerProcess

        self.config, self.options = config, options
        self.process = CrawlerProcess(scrapy_settings(config, options))
        self.crawlers: dict[str, Any] = {}
        self.watched: list[Any] = []  # every crawler, for the crawl log's guard
        self.guard: LogGuard | None = None
        self.begun = time.monotonic()
        self.recorder: Any = None

    def crawl(self, name: str, poll: Poll | None = None) -> None:
        """Start the source's own crawler now (also from the pre-check, while the reactor runs)."""
        from spiders.news import NewsSpider

        crawler = self.process.create_crawler(NewsSpider)
        crawler.settings.set("NEWSMON_SOURCES", {name: self.config.source(name)}, priority="cmdline")
        budget = crawler.settings.getint("SCRAPER_SLOT_MAX_ACTIVE_SIZE")
        crawler.settings.set("SCRAPER_SLOT_MAX_ACTIVE_SIZE", slot_size(budget, len(self.options.sources)),
                             priority="cmdline")
        if poll is not None:
            self.count_precheck(crawler, poll)
        self.crawlers[name] = crawler
        self.watched.append(crawler)
        self.process.crawl(crawler, source=name, full=self.options.full)
        self.guard_log()

    def count_precheck(self, crawler: Any, poll: Poll) -> None:
        """The pre-check's request belongs to the source's crawl: in its record, and in its time limit."""
        from scrapy import signals

        def opened(spider: Any) -> None:
            if poll.status:
                crawler.stats.inc_value("downloader/request_count")
                crawler.stats.inc_value("downloader/response_bytes", poll.bytes)

        crawler.signals.connect(opened, signals.spider_opened, weak=False)
        if self.options.time_limit:
            left = max(1.0, self.options.time_limit - (time.monotonic() - self.begun))
            crawler.settings.set("CLOSESPIDER_TIMEOUT", left, priority="cmdline")

    def precheck(self, polls: list[Poll]) -> None:
        from monitor.idle import IdleRecorder
        from spiders.precheck import PrecheckSpider

        self.recorder = IdleRecorder(self.config)
        crawler = self.process.create_crawler(PrecheckSpider)
        self.watched.append(crawler)
        self.process.crawl(crawler, polls=polls, on_idle=self.idle, on_changed=self.crawl)
        self.guard_log()

    def idle(self, poll: Poll) -> None:
        try:
            self.recorder.record(poll)
        except (sqlite3.Error, OSError) as exc:  # its own crawl says what is wrong, in its record if it can
            logger.warning("%s: the idle poll could not be recorded (%s): crawling it", poll.source, exc)
            self.crawl(poll.source, poll)

    def guard_log(self) -> None:
        """Each crawler installs Scrapy's root log handler anew: guard the one in place now."""
        from scrapy.utils.log import get_scrapy_root_handler

        handler = get_scrapy_root_handler()
        if isinstance(handler, logging.FileHandler) and (self.guard is None or self.guard.handler is not handler):
            self.guard = LogGuard(handler, log_path(self.config))
            self.guard.crawlers = self.watched

    def start(self) -> None:
        self.begun = time.monotonic()
        try:
            self.process.start()
        finally:
            if self.recorder is not None:
                self.recorder.close()
            if (pool := sys.modules.get("spiders.parsing.pool")) is not None:  # imported by a news spider
                pool.close_all()


def warm_parsers(config: Config, sources: list[str]) -> None:
    """A full crawl reads every article page again: its parse workers start now, and import the parsers
    and load the dictionaries while this process loads Scrapy, instead of once its first spider is made
    (spiders.news then finds them started)."""
    processes = config.data["crawl"]["parse_processes"]
    if not processes:
        return
    from spiders.source import from_config

    if any(from_config(name, config.source(name)).profile.has_parsers for name in sources):
        from spiders.parsing import pool

        pool.shared(processes).warm()


def run_crawls(config: Config, options: CrawlOptions) -> CrawlReport:
    """Crawl every source not locked by another process; says which were skipped and which stopped early."""
    from monitor.locks import source_lock

    share(config)  # the pipelines of every source read this same config
    report = CrawlReport()
    skipped = report.skipped
    with contextlib.ExitStack() as locks:
        runnable = []
        for name in sorted(options.sources):
            try:
                locks.enter_context(source_lock(config, name))
            except SourceLocked as exc:
                logger.warning("%s", exc)
                skipped.append(name)
                continue
            runnable.append(name)
        if runnable:
            if options.full:
                warm_parsers(config, runnable)
            from monitor import idle  # Scrapy comes with it (the workers, started, load meanwhile)
            from spiders.extensions import STOP_STAT

            if options.verbose:  # Scrapy installs its own root handler to stderr
                logging.getLogger().handlers.clear()
            batch = BatchRun(config, options)
            conditional = batch.process.settings.getbool("NEWSMON_CONDITIONAL_POLLS")
            polls = idle.eligible(config, runnable) if conditional and not options.full else []
            checked = {poll.source for poll in polls}
            for name in runnable:
                if name not in checked:
                    batch.crawl(name)
            if polls:
                batch.precheck(polls)
            batch.start()
            for name, crawler in batch.crawlers.items():
                if why := crawler.stats.get_value(STOP_STAT):
                    report.stopped[name] = why
    return report
