"""Meta refresh redirects (spiders.redirects): the same decisions as Scrapy's own middleware, without
decoding the pages that cannot hold a refresh tag."""

from __future__ import annotations

import pytest
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from spiders.redirects import MetaRefresh

URL = "https://www.example.edu/news/old/"
CYRILLIC_HEAD = "<title>" + "Новости университета " * 120 + "</title>"  # ~2,500 characters, ~4,700 bytes


def page(head: str, charset: str = "utf-8") -> HtmlResponse:
    html = f"<html><head>{head}</head><body><p>Текст</p></body></html>"
    return HtmlResponse(URL, body=html.encode(charset, errors="xmlcharrefreplace"), headers={"Content-Type": f"text/html; charset={charset}"},
                        request=Request(URL))


REFRESH = '<meta http-equiv="refresh" content="0; url=/news/new/">'
CASES = {
    "no refresh": "<title>Новости</title>",
    "refresh": REFRESH,
    "upper case": REFRESH.replace("refresh", "REFRESH"),
    "after 4,096 bytes, within 4,096 characters": CYRILLIC_HEAD + REFRESH,
    "after 4,096 characters": CYRILLIC_HEAD * 2 + REFRESH,
    "in a script": f"<script>var x = '{REFRESH}';</script>",  # Scrapy follows it too (no ignored tags)
    "entity-encoded": REFRESH.replace("refresh", "&#114;efresh"),  # w3lib >= 2.5 does not decode it either
}


@pytest.fixture
def middlewares() -> tuple[MetaRefresh, MetaRefreshMiddleware]:
    crawler = get_crawler()
    return MetaRefresh.from_crawler(crawler), MetaRefreshMiddleware.from_crawler(crawler)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("charset", ["utf-8", "windows-1251", "utf-16", "utf16", "utf-32", "cp500"])
def test_same_decision_as_scrapy(middlewares: tuple, case: str, charset: str) -> None:
    ours, scrapys = middlewares
    response = page(CASES[case], charset)
    mine, theirs = ours.process_response(response.request, response), scrapys.process_response(
        response.request, page(CASES[case], charset))
    assert type(mine) is type(theirs)
    if isinstance(theirs, Request):
        assert mine.url == theirs.url == "https://www.example.edu/news/new/"
    if charset != "cp500":  # EBCDIC holds no Cyrillic: the page's Russian text became longer references
        assert isinstance(mine, Request) == (case not in ("no refresh", "after 4,096 characters", "entity-encoded"))


def test_a_page_without_refresh_is_not_decoded(middlewares: tuple) -> None:
    ours, _ = middlewares
    response = page(CASES["no refresh"])
    assert ours.process_response(response.request, response) is response
    assert response._cached_ubody is None  # Scrapy's own middleware decodes the whole page here
