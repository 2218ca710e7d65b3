"""Run crawls of the configured sources in this process (one Twisted reactor, one CrawlerProcess).

`newsmon crawl` calls this, one spider per source side by side; the daemon runs `newsmon crawl` as a
subprocess per batch of sources (monitor.crawl_subprocess), so a hung or leaking crawl never takes the
daemon down.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.config import ENV_VAR, Config
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


def run_crawls(config: Config, options: CrawlOptions) -> list[str]:
    """Crawl every source not locked by another process; returns the sources skipped as locked."""
    from scrapy.crawler import CrawlerProcess

    from monitor.locks import source_lock

    skipped: list[str] = []
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

            for name in runnable:
                process.crawl(NewsSpider, source=name, full=options.full)
            process.start()
    return skipped
