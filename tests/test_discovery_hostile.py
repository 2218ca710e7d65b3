"""Hostile input never raises: a broken page costs its links, never the crawl."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.discovery import article_links, autodiscover, learn_pattern, next_page, parse_feed

PAGE = "https://u.example/news/"
HOSTILE = [
    "<div>" * 20000 + '<a href="/news/1/">deeply nested link</a>' + "</div>" * 20000,
    "<a href='http://[::1'>a broken host in a link</a>" * 3,
    "<a href='http://u.example:99999/x'>a port out of range</a><a href='http://u.example:99999/y'>again</a>",
    "\x00\x01\x02\ufeff", "<html>" + "<a href='/n/%d/'>t</a>" * 5000, "<a rel='next' href='http://[::1'>n</a>",
    "<:", "<rss><:item/></rss>",
    '<?xml version="1.0" encoding="koi8-r"?><html><a href="/news/1/">ÔÅÓÔ</a></html>',
]


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_pages(html: str) -> None:
    assert isinstance(article_links(html, PAGE), list)
    assert next_page(html, PAGE) is None or next_page(html, PAGE).startswith("https://u.example/")
    assert isinstance(autodiscover(html, PAGE), list)
    assert isinstance(parse_feed(html.encode("utf-8", "replace"), PAGE), list)


_PIECES = st.sampled_from(["<", ">", "/", "a", "=", '"', "'", " ", "&", ";", "#", "href", ":", ".", "?",
                           "PAGEN_1", "page", "<a href=", "</a>", "<item>", "<link>", "»", "Далее", "rel=next"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=120).map("".join))
def test_random_markup(html: str) -> None:
    article_links(html, PAGE)
    next_page(html, PAGE)
    autodiscover(html, PAGE)
    parse_feed(html.encode(), PAGE)


def test_garbage_urls_for_a_pattern() -> None:
    assert learn_pattern(["not a url", "http://[::1/x"]).startswith("^")
