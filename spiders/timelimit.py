"""A source's time limit that holds inside a batch: Scrapy's CloseSpider (CLOSESPIDER_TIMEOUT, one timer
per crawler) starts closing the spider, but the close waits for requests in flight, and a hung host
would have them retried, and a request held back waiting for robots.txt would still go out. This
downloader middleware, once the spider is closing, sends nothing more and retries nothing, so a hung
source ends within its limit plus one DOWNLOAD_TIMEOUT while the other spiders of the batch go on."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request


class NoRetryWhenClosing:
    """Once the spider is closing: no new download, and a failed one is marked `dont_retry`."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> NoRetryWhenClosing:
        if not crawler.settings.getfloat("CLOSESPIDER_TIMEOUT"):
            raise NotConfigured
        return cls(crawler)

    def closing(self) -> bool:
        return closing(self.crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if self.closing():
            raise IgnoreRequest("not sent: the source's time limit was reached")
        return None

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        if self.closing():
            request.meta["dont_retry"] = True
        return None

    def process_response(self, request: Request, response: Any, spider: Any = None) -> Any:
        if self.closing():
            request.meta["dont_retry"] = True
        return response


def closing(crawler: Any) -> bool:
    """Whether the crawler's spider has begun closing (a request yielded now may never be sent)."""
    try:
        engine = crawler.engine
    except RuntimeError:  # the crawl has not started (Scrapy sets the engine when it does)
        return False
    slot = getattr(engine, "_slot", None)  # Scrapy keeps the closing state on its engine slot
    return slot is not None and getattr(slot, "closing", None) is not None
