"""Polite, synchronous fetching for the commands that look at a site before it is a source: robots.txt first,
a delay between requests (or the site's Crawl-delay when longer), a timeout and the configured user agent.

Plain urllib rather than Scrapy: a command makes a dozen requests in sequence and prints, so a reactor
would buy nothing; the politeness rules are the crawl's own ([crawl] obey_robots, timeout, user_agent).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from spiders import __version__

DEFAULT_AGENT = f"newsmon/{__version__} (university news monitor)"  # the crawl's own


class FetchFailed(Exception):
    """A page could not be fetched; the message is one line saying why."""


class RobotsRefused(FetchFailed):
    """robots.txt forbids the URL to our user agent."""


@dataclass(frozen=True)
class Page:
    """One fetched page: its final URL, bytes and Content-Type."""

    url: str
    body: bytes
    content_type: str

    @property
    def is_html(self) -> bool:
        kind = self.content_type.split(";")[0].strip().lower()
        if kind:
            return kind in ("text/html", "application/xhtml+xml")
        return self.body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html"))

    @property
    def charset(self) -> str | None:
        if "charset=" not in self.content_type:
            return None
        return self.content_type.split("charset=", 1)[1].split(";")[0].strip() or None


@dataclass
class PoliteFetcher:
    """Sequential GETs with robots.txt, a per-request delay and a request count (robots.txt included)."""

    user_agent: str = ""
    timeout: float = 30.0
    delay: float = 1.0
    obey_robots: bool = True
    requests: int = 0
    log: list[str] = field(default_factory=list)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: float = 0.0

    @property
    def agent(self) -> str:
        return self.user_agent or DEFAULT_AGENT

    def get(self, url: str) -> Page:
        """The page at `url`; FetchFailed (or RobotsRefused) with a one-line reason otherwise."""
        if self.obey_robots and not self.allowed(url):
            raise RobotsRefused(f"{url}: the site's robots.txt forbids it to {self.agent}")
        return self._get(url)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        robots = self._robots[origin]
        return robots is None or robots.can_fetch(self.agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The origin's robots rules; None (everything allowed) when it has no robots.txt or it fails."""
        try:
            page = self._get(origin + "/robots.txt")
        except FetchFailed:
            return None
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(page.body.decode("utf-8", "replace").splitlines())
        crawl_delay = robots.crawl_delay(self.agent)
        if crawl_delay:
            self.delay = max(self.delay, float(crawl_delay))
        return robots

    def _get(self, url: str) -> Page:
        wait = self._last + self.delay - time.monotonic()
        if self.requests and wait > 0:
            time.sleep(wait)
        self.requests += 1
        self.log.append(url)
        request = urllib.request.Request(url, headers={"User-Agent": self.agent, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return Page(response.geturl(), response.read(), response.headers.get("Content-Type") or "")
        except urllib.error.HTTPError as exc:
            raise FetchFailed(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise FetchFailed(f"cannot fetch {url}: {exc.reason}; check the URL and the network") from None
        except (TimeoutError, OSError, ValueError) as exc:
            raise FetchFailed(f"cannot fetch {url}: {exc or type(exc).__name__}") from None
        finally:
            self._last = time.monotonic()
