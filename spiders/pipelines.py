"""Item pipelines, in ITEM_PIPELINES order: validate -> normalise -> diff+archive.

Each article ends as new, changed, unchanged or error (dropped, with a logged, counted reason).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from monitor import config as config_mod
from spiders.items import Article
from storage import archive
from storage.db import connect
from storage.diff import fingerprint, normalise_line, normalise_text
from storage.runs import alert_horizon, has_baseline

logger = logging.getLogger(__name__)


class ValidatePipeline:
    """Drop what would put garbage in the archive: no title, no body. A 304 passes untouched."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        if item.fetch == "not_modified":
            return item
        if not (item.title or "").strip():
            raise DropItem(f"no title: {item.url}")
        if not (item.body or "").strip():
            raise DropItem(f"empty body: {item.url}")
        return item


class NormalisePipeline:
    """Fold page noise (NBSP, whitespace) out of the text and fingerprint what makes the content."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalisePipeline:
        return cls()

    def process_item(self, item: Article) -> Article:
        if item.fetch == "not_modified":
            return item
        item.title = normalise_line(item.title)
        item.body = normalise_text(item.body)
        item.summary = normalise_line(item.summary) or None
        item.section_name = normalise_line(item.section_name) or None
        for image in item.images:
            image.caption = normalise_line(image.caption)
        item.fingerprint = fingerprint(item.title, item.body, item.published)
        return item


class ArchivePipeline:
    """Diff against the archive and store: one transaction per article, with its topics and alerts."""

    def __init__(self, crawler: Any, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.db: Any = None
        self.on_stored: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        db_path = crawler.settings.get("NEWSMON_DB_PATH")
        if not db_path:
            raise NotConfigured("NEWSMON_DB_PATH is empty")
        return cls(crawler, db_path)

    def open_spider(self) -> None:
        from monitor.alerts import make_on_stored

        spider = self.crawler.spider
        self.db = connect(self.db_path)
        config = config_mod.load(self.crawler.settings.get("NEWSMON_CONFIG_PATH") or None)
        backlog = self.crawler.settings.getbool("NEWSMON_ALERT_BACKLOG")
        alerts_enabled = backlog or has_baseline(self.db, spider.name)
        if not alerts_enabled:
            logger.info("%s: first crawl of this source: it sets the baseline and sends no alerts", spider.name)
        not_before = None if backlog else alert_horizon(self.db, spider.name)
        self.on_stored = make_on_stored(config, alerts_enabled=alerts_enabled, not_before=not_before)

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()

    def process_item(self, item: Article) -> Article:
        stats = self.crawler.stats
        if item.fetch == "not_modified":
            stored = archive.mark_not_modified(self.db, item.url)
            if stored is None:
                raise DropItem(f"304 for an article the archive does not hold: {item.url}")
        else:
            stored = archive.store(self.db, item, on_stored=self.on_stored)
            for field_name, source in (("title", item.title_source), ("body", item.body_source),
                                       ("date", item.date_source)):
                stats.inc_value(f"newsmon/extractor/{field_name}/{source}")
            if "no_date" in item.flags:
                stats.inc_value("newsmon/flagged")
        stats.inc_value(f"newsmon/{stored.status}")
        logger.info("%s: %s", stored.status, item.url)
        return item
