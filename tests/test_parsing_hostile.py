"""Hostile and broken input: random, truncated and mutated pages never raise; fields stay typed."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spiders.parsing.article import ArticleFields, parse_article
from spiders.parsing.dates import parse_date
from spiders.parsing.detect import KEYS, extract
from spiders.parsing.listing import ListingPage, parse_listing
from spiders.parsing.printpage import parse_print
from spiders.parsing.rss import parse_rss
from spiders.sites.spbpu import PROFILE as SPBPU  # these pages are SPbPU's: read them with its profile

parse_article = functools.partial(parse_article, site=SPBPU)
parse_listing = functools.partial(parse_listing, site=SPBPU)
parse_print = functools.partial(parse_print, site=SPBPU)
parse_rss = functools.partial(parse_rss, site=SPBPU)

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
PAGES = {name: (FIXTURES / name).read_text(encoding="utf-8") for name in (
    "article_en.html", "article_ru.html", "listing_ru.html", "listing_en.html", "print_ru.html",
    "spbpu-ru-rss-2024-09-27.xml", "seed-article-print-page.txt")}
URL = "https://www.spbstu.ru/media/news/partnership/x/"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAGS = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<h1>", "</h1>", "<li>", "<br>", "<script>", "<!--",
                        "<![CDATA[", "&nbsp;", "&#0;", "&#xD800;", "<a href='", "'>", "<img src=x>", "\x00",
                        '<div id="content_page">', '<div class="news-meta">', "<rss>", "<item>", "</html>"])


def check_all(content: str | bytes, url: str | None = URL) -> None:
    fields = parse_article(content, url)
    assert isinstance(fields, ArticleFields)
    assert fields.title is None or isinstance(fields.title, str)
    assert fields.body is None or (isinstance(fields.body, str) and fields.body.strip() == fields.body)
    assert all(isinstance(p, str) for p in fields.problems)
    assert isinstance(parse_print(content, url), ArticleFields)
    assert isinstance(parse_listing(content, url or ""), ListingPage)
    assert isinstance(parse_rss(content, url), list)
    result = extract(content, url)
    assert list(result)[: len(KEYS)] == list(KEYS)


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    check_all(text)
    assert parse_date(text) is None or parse_date(text).year >= 1900


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    check_all(data, None)


@SETTINGS
@given(name=st.sampled_from(sorted(PAGES)), cut=st.floats(0, 1))
def test_truncated_pages(name: str, cut: float) -> None:
    page = PAGES[name]
    check_all(page[: int(len(page) * cut)])


@SETTINGS
@given(name=st.sampled_from(sorted(PAGES)), data=st.data())
def test_mutated_pages(name: str, data: st.DataObject) -> None:
    page = PAGES[name]
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(page)))
        if data.draw(st.booleans()):
            page = page[:at] + data.draw(TAGS) + page[at:]
        else:
            page = page[:at] + page[at + data.draw(st.integers(0, 400)):]
    check_all(page)


@pytest.mark.parametrize("content", [
    "<div>" * 20000 + "x",
    "<p>" + "a" * 2_000_000 + "</p>",
    '<div id="content_page">' + "<ul><li>" * 3000 + "deep",
    "\ufeff<html><h1>BOM</h1>",
    b"\xef\xbb\xbf<html><h1>BOM</h1>",
    "<html><h1>" + "\ud800" + "</h1>",
])
def test_pathological_pages(content: str | bytes) -> None:
    check_all(content)


@pytest.mark.parametrize("url", [None, "", "not a url", "http://[::1", "https://www.spbstu.ru/media/news/../../x"])
def test_odd_urls(url: str | None) -> None:
    check_all(PAGES["article_en.html"], url)
