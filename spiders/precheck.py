"""The idle pre-check of a batch: one conditional GET per source, every source of the batch in ONE crawler.

A crawler per source costs more to build than its idle poll (engine, downloader, middleware chains,
settings copy: ~35 ms a source against ~5 ms for the request). So a batch first asks each eligible
source's poll URL (its feed, or its only listing page) conditionally, exactly as the news spider would
(same validators, same content hash, robots.txt obeyed through the same middlewares), and only the
sources whose answer is not "unchanged" get a crawler of their own. The spider only asks and reports:
what an answer means for the archive is the caller's (`on_idle`, `on_changed`).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy import signals as scrapy_signals
from scrapy.downloadermiddlewares.stats import get_header_size, get_status_size
from scrapy.http import Response
from twisted.python.failure import Failure

from spiders.polling import conditional_headers, observed
from storage.validators import Validators


@dataclass
class Poll:
    """One source's conditional GET and, once answered, what came back."""

    source: str
    old: Validators  # what the source's last finished crawl saw of its poll URL
    started: float = field(default_factory=time.monotonic)
    status: int = 0
    bytes: int = 0
    seen: Validators | None = None  # validators to keep when the answer is "unchanged"

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


def response_size(response: Response) -> int:
    """Bytes as Scrapy's DownloaderStats counts them, so a pre-checked poll's record reads like a crawl's."""
    return len(response.body) + get_header_size(response.headers) + get_status_size(response.status) + 4


class PrecheckSpider(scrapy.Spider):
    """Asks every poll of the batch once; calls `on_idle(poll)` or `on_changed(source, poll)` per source."""

    name = "precheck"
    custom_settings = {  # robots.txt from the archive as in every crawl; nothing stored, no crawl record
        "DOWNLOADER_MIDDLEWARES": {"spiders.polling.RobotsCache": 90},
        "EXTENSIONS": {}, "ITEM_PIPELINES": {},
    }

    def __init__(self, *args: Any, polls: list[Poll], on_idle: Callable[[Poll], None],
                 on_changed: Callable[[str, Poll | None], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.polls = {poll.source: poll for poll in polls}
        self.on_idle, self.on_changed = on_idle, on_changed
        self.answered = self.answered  # bound once (Scrapy inspects each callback object)
        self.failed = self.failed

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PrecheckSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.closed_early, scrapy_signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for poll in list(self.polls.values()):
            headers = conditional_headers(poll.old)
            poll.started = time.monotonic()
            # a slot per source, as each source's own crawler has; no retry here: the source's crawl retries
            yield scrapy.Request(poll.old.url, callback=self.answered, errback=self.failed, headers=headers,
                                 dont_filter=True, meta={"source": poll.source, "download_slot": poll.source,
                                                         "dont_retry": True, "handle_httpstatus_list": [304]})

    def stopping(self) -> bool:
        """Whether the process is shutting down (a graceful stop clears `crawling` before it closes the
        engine): an answer arriving then starts no crawl, which the reactor would cut off unrecorded."""
        return not self.crawler.crawling

    def answered(self, response: Response) -> None:
        if self.stopping():
            return
        poll = self.polls.pop(response.meta["source"], None)
        if poll is None:
            return
        poll.status, poll.bytes = response.status, response_size(response)
        seen, same = observed(poll.old.url, poll.old, response)
        poll.seen = seen if same else None
        if poll.seen is not None:
            self.on_idle(poll)
        else:
            self.on_changed(poll.source, poll)

    def failed(self, failure: Failure) -> None:
        if self.stopping():
            return
        poll = self.polls.pop(failure.request.meta["source"], None)
        if poll is not None:
            self.on_changed(poll.source, poll)

    def closed_early(self, spider: Any, reason: str) -> None:
        """Sources not answered when the pre-check closed (its time limit) get their own crawl, unless the
        process is shutting down."""
        if reason == "shutdown":
            return
        for source in list(self.polls):
            self.on_changed(source, self.polls.pop(source))
