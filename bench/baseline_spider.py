"""The crawl baseline: a bare Scrapy spider that fetches a given list of URLs and does nothing else.

Same Scrapy, same concurrency, no delay, no parsing, no pipelines, no archive: the ceiling a crawler on
this machine and this replay can reach. Prints one JSON line with what it fetched.
Run: .venv/bin/python -m bench.baseline_spider URLS_FILE [--concurrency 8] [--timeout 30]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess


class BareSpider(scrapy.Spider):
    """Requests every URL of the list once; the callback only counts the response."""

    name = "bare"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.responses = 0
        self.bytes = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> None:
        self.responses += 1
        self.bytes += len(response.body)

    def failed(self, failure: Any) -> None:
        self.logger.warning("baseline request failed: %s", failure.value)


def settings(concurrency: int, timeout: float) -> dict[str, Any]:
    """Scrapy's defaults with newsmon's transport settings; everything that costs time beyond fetching is off."""
    return {
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False, "DOWNLOAD_TIMEOUT": timeout,
        "RETRY_ENABLED": False, "LOG_LEVEL": "WARNING", "HTTPERROR_ALLOW_ALL": True,
        "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024, "USER_AGENT": "newsmon-bench-baseline",
    }


def run(urls: list[str], concurrency: int = 8, timeout: float = 30) -> dict[str, Any]:
    """Fetch every URL; returns responses, bytes and the seconds from spider open to close."""
    process = CrawlerProcess(settings(concurrency, timeout), install_root_handler=True)
    crawler = process.create_crawler(BareSpider)
    started = time.perf_counter()
    process.crawl(crawler, urls=urls)
    process.start()
    spider = crawler.spider
    return {"urls": len(urls), "responses": spider.responses, "bytes": spider.bytes,
            "elapsed_s": round(time.perf_counter() - started, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls_file", type=Path, help="one URL a line")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    urls = [line.strip() for line in args.urls_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(json.dumps(run(urls, args.concurrency, args.timeout)))


if __name__ == "__main__":
    main()
