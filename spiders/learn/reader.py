"""Reading fetched pages with the crawl's own code (`spiders.reading`), so a preview shows what a crawl archives."""

from __future__ import annotations

from typing import Any

from scrapy.http import HtmlResponse, TextResponse

from spiders import reading
from spiders.learn.fetch import Page
from spiders.source import Source

BODY_WORDS = 30


def response_of(page: Page) -> TextResponse:
    """A Scrapy response for a page fetched outside Scrapy (what the crawl's parsers take)."""
    headers = {"Content-Type": page.content_type} if page.content_type else {}
    return HtmlResponse(url=page.url, body=page.body, headers=headers)


def read_article(page: Page, source: Source) -> reading.ReadArticle:
    return reading.article(response_of(page), page.url, source)


def newest_urls(page: Page, source: Source, feed: Page | None = None) -> list[str]:
    """Article URLs of a feed (when given) or of a listing page, newest first, as the crawl reads them."""
    from spiders.discovery.urls import canonical

    if feed is not None:
        found = [canonical(e.url) for e in reading.feed_entries(response_of(feed), source)]
    else:
        found = [canonical(c.url) for c in reading.listing(response_of(page), source).cards]
    return list(dict.fromkeys(u for u in found if u and source.is_article(u)))


def summary(url: str, read: reading.ReadArticle, words: int = BODY_WORDS) -> dict[str, Any]:
    """One article as the commands show it: fields, the extractor of each, fallbacks and problems."""
    body_words = (read.body or "").split()
    return {
        "url": url,
        "title": read.title,
        "published": read.published,
        "body": " ".join(body_words[:words]) + (" …" if len(body_words) > words else ""),
        "body_words": len(body_words),
        "extractors": {name: read.extractors.get(name) for name in reading.FIELDS},
        "fallbacks": list(read.fallbacks),
        "selector_misses": list(dict.fromkeys(read.selector_misses)),
        "problems": list(read.problems),
    }
