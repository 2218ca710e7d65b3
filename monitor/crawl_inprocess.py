"""Run crawls of the configured sources in this process (one Twisted reactor, one CrawlerProcess).

`newsmon crawl` calls this, one spider per source side by side; the daemon runs `newsmon crawl` as a
subprocess per batch of sources (monitor.crawl_subprocess), so a hung or leaking crawl never takes the
daemon down.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.config import ENV_VAR, Config, share
from monitor.errors import SourceLocked

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
        from spiders.extensions import CrawlRecorder

        for crawler in self.crawlers:
            ext = crawler.extensions.middlewares if crawler.extensions else ()
            recorder = next((e for e in ext if isinstance(e, CrawlRecorder)), None)
            if recorder is not None and crawler.engine is not None and crawler.engine.spider is not None:
                recorder.stop(self.failed)


def run_crawls(config: Config, options: CrawlOptions) -> CrawlReport:
    """Crawl every source not locked by another process; says which were skipped and which stopped early."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.log import get_scrapy_root_handler

    from monitor.locks import source_lock
    from spiders.extensions import STOP_STAT

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
            if options.verbose:  # Scrapy installs its own root handler to stderr
                logging.getLogger().handlers.clear()
            process = CrawlerProcess(scrapy_settings(config, options))
            from spiders.news import NewsSpider

            crawlers = {}
            for name in runnable:
                crawlers[name] = process.create_crawler(NewsSpider)
                crawlers[name].settings.set("NEWSMON_SOURCES", {name: config.source(name)}, priority="cmdline")
                process.crawl(crawlers[name], source=name, full=options.full)
            handler = get_scrapy_root_handler()  # each crawl installs it anew: guard the one in place now
            if isinstance(handler, logging.FileHandler):
                LogGuard(handler, log_path(config)).crawlers.extend(crawlers.values())
            process.start()
            for name, crawler in crawlers.items():
                if why := crawler.stats.get_value(STOP_STAT):
                    report.stopped[name] = why
    return report
