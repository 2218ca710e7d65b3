"""The news spider: one spider for every source. Discovery newest-first (the feed, then the listing
pages by the pager's own links), then article pages. It only selects: every decision about storing
is the pipelines'. The source (a value from the config, with its site profile) says where to look
and how to read; `spiders.reading` reads pages field by field.

Incremental crawls ask the archive once, at start, which URLs it holds: paging stops at the first
listing page with nothing new and known articles are not requested. `full` crawls walk every page
and re-fetch every article with conditional GET (a 304 is `unchanged`).

    scrapy crawl news -a source=NAME [-a full=1]
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy import signals as scrapy_signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from monitor.analysis import TopicRules, crawl_topics
from spiders import reading, signals
from spiders.items import Article
from spiders.parsing import pool
from spiders.parsing.article import ArticleFields
from spiders.parsing.listing import Card
from spiders.parsing.rss import RssEntry
from spiders.parsing.urls import canonical
from spiders.source import from_config
from spiders.timelimit import closing
from storage.db import connect
from storage.runs import known_urls, previous_crawl_complete, retry_candidates

logger = logging.getLogger(__name__)


class NewsSpider(scrapy.Spider):
    """Crawls the source named by `-a source=NAME`; the spider instance takes the source's name, so
    crawl records, stats and logs speak of the source."""

    name = "news"

    def __init__(self, *args: Any, source: str = "", full: bool | str = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source_arg = source
        self.full_arg = str(full).lower() in {"1", "true", "yes"} if isinstance(full, str) else bool(full)
        self.known: dict[str, dict[str, str | None]] = {}
        self.feed: dict[str, RssEntry] = {}
        self.listed: set[str] = set()
        self.requested: set[str] = set()  # article URLs requested in this crawl
        self.pending: set[str] = set()  # ... and not yet answered
        self.walk_all = False  # page through every listing page (full crawl, or the last crawl did not finish)
        self.feed_requested = False
        self.reader: reading.Reader | None = None
        self.parsers = pool.shared(0)  # article pages parsed in this process unless from_crawler says otherwise
        self.topics: TopicRules | None = None  # what a worker matches the pages it reads against
        # Scrapy inspects a callback's source once per callable object (a weak-keyed cache), and a bound
        # method is a new object on every access: bind the callbacks once, or every response pays for it.
        for callback in ("parse_feed", "parse_listing", "parse_feed_only", "parse_article", "parse_print"):
            setattr(self, callback, getattr(self, callback))

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        sources = crawler.settings.getdict("NEWSMON_SOURCES")
        if spider.source_arg not in sources:
            known = ", ".join(sorted(sources))
            raise CloseSpider(f"unknown source {spider.source_arg!r}: give -a source=NAME, one of {known}")
        spider.source = from_config(spider.source_arg, sources[spider.source_arg])
        spider.name = spider.source.name
        if not crawler.settings.frozen:  # politeness per source (settings are writable until the crawl starts)
            crawler.settings.set("DOWNLOAD_DELAY", spider.source.download_delay, priority="spider")
            crawler.settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", spider.source.concurrency, priority="spider")
            crawler.settings.set("CONCURRENT_REQUESTS", min(spider.source.concurrency,
                                                           crawler.settings.getint("CONCURRENT_REQUESTS")),
                                 priority="spider")
        spider.allowed_domains = [spider.source.host]
        spider.full = spider.full_arg or crawler.settings.getbool("NEWSMON_FULL")
        spider.parsers = pool.shared(crawler.settings.getint("NEWSMON_PARSE_PROCESSES"))
        if spider.parsers.processes and spider.source.profile.has_parsers:
            spider.topics = crawl_topics(crawler.settings)  # pages read in a worker are analysed there too
            if spider.full:  # every article page is read again: start the workers while the crawl starts
                spider.parsers.warm()
        crawler.signals.connect(spider.request_scheduled, scrapy_signals.request_scheduled)
        crawler.signals.connect(spider.request_dropped, scrapy_signals.request_dropped)
        return spider

    @property
    def mode(self) -> str:
        return "full" if self.full else "incremental"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        db = connect(self.settings.get("NEWSMON_DB_PATH"))
        try:
            self.known = known_urls(db, self.name)
            self.walk_all = self.full or not previous_crawl_complete(db, self.name)
            retries = [url for url in retry_candidates(db, self.name) if self.source.is_article(url)]
            self.reader = reading.Reader.open(db, self.source)
        finally:
            db.close()
        logger.info("%s: %s crawl, %d archived articles, %d to retry%s", self.name, self.mode, len(self.known),
                    len(retries), "" if not self.walk_all or self.full else
                    "; the last crawl did not finish, so every listing page is walked")
        if self.source.feed_url:
            self.feed_requested = True
            yield scrapy.Request(self.source.feed_url, callback=self.parse_feed,
                                 errback=self.discovery_failed, dont_filter=True, priority=30,
                                 meta={"poll": self.poll_mode, "handle_httpstatus_list": [304]})
        else:
            for request in self.first_listings():
                yield request
        for url in retries:
            for request in self.article_request(url, priority=1):
                yield request

    @property
    def poll_mode(self) -> str:
        """Discovery pages are asked conditionally ("ask") unless every listing page must be walked."""
        return "record" if self.walk_all else "ask"

    def idle(self, response: Response) -> bool:
        """The feed or first listing page is as the last finished crawl left it: the poll ends here."""
        meta = response.request.meta if response.request is not None else {}  # offline tests: no request
        if meta.get("unchanged") and not self.walk_all:
            logger.info("%s: %s unchanged since the last crawl: nothing to do", self.name, response.url)
            return True
        return response.status == 304  # asked conditionally by someone else: nothing to read

    def first_listings(self) -> Iterator[scrapy.Request]:
        for url in self.source.listing_urls:
            yield self.listing_request(url, first=True)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        if self.idle(response):
            return
        for entry in reading.feed_entries(response, self.source):
            url = canonical(entry.url)
            if not url or not self.source.is_article(url):
                continue
            self.feed[url] = entry
            yield from self.article_request(url, priority=20)
        yield from self.first_listings()

    def listing_request(self, url: str, first: bool = False) -> scrapy.Request:
        meta: dict[str, Any] = {"first_listing": first}
        if first:
            meta.update(poll=self.poll_mode, handle_httpstatus_list=[304])
        return scrapy.Request(url, callback=self.parse_listing, errback=self.discovery_failed, priority=10,
                              meta=meta)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if self.idle(response):
            return
        page = reading.listing(response, self.source, self.reader,
                               () if response.meta.get("first_listing") else self.listed)
        if response.meta.get("first_listing") and self.source.autodiscover_feed and not self.feed_requested:
            self.feed_requested = True
            if page.feed_url:
                yield scrapy.Request(page.feed_url, callback=self.parse_feed_only, errback=self.feed_failed,
                                     dont_filter=True, priority=30)
        cards = [(canonical(card.url), card) for card in page.cards]
        for url, _ in cards:
            if url not in self.listed:
                self.listed.add(url)
                self.crawler.stats.inc_value("newsmon/listed")
        # The next page first: Scrapy takes a callback's requests as it goes on (between other responses),
        # and the walk, one page after another, is what a full crawl's pace depends on.
        if page.next_url and (self.walk_all or any(url not in self.known for url, _ in cards)):
            yield self.listing_request(page.next_url)
        elif page.next_url:
            logger.info("%s: stop paging at %s: nothing new on it", self.name, response.url)
        for url, card in cards:
            yield from self.article_request(url, card=card, priority=5)

    def parse_feed_only(self, response: Response) -> Iterator[scrapy.Request]:
        """An autodiscovered feed: its entries only (the listing is already being read)."""
        for request in self.parse_feed(response):
            if request.callback != self.parse_listing:
                yield request

    def feed_failed(self, failure: Failure) -> None:
        logger.warning("%s: the autodiscovered feed %s failed: %s", self.name, failure.request.url,
                       describe_failure(failure))

    def article_request(self, url: str, card: Card | None = None, priority: int = 0) -> Iterator[scrapy.Request]:
        """Request an article unless the archive has it (incremental) or ask conditionally (full)."""
        known = self.known.get(url)
        if url in self.requested or (known is not None and not self.full):
            return
        headers = {}
        if known:
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
        self.requested.add(url)
        self.pending.add(url)
        if len(self.requested) == pool.WARM_AFTER and self.source.profile.has_parsers:
            self.parsers.warm()  # enough pages to pay for starting the workers (a few tenths of a CPU-second)
        yield scrapy.Request(url, callback=self.parse_article, errback=self.article_failed, headers=headers,
                             priority=priority,
                             meta={"card": card, "article_url": url, "handle_httpstatus_list": [304]})

    async def parse_article(self, response: Response) -> AsyncIterator[Article | scrapy.Request]:
        url = response.meta.get("article_url") or canonical(response.request.url)
        if response.status == 304:
            self.pending.discard(url)
            yield Article(url=url, source=self.name, lang=self.source.lang, fetch="not_modified")
            return
        parsed = None  # the profile's parser in a worker process (spiders.parsing.pool) when it can
        if self.source.profile.has_parsers and hasattr(response, "encoding") and await self.parsers.started():
            parsed = await self.parsers.parse(response.body, response.encoding, url, self.source.profile,
                                              self.topics)
            self.crawler.stats.inc_value("newsmon/parsed_in_workers", int(parsed is not None))
        self.pending.discard(url)
        read = reading.article(response, url, self.source, self.reader, parsed.fields if parsed else None)
        item = self.make_item(url, read, response)
        item.analysis = parsed.analysis if parsed and _as_parsed(item, parsed.fields) else None
        if item.published is None and read.print_url and not closing(self.crawler):
            yield response.follow(read.print_url, callback=self.parse_print, errback=self.print_failed,
                                  meta={"item": item, "card": response.meta.get("card")}, dont_filter=True)
            return
        yield self.date_fallback(item, response.meta.get("card"))

    def parse_print(self, response: Response) -> Article:
        item: Article = response.meta["item"]
        published = reading.print_date(response, self.source)
        if published:
            item.published, item.date_source = published, "profile"
        return self.date_fallback(item, response.meta.get("card"))

    def print_failed(self, failure: Failure) -> Article:
        request = failure.request
        return self.date_fallback(request.meta["item"], request.meta.get("card"))

    def make_item(self, url: str, read: reading.ReadArticle, response: Response) -> Article:
        lang = read.lang or ""  # the source's lang, else detected per article (spiders.reading)
        item = Article(
            url=url, source=self.name, lang=lang, section=read.section, section_name=read.section_name,
            title=read.title, body=read.body, published=read.published, images=read.images,
            date_source=read.extractors.get("date", "none") if read.published else "none",
            title_source=read.extractors.get("title", "none"), body_source=read.extractors.get("body", "none"),
            flags=list(read.problems), etag=header(response, b"ETag"),
            last_modified=header(response, b"Last-Modified"),
        )
        for field_name in read.fallbacks:
            self.crawler.stats.inc_value(f"newsmon/fallback/{field_name}")
        for miss in read.selector_misses:
            self.crawler.stats.inc_value(f"newsmon/selector_miss/{miss}")
        entry = self.feed.get(url)
        if entry is not None:
            item.summary = entry.summary
            if entry.published and item.published and entry.published[:10] != item.published[:10]:
                self.flag(url, "date_conflict", f"article page says {item.published}, the feed says {entry.published}")
            elif entry.published and item.published and len(item.published) <= 10:
                item.published = entry.published  # the feed's time of day for the page's date
        return item

    def date_fallback(self, item: Article, card: Card | None) -> Article:
        """No date on the page: take the feed or listing date; with none, keep the article but flag it."""
        if item.published:
            return item
        entry = self.feed.get(item.url)
        if entry is not None and entry.published:
            item.published, item.date_source = entry.published, "feed"
        elif card is not None and card.published:
            item.published, item.date_source = card.published, "listing"
        else:
            item.flags.append("no_date")
            self.flag(item.url, "no_date", "no parseable date on the page, the feed or the listing")
            return item
        logger.info("%s: %s has no date on its page; took the %s date", self.name, item.url, item.date_source)
        return item

    def closed(self, reason: str) -> None:
        """Keep what this crawl learned of the source's chrome for the next one."""
        if self.reader is None or not self.reader.learned_pages:
            return
        db = connect(self.settings.get("NEWSMON_DB_PATH"))
        try:
            self.reader.save(db)
        except Exception as exc:  # noqa: BLE001 - losing a model costs relearning, never the crawl
            logger.warning("%s: could not save the learned boilerplate: %s", self.name, exc)
        finally:
            db.close()

    def flag(self, url: str, kind: str, reason: str) -> None:
        logger.warning("%s: %s: %s", kind, url, reason)
        self.crawler.stats.inc_value(f"newsmon/{kind}")
        self.crawler.signals.send_catch_log(signals.article_flagged, url=url, kind=kind, reason=reason)

    def article_failed(self, failure: Failure) -> None:
        url = failure.request.meta.get("article_url", failure.request.url)
        self.pending.discard(url)
        if is_robots_refusal(failure):
            self.skip(url, "forbidden by robots.txt")
            return
        self.error(url, describe_failure(failure))

    def error(self, url: str, reason: str) -> None:
        logger.error("error: %s: %s", url, reason)
        self.crawler.stats.inc_value("newsmon/errors")
        self.crawler.signals.send_catch_log(signals.article_error, url=url, reason=reason)

    def skip(self, url: str, reason: str) -> None:
        """Not fetched by policy (robots.txt, a redirect off the source's host): counted, not an error."""
        logger.warning("skipped: %s: %s", url, reason)
        self.crawler.stats.inc_value("newsmon/skipped")
        self.crawler.signals.send_catch_log(signals.article_flagged, url=url, kind="skipped", reason=reason)

    def request_scheduled(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """A redirect of an article off the source's hosts is never followed; say so instead of losing it."""
        url = request.meta.get("article_url")
        if url in self.pending and request.meta.get("redirect_urls"):
            host = urlparse(request.url).hostname
            if host not in self.allowed_domains:
                self.pending.discard(url)
                self.skip(url, f"redirected to another host, not followed: {request.url}")

    def request_dropped(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """The scheduler drops a redirect to a URL already requested: a redirect loop."""
        url = request.meta.get("article_url")
        if url in self.pending and request.meta.get("redirect_urls"):
            self.pending.discard(url)
            self.error(url, f"redirect loop via {request.url}")

    def report_unanswered(self) -> None:
        """At close: an article requested but never answered was lost somewhere; count it, never silently."""
        for url in sorted(self.pending):
            self.error(url, "no response (lost between redirects)")
        self.pending.clear()

    def discovery_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """The RSS feed or a listing page failed: an error; without both feed and first page, a failed crawl."""
        url = failure.request.url
        self.error(url, describe_failure(failure))
        if url == self.source.feed_url:
            self.crawler.stats.set_value("newsmon/rss_failed", 1)
            yield from self.first_listings()
        elif url == self.source.listing_urls[0]:
            self.crawler.stats.set_value("newsmon/listing_failed", 1)


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def is_robots_refusal(failure: Failure) -> bool:
    from scrapy.exceptions import IgnoreRequest

    return isinstance(failure.value, IgnoreRequest) and "robots.txt" in str(failure.value)


def describe_failure(failure: Failure) -> str:
    """A one-line reason: HTTP status, timeout, offsite redirect, size limit..."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    exc = failure.value
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        return f"not followed: {exc}" if str(exc) else "not followed (offsite redirect, robots.txt or size limit)"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


def _as_parsed(item: Article, fields: ArticleFields) -> bool:
    """The item holds the very texts a worker read and analysed: no other extractor's, no edit since (the
    NormalisePipeline then takes their normalised forms from the analysis)."""
    return (item.title is fields.title and item.body is fields.body and item.section_name is fields.section_name
            and item.section == fields.section)
