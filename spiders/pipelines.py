"""Item pipelines, in ITEM_PIPELINES order: validate -> normalise -> diff+archive.

Each article ends as new, changed, unchanged or error (dropped, with a logged, counted reason).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
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
        analysis = item.analysis
        if analysis is not None:  # a worker normalised these very texts (spiders.news keeps it only then)
            item.title, item.body, item.section_name = analysis.title, analysis.body, analysis.section_name
        else:
            item.title = normalise_line(item.title)
            item.body = normalise_text(item.body)
            item.section_name = normalise_line(item.section_name) or None
        item.summary = normalise_line(item.summary) or None
        for image in item.images:
            image.caption = normalise_line(image.caption)
        item.fingerprint = fingerprint(item.title, item.body, item.published)
        return item


class ArchivePipeline:
    """Diff against the archive and store: one transaction per article, with its topics and alerts.

    Articles are stored one at a time, in the order they come, by one writer thread: SQLite does its work
    (index, commit) without the GIL, so the crawl downloads and parses meanwhile. An article whose text
    the spider's learned boilerplate may change is stored on the crawl's own thread, once the writer is
    idle: the model is the spider's and is read where it is written.
    """

    def __init__(self, crawler: Any, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.db: Any = None
        self.on_stored: Any = None
        self.writer: ThreadPoolExecutor | None = None
        self.in_flight: set[Future[Any]] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        db_path = crawler.settings.get("NEWSMON_DB_PATH")
        if not db_path:
            raise NotConfigured("NEWSMON_DB_PATH is empty")
        return cls(crawler, db_path)

    def open_spider(self) -> None:
        from monitor.alerts import make_on_stored
        from monitor.analysis import crawl_topics

        spider = self.crawler.spider
        self.started = archive.now_iso()
        self.db = connect(self.db_path)
        config = config_mod.load(self.crawler.settings.get("NEWSMON_CONFIG_PATH") or None)
        backlog = self.crawler.settings.getbool("NEWSMON_ALERT_BACKLOG")
        alerts_enabled = backlog or has_baseline(self.db, spider.name)
        if not alerts_enabled:
            logger.info("%s: first crawl of this source: it sets the baseline and sends no alerts", spider.name)
        not_before = None if backlog else alert_horizon(self.db, spider.name)
        self.on_stored = make_on_stored(config, alerts_enabled=alerts_enabled, not_before=not_before,
                                        topics=crawl_topics(self.crawler.settings).topics)  # the workers' too
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"archive-{spider.name}")

    def close_spider(self) -> None:
        if self.writer is not None:
            self.writer.shutdown(wait=True)  # every item has been awaited already: this only ends the thread
        if self.db is None:
            return
        try:
            self.clean_new_articles()
        finally:
            self.db.close()

    def chrome(self) -> Any:
        """The source's learned boilerplate, when the spider reads generically and has learned enough."""
        reader = getattr(self.crawler.spider, "reader", None)
        model = getattr(reader, "boilerplate", None)
        return model if model is not None and model.trusted else None

    def without_chrome(self, body: str) -> str:
        model = self.chrome()
        return normalise_text("\n\n".join(model.filter(body.split("\n\n")))) if model and body else body

    def clean_new_articles(self) -> None:
        """Articles first read before the source's boilerplate was learned lose the chrome it now knows."""
        if self.chrome() is None:
            return
        for row in archive.new_in_run(self.db, self.crawler.spider.name, self.started):
            self.clean(row)

    def clean(self, row: dict[str, Any]) -> str | None:
        """Take learned chrome out of a stored article in place; returns its new fingerprint, if it changed."""
        body = self.without_chrome(row["body"])
        if not body or body == row["body"]:
            return None
        new_fp = fingerprint(row["title"], body, row["published"])
        archive.clean_current(self.db, row["id"], body, new_fp)
        logger.info("article %s: learned chrome removed from its stored text", row["id"])
        return new_fp

    def reconcile(self, item: Article) -> None:
        """Chrome learned since an article was stored must not make it look changed."""
        if self.chrome() is None:
            return
        old = archive.current(self.db, item.url)
        if old is None or old["fingerprint"] == item.fingerprint:
            return
        if self.clean(old) == item.fingerprint:
            logger.info("%s: the stored text differed only by learned chrome", item.url)

    async def process_item(self, item: Article) -> Article:
        loop = _running_loop()
        if loop is None or self.writer is None or (item.fetch != "not_modified" and self.chrome() is not None):
            while self.in_flight:  # the connection is the writer's until it is idle
                await asyncio.wait([asyncio.wrap_future(f) for f in list(self.in_flight)])
            stored = self.store(item, reconcile=True)
        else:
            future = self.writer.submit(self.store, item, False)
            self.in_flight.add(future)
            # out of the set when the writer is done with it, even if this task is cancelled meanwhile
            future.add_done_callback(self.in_flight.discard)
            stored = await asyncio.wrap_future(future)
        if isinstance(item, Article):
            item.analysis = None  # archived: not part of the article for exports or later pipelines
        self.count(item, stored)
        return item

    def store(self, item: Article, reconcile: bool) -> archive.Stored:
        """Store one article (or its 304) in its own transaction; `reconcile`: learned chrome may apply."""
        if item.fetch == "not_modified":
            stored = archive.mark_not_modified(self.db, item.url)
            if stored is None:
                raise DropItem(f"304 for an article the archive does not hold: {item.url}")
            return stored
        if reconcile:
            self.reconcile(item)
        return archive.store(self.db, item, on_stored=self.on_stored)

    def count(self, item: Article, stored: archive.Stored) -> None:
        """The crawl's statistics, kept on the crawl's thread."""
        stats = self.crawler.stats
        if item.fetch != "not_modified":
            for field_name, source in (("title", item.title_source), ("body", item.body_source),
                                       ("date", item.date_source)):
                stats.inc_value(f"newsmon/extractor/{field_name}/{source}")
            if "no_date" in item.flags:
                stats.inc_value("newsmon/flagged")
        stats.inc_value(f"newsmon/{stored.status}")
        logger.info("%s: %s", stored.status, item.url)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The asyncio loop under Scrapy's reactor (None under another reactor: items are then stored in line)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
