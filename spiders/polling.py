"""Idle polls at the minimum: two downloader middlewares.

`ConditionalDiscovery` asks a source's feed and first listing page conditionally (If-None-Match /
If-Modified-Since from the last finished crawl) and hashes what comes back, so a site without validators
is caught unchanged too; the spider reads `response.meta["unchanged"]` and ends the poll. Validators are
saved only when the crawl finished, so a killed crawl never hides what it did not archive.

`RobotsCache` keeps each origin's robots.txt in the archive for its lifetime (RFC 9309: at most 24 h,
shorter when Cache-Control says so), so crawl processes after the first do not fetch it again.
Scrapy's own RobotsTxtMiddleware still parses and obeys it; this only answers its request.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals as scrapy_signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from storage.db import connect
from storage.validators import Validators, cached_robots, load_validators, save_robots, save_validators

logger = logging.getLogger(__name__)
ROBOTS_MAX_AGE = 24 * 3600.0  # RFC 9309 2.4: crawlers SHOULD NOT use a cached robots.txt for more than 24 h
_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def conditional_headers(old: Validators) -> dict[bytes, str]:
    """If-None-Match / If-Modified-Since from what the last finished crawl saw of a URL."""
    headers = {}
    if old.etag:
        headers[b"If-None-Match"] = old.etag
    if old.last_modified:
        headers[b"If-Modified-Since"] = old.last_modified
    return headers


def observed(url: str, old: Validators | None, response: Response) -> tuple[Validators | None, bool]:
    """What an answer for a poll URL says: the validators to keep (None when it gives none: an error) and
    whether nothing changed since `old` (a 304, or the same body's hash when the site sends no validators)."""
    if response.status == 304 and old is not None:
        return old, True
    if response.status == 200:
        digest = hashlib.sha256(response.body).hexdigest()
        seen = Validators(url, _header(response, b"ETag"), _header(response, b"Last-Modified"), digest)
        return seen, old is not None and old.content_hash == digest
    return None, False


class ConditionalDiscovery:
    """Conditional GET and a content hash for requests whose meta has `poll` = "ask" | "record"."""

    def __init__(self, crawler: Any, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.stored: dict[str, Validators] = {}
        self.seen: dict[str, Validators] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalDiscovery:
        db_path = crawler.settings.get("NEWSMON_DB_PATH")
        if not db_path or not crawler.settings.getbool("NEWSMON_CONDITIONAL_POLLS"):
            raise NotConfigured
        mw = cls(crawler, db_path)
        crawler.signals.connect(mw.spider_opened, scrapy_signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, scrapy_signals.spider_closed)
        return mw

    def spider_opened(self, spider: Any) -> None:
        db = connect(self.db_path)
        try:
            self.stored = load_validators(db, spider.name)
        finally:
            db.close()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if reason != "finished" or not self.seen:
            return
        db = connect(self.db_path)
        try:
            save_validators(db, spider.name, list(self.seen.values()))
        finally:
            db.close()

    def process_request(self, request: Request, spider: Any = None) -> None:
        old = self.stored.get(request.url)
        if request.meta.get("poll") != "ask" or old is None:
            return None
        for name, value in conditional_headers(old).items():
            if name not in request.headers:
                request.headers[name] = value
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        mode = request.meta.get("poll")
        if not mode:
            return response
        seen, same = observed(request.url, self.stored.get(request.url), response)
        if seen is not None:
            self.seen[request.url] = seen
            request.meta["unchanged"] = mode == "ask" and same
        if request.meta.get("unchanged"):
            self.crawler.stats.inc_value("newsmon/poll_unchanged")
        return response


class RobotsCache:
    """Answers Scrapy's robots.txt requests from the archive while the cached copy is fresh."""

    def __init__(self, crawler: Any, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsCache:
        db_path = crawler.settings.get("NEWSMON_DB_PATH")
        if not db_path or not crawler.settings.getbool("ROBOTSTXT_OBEY") \
                or not crawler.settings.getbool("NEWSMON_ROBOTS_CACHE"):
            raise NotConfigured
        return cls(crawler, db_path)

    @staticmethod
    def is_robots(request: Request) -> bool:
        return bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(request.url).path == "/robots.txt"

    @staticmethod
    def origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    def process_request(self, request: Request, spider: Any = None) -> Response | None:
        if not self.is_robots(request):
            return None
        db = connect(self.db_path)
        try:
            row = cached_robots(db, self.origin(request.url), time.time())
        finally:
            db.close()
        if row is None:
            return None
        self.crawler.stats.inc_value("newsmon/robots_cached")
        headers = {"Content-Type": row["content_type"]} if row["content_type"] else {}
        return Response(request.url, status=row["status"], body=row["body"], headers=headers, request=request,
                        flags=["cached"])

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if not self.is_robots(request) or "cached" in response.flags or response.status >= 500:
            return response  # 5xx: "unreachable", RFC 9309 2.3.1.4; asked again next time
        now = time.time()
        db = connect(self.db_path)
        try:
            save_robots(db, self.origin(request.url), response.status, response.body,
                        _header(response, b"Content-Type"), now, now + lifetime(response))
        finally:
            db.close()
        return response


def lifetime(response: Response) -> float:
    """How long a robots.txt may be reused: its Cache-Control max-age, capped at 24 h; 24 h without one."""
    match = _MAX_AGE.search(_header(response, b"Cache-Control") or "")
    if match:
        return min(float(match.group(1)), ROBOTS_MAX_AGE)
    return ROBOTS_MAX_AGE
