"""A configured news source as one value: where its news lives, and the site profile that reads it.

Built from a `[sources.NAME]` table (monitor/config.py has checked it). URLs are configuration: a
built-in profile gives paths below `base_url`, never hosts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from spiders.profile import GENERIC, Selectors, SiteProfile


@dataclass(frozen=True)
class Source:
    """One news section to crawl: name, URLs, language, its profile and selector overrides."""

    name: str
    base_url: str
    listing_urls: tuple[str, ...]
    feed_url: str | None  # None: no feed
    autodiscover_feed: bool  # find the feed on the first listing page
    article_pattern: re.Pattern[str] | None  # None: learned from the listing
    lang: str  # "" = detect per article
    profile: SiteProfile = GENERIC
    selectors: Selectors = field(default_factory=Selectors)
    download_delay: float = 1.0
    concurrency: int = 2

    @property
    def host(self) -> str:
        return (urlsplit(self.base_url).hostname or "").lower()

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/")

    def is_article(self, url: str) -> bool:
        """Whether `url` looks like one of this source's articles (its host, base path and pattern)."""
        parts = urlsplit(url)
        if (parts.hostname or "").lower() != self.host or not parts.path.startswith(self.base_path):
            return False
        pattern = self.article_pattern or (self.profile.article_path if self.profile.has_parsers else None)
        return pattern is None or bool(pattern.search(parts.path))


def from_config(name: str, table: dict[str, Any]) -> Source:
    """The Source of a checked `[sources.NAME]` table."""
    from spiders.sites import profile as builtin_profile

    site = builtin_profile(table.get("profile", ""))
    base = table["base_url"].rstrip("/")
    listings = tuple(table.get("listing_urls") or (base + (site.listing_path or "/"),))
    feed = table.get("feed_url", "")
    if feed == "none":
        feed_url, discover = None, False
    elif feed:
        feed_url, discover = feed, False
    elif site.feed_path:
        feed_url, discover = base + site.feed_path, False
    else:
        feed_url, discover = None, True
    sel = table.get("selectors") or {}
    selectors = Selectors(title=sel.get("title", ""), body=sel.get("body", ""), date=sel.get("date", ""),
                          next_page=sel.get("next_page", ""), drop=tuple(sel.get("drop", ())))
    pattern = re.compile(table["article_pattern"]) if table.get("article_pattern") else None
    return Source(name=name, base_url=base, listing_urls=listings, feed_url=feed_url, autodiscover_feed=discover,
                  article_pattern=pattern, lang=table.get("lang", ""), profile=site, selectors=selectors,
                  download_delay=float(table.get("download_delay", 1.0)),
                  concurrency=int(table.get("concurrency", 2)))
