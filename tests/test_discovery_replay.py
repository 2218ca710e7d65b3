"""Discovery over real HTTP on loopback: the replay site's listings (~145 KB pages with their full chrome)
walked by the generic pager and link finder alone, compared with the replay's own ground truth."""

from __future__ import annotations

import re
import urllib.request

import pytest

from spiders.discovery import article_links, autodiscover, learn_pattern, next_page, parse_feed, sidebar_urls
from spiders.discovery.urls import path_of


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def walk(start: str, limit: int = 200) -> list[list[str]]:
    """Each listing page's article URLs, following next_page from `start` to the last page."""
    pages, url = [], start
    while url and len(pages) < limit:
        html = fetch(url).decode("utf-8")
        pages.append([link.url for link in article_links(html, url)])
        url = next_page(html, url)
    return pages


@pytest.mark.parametrize("label", ["ru", "en"])
def test_every_listed_article_once_in_order(replay, label: str) -> None:
    base = replay.ru_url if label == "ru" else replay.en_url
    host = replay.hosts()[label]
    pages = walk(base + "/media/news/")
    assert len(pages) == host.pages(None)
    found = [url for page in pages for url in page]
    assert found == [base + article.path for article in host.listing(None)]
    assert sidebar_urls(pages) == set()
    pattern = learn_pattern(found)
    assert pattern == r"^/media/news/[^/]+/[^/]+/?$"
    assert all(re.search(pattern, path_of(url)) for url in found)


@pytest.mark.parametrize("label", ["ru", "en"])
def test_the_feed_is_autodiscovered_and_read(replay, label: str) -> None:
    base = replay.ru_url if label == "ru" else replay.en_url
    listing = base + "/media/news/"
    feeds = autodiscover(fetch(listing).decode("utf-8"), listing)
    assert feeds[0] == base + "/media/news/rss/"
    entries = parse_feed(fetch(feeds[0]), feeds[0])
    assert [entry.url for entry in entries] == [base + article.path for article in replay.hosts()[label].rss()]
    assert all(entry.title and entry.published for entry in entries)
