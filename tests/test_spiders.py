"""Spider callbacks offline: HtmlResponse objects built from fixture pages, no network, no reactor."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.utils.test import get_crawler

from monitor.config import from_dict
from spiders.items import Article
from spiders.news import NewsSpider
from spiders.parsing.urls import canonical
from tests.monitor_fixtures import pool_workers, started_pool

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
BASE = "https://www.spbstu.ru"


@pytest.fixture
def spider(tmp_path: Path) -> NewsSpider:
    sources = from_dict({"sources": {"spbpu-ru": {"base_url": BASE, "download_delay": 0}}}).data["sources"]
    crawler = get_crawler(NewsSpider, {"NEWSMON_SOURCES": sources, "NEWSMON_DB_PATH": str(tmp_path / "a.db")})
    spider = crawler._create_spider(source="spbpu-ru")
    crawler.spider = spider
    return spider


def drain(agen: Any) -> list[Any]:
    """What an async callback yields (run on its own event loop)."""
    async def collect() -> list[Any]:
        return [x async for x in agen]
    return asyncio.run(collect())


def html_response(name: str, url: str, meta: dict | None = None) -> HtmlResponse:
    request = Request(url, meta=meta or {})
    return HtmlResponse(url, body=(FIXTURES / name).read_bytes(), encoding="utf-8", request=request)


def test_rss_yields_articles_then_the_listing(spider: NewsSpider) -> None:
    body = (FIXTURES / "spbpu-ru-rss-2024-09-27.xml").read_bytes()
    out = list(spider.parse_feed(XmlResponse(BASE + "/media/news/rss/", body=body)))
    articles = [r for r in out if r.callback == spider.parse_article]
    assert len(articles) == 20
    assert out[-1].url == BASE + "/media/news/"
    assert all(r.url.startswith(BASE + "/media/news/") for r in articles)


def test_listing_pages_on_while_something_is_new(spider: NewsSpider) -> None:
    out = list(spider.parse_listing(html_response("listing_ru.html", BASE + "/media/news/")))
    pages = [r for r in out if r.callback == spider.parse_listing]
    assert len(pages) == 1 and "PAGEN_2=2" in pages[0].url
    assert [r for r in out if r.callback == spider.parse_article]


def test_the_next_listing_page_comes_before_the_articles(spider: NewsSpider) -> None:
    """Scrapy takes a callback's requests as it goes on: the walk's next step must not wait for the cards."""
    out = list(spider.parse_listing(html_response("listing_ru.html", BASE + "/media/news/")))
    assert out[0].callback == spider.parse_listing and "PAGEN_2=2" in out[0].url
    assert len(out) > 1 and all(r.callback == spider.parse_article for r in out[1:])


def test_a_source_caps_its_crawler_s_requests_at_its_concurrency(tmp_path: Path) -> None:
    """Requests beyond it would wait in the downloader's first-come queue, where priorities are not seen."""
    sources = from_dict({"sources": {"spbpu-ru": {"base_url": BASE, "concurrency": 3}}}).data["sources"]
    crawler = Crawler(NewsSpider, {"NEWSMON_SOURCES": sources, "NEWSMON_DB_PATH": str(tmp_path / "a.db")})
    crawler._create_spider(source="spbpu-ru")  # as Crawler.crawl does, before it freezes the settings
    assert crawler.settings.getint("CONCURRENT_REQUESTS") == 3
    assert crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 3


def test_listing_stops_paging_when_everything_is_known(spider: NewsSpider) -> None:
    first = list(spider.parse_listing(html_response("listing_ru.html", BASE + "/media/news/")))
    spider.known = {r.url: {"etag": None, "last_modified": None} for r in first if r.callback == spider.parse_article}
    out = list(spider.parse_listing(html_response("listing_ru.html", BASE + "/media/news/")))
    assert out == []


def test_full_mode_asks_conditionally(spider: NewsSpider) -> None:
    spider.full = True
    url = BASE + "/media/news/partnership/x/"
    spider.known = {url: {"etag": '"abc"', "last_modified": "Wed, 01 Jan 2025 00:00:00 GMT"}}
    (request,) = spider.article_request(url)
    assert request.headers["If-None-Match"] == b'"abc"'
    assert request.headers["If-Modified-Since"]
    assert 304 in request.meta["handle_httpstatus_list"]


def test_article_page_becomes_an_item(spider: NewsSpider) -> None:
    url = BASE + "/media/news/international_activities/some-article/"
    (item,) = drain(spider.parse_article(html_response("article_ru.html", url)))
    assert isinstance(item, Article)
    assert item.title and item.body and item.published
    assert item.source == "spbpu-ru" and item.lang == "ru"


def test_article_parsed_in_a_worker_process_is_the_same_item(spider: NewsSpider) -> None:
    """With parse_processes, the profile's parser runs in a worker process: the item must not change."""
    url = BASE + "/media/news/international_activities/some-article/"
    (local,) = drain(spider.parse_article(html_response("article_ru.html", url)))
    spider.parsers = started_pool(1)
    try:
        (remote,) = drain(spider.parse_article(html_response("article_ru.html", url)))
        worker_pids = pool_workers(spider.parsers)
    finally:
        spider.parsers.close()
    assert worker_pids and os.getpid() not in worker_pids
    assert remote == local and remote.title and remote.body and remote.published


@pytest.mark.parametrize("edited", [False, True])
def test_a_worker_s_analysis_stays_only_with_the_texts_it_read(spider: NewsSpider, monkeypatch: pytest.MonkeyPatch,
                                                              edited: bool) -> None:
    """The NormalisePipeline takes the normalised texts from the analysis: it must be of these very texts."""
    from monitor.analysis import TopicRules
    from monitor.topics import load_topics
    from spiders import reading
    from spiders.pipelines import NormalisePipeline

    if edited:  # another extractor's body, or one changed after the worker read the page
        real = reading.article

        def article(*args: Any, **kwargs: Any) -> Any:
            read = real(*args, **kwargs)
            read.body = read.body + "\n\nДругой  текст."
            return read

        monkeypatch.setattr(reading, "article", article)
    url = BASE + "/media/news/international_activities/some-article/"
    spider.topics = TopicRules.of(load_topics(from_dict({})))
    spider.parsers = started_pool(1)
    try:
        (item,) = drain(spider.parse_article(html_response("article_ru.html", url)))
    finally:
        spider.parsers.close()
    assert (item.analysis is None) == edited
    raw = (item.title, item.body)
    NormalisePipeline().process_item(item)
    assert item.body.endswith("Другой текст.") == edited and item.title == raw[0].strip()


def test_an_undated_page_follows_its_print_page_unless_the_spider_is_closing(spider: NewsSpider) -> None:
    """A request yielded once the spider is closing may never be sent: the article must not wait for it."""
    url = BASE + "/media/news/international_activities/some-article/"
    page = FIXTURES / "article_ru.html"
    undated = page.read_bytes().replace('<span class="news-date">17 июля 2024</span>'.encode(), b"")
    (follow,) = drain(spider.parse_article(HtmlResponse(url, body=undated, encoding="utf-8", request=Request(url))))
    assert isinstance(follow, Request) and "print=Y" in follow.url

    class Closing:  # what Scrapy's engine slot holds once close_spider has begun
        closing = object()

    spider.crawler.engine = type("Engine", (), {"_slot": Closing()})()
    (item,) = drain(spider.parse_article(HtmlResponse(url, body=undated, encoding="utf-8", request=Request(url))))
    assert isinstance(item, Article) and item.title and "no_date" in item.flags


def test_304_is_not_modified(spider: NewsSpider) -> None:
    url = BASE + "/media/news/sport/a/"
    response = HtmlResponse(url, status=304, body=b"", request=Request(url))
    (item,) = drain(spider.parse_article(response))
    assert item.fetch == "not_modified"


def test_no_date_falls_back_to_listing_card(spider: NewsSpider) -> None:
    from spiders.parsing.listing import Card

    item = Article(url=BASE + "/media/news/sport/a/", source="spbpu-ru", lang="ru", title="t", body="b")
    card = Card(url=item.url, title="t", published="2018-03-16", section="sport", section_name="Спорт")
    assert spider.date_fallback(item, card).published == "2018-03-16"
    assert item.date_source == "listing"
    bare = Article(url=BASE + "/media/news/sport/b/", source="spbpu-ru", lang="ru", title="t", body="b")
    assert spider.date_fallback(bare, None).published is None
    assert "no_date" in bare.flags


@pytest.mark.parametrize("url,want", [
    ("https://www.spbstu.ru/media/news/sport/a/?print=Y", "https://www.spbstu.ru/media/news/sport/a/"),
    ("https://www.spbstu.ru/media/news/sport/a/#top", "https://www.spbstu.ru/media/news/sport/a/"),
])
def test_canonical(url: str, want: str) -> None:
    assert canonical(url) == want


def test_spiders_are_registered() -> None:
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    settings = Settings()
    settings.setmodule("spiders.settings")
    names = SpiderLoader.from_settings(settings).list()
    assert names == ["news"]  # one spider for every source: scrapy crawl news -a source=NAME
    assert scrapy.Spider in NewsSpider.__mro__


def test_after_an_unfinished_crawl_every_listing_page_is_walked(spider: NewsSpider) -> None:
    """A killed first crawl leaves older articles unfetched below known ones: keep paging past known pages."""
    first = list(spider.parse_listing(html_response("listing_ru.html", BASE + "/media/news/")))
    spider.known = {r.url: {"etag": None, "last_modified": None} for r in first if r.callback == spider.parse_article}
    spider.walk_all = True
    out = list(spider.parse_listing(html_response("listing_ru.html", BASE + "/media/news/")))
    assert [r.url for r in out] == [r.url for r in first if r.callback == spider.parse_listing]
