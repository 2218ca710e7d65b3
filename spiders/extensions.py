"""Scrapy extensions: the crawl record in the archive, and a progress line in a terminal.

The record is the crawl's licence to write: a crawl whose record cannot be opened (the archive locked
past the busy timeout, read-only, damaged) closes before its first request, so it never archives an
article nobody can account for. A failed write for lack of space stops the crawl at once with one
error naming the path; the record says so, or, when even that cannot be written, the crawl's
statistics carry the reason for `newsmon crawl` to print.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import sys
import time
from typing import Any

from scrapy import signals as scrapy_signals
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from spiders import signals
from storage import runs
from storage.db import ArchiveError, connect, describe

logger = logging.getLogger(__name__)

STOP_STAT = "newsmon/stopped"  # why the crawl stopped early or never started (read by `newsmon crawl`)


def disk_full(exc: BaseException) -> bool:
    """SQLite's 'database or disk is full' or an OSError of no space (or quota) left."""
    if isinstance(exc, sqlite3.OperationalError):
        return "disk is full" in str(exc) or "disk I/O error" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


class CrawlRecorder:
    """One crawl_runs row per crawl: start, end, mode, requests and responses by status, item counts, outcome."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.db: Any = None
        self.run_id: int | None = None
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlRecorder:
        if not crawler.settings.get("NEWSMON_DB_PATH"):
            raise NotConfigured("NEWSMON_DB_PATH is empty")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, scrapy_signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, scrapy_signals.spider_closed)
        crawler.signals.connect(ext.item_dropped, scrapy_signals.item_dropped)
        crawler.signals.connect(ext.item_error, scrapy_signals.item_error)
        crawler.signals.connect(ext.article_error, signals.article_error)
        crawler.signals.connect(ext.article_flagged, signals.article_flagged)
        return ext

    @property
    def path(self) -> str:
        return self.crawler.settings.get("NEWSMON_DB_PATH")

    def spider_opened(self, spider: Any) -> None:
        try:
            self.db = connect(self.path)
            runs.close_stale_runs(self.db, spider.name)
            self.run_id = runs.start_run(self.db, spider.name, spider.mode, os.getpid())
        except (sqlite3.Error, ArchiveError, OSError) as exc:
            reason = str(exc) if isinstance(exc, ArchiveError) else describe(exc, self.path)
            self.crawler.stats.set_value(STOP_STAT, f"the crawl did not start: no crawl record: {reason}")
            logger.error("%s: the crawl did not start: no crawl record: %s", spider.name, reason)
            if self.db is not None:
                self.db.close()
                self.db = None
            raise CloseSpider("no crawl record") from exc
        self.started = time.monotonic()

    def stop(self, why: str) -> None:
        """Stop the crawl at once (a failed write): one logged error, the reason kept for the record."""
        if self.crawler.stats.get_value(STOP_STAT):
            return
        self.crawler.stats.set_value(STOP_STAT, why)
        logger.error("%s: crawl stopped: %s", self.crawler.spider.name, why)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="stopped"))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.run_id is None:
            return
        if hasattr(spider, "report_unanswered"):
            spider.report_unanswered()
        stats = self.crawler.stats.get_stats()
        counts = {key: stats.get(f"newsmon/{key}", 0) for key in runs.COUNTERS}
        counts["requests"] = stats.get("downloader/request_count", 0)
        counts["bytes"] = stats.get("downloader/response_bytes", 0)
        prefix = "downloader/response_status_count/"
        responses = {key[len(prefix):]: value for key, value in stats.items() if key.startswith(prefix)}
        outcome, message = self.outcome(stats, reason)
        try:
            runs.finish_run(self.db, self.run_id, outcome, counts, responses, time.monotonic() - self.started,
                            message)
            runs.record_extraction(self.db, self.run_id, *extraction_counts(stats))
        except (sqlite3.Error, OSError) as exc:  # the record stays 'running'; `newsmon crawl` prints the reason
            why = describe(exc, self.path)
            self.crawler.stats.set_value(STOP_STAT, message if message == why else
                                         f"{message or outcome}; the crawl record could not be closed: {why}")
        finally:
            self.db.close()

    @staticmethod
    def outcome(stats: dict[str, Any], reason: str) -> tuple[str, str | None]:
        """ok when discovery worked and the crawl finished; failed otherwise, with why."""
        if reason == "closespider_timeout":
            return "failed", "stopped at its time limit (--time-limit / [scheduler] crawl_timeout)"
        if stats.get(STOP_STAT):
            return "failed", stats[STOP_STAT]
        if reason != "finished":
            return "failed", f"crawl closed: {reason}"
        if stats.get("newsmon/rss_failed") and stats.get("newsmon/listing_failed"):
            return "failed", "neither the RSS feed nor the news listing could be fetched"
        return "ok", None

    def item_dropped(self, item: Any, response: Any, exception: Exception, spider: Any) -> None:
        self.crawler.stats.inc_value("newsmon/dropped")
        self.event("dropped", getattr(item, "url", None), str(exception))

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        if disk_full(failure.value):
            self.stop(describe(failure.value, self.path))
            return
        self.crawler.stats.inc_value("newsmon/errors")
        logger.error("error storing %s: %s", getattr(item, "url", None), failure.value)
        self.event("error", getattr(item, "url", None), repr(failure.value))

    def article_error(self, url: str, reason: str) -> None:
        self.event("error", url, reason)

    def article_flagged(self, url: str, kind: str, reason: str) -> None:
        self.event(kind, url, reason)

    def event(self, kind: str, url: str | None, reason: str) -> None:
        """Record one counted event; a full disk stops the crawl instead of failing on every event."""
        if self.db is None or self.crawler.stats.get_value(STOP_STAT):
            return
        try:
            runs.add_event(self.db, self.run_id, kind, url, reason)
        except (sqlite3.Error, OSError) as exc:
            if not disk_full(exc):
                raise
            self.stop(describe(exc, self.path))


def extraction_counts(stats: dict[str, Any]) -> tuple[int, dict[str, dict[str, int]]]:
    """(fallbacks, {field: {extractor: count}}) from the crawl's stats."""
    fallbacks = sum(v for k, v in stats.items() if k.startswith("newsmon/fallback/"))
    extractors: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith("newsmon/extractor/"):
            field_name, name = key[len("newsmon/extractor/"):].split("/", 1)
            extractors.setdefault(field_name, {})[name] = value
        elif key.startswith("newsmon/selector_miss/"):
            extractors.setdefault("selector_misses", {})[key[len("newsmon/selector_miss/"):]] = value
    return fallbacks, extractors


class Progress:
    """A one-line progress display on stderr while crawling in a terminal."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        if not crawler.settings.getbool("NEWSMON_PROGRESS") or not sys.stderr.isatty():
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.tick, scrapy_signals.response_received)
        crawler.signals.connect(ext.done, scrapy_signals.spider_closed)
        return ext

    def tick(self, **_: Any) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        stats = self.crawler.stats
        done = sum(stats.get_value(f"newsmon/{k}", 0) for k in ("new", "changed", "unchanged", "errors", "dropped"))
        sys.stderr.write(f"\r{self.crawler.spider.name}: {done} articles, "
                         f"{stats.get_value('downloader/request_count', 0)} requests ")
        sys.stderr.flush()

    def done(self, spider: Any) -> None:
        sys.stderr.write("\r" + " " * 60 + "\r")
        sys.stderr.flush()
