"""The real RSS response (2024-09-27): 20 entries, checked against feedparser's independent reading."""

from __future__ import annotations

import functools
import html
import re
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest

from spiders.parsing.rss import category_name, parse_rss, unescape_summary
from spiders.sites.spbpu import PROFILE as SPBPU  # these pages are SPbPU's: read them with its profile

parse_rss = functools.partial(parse_rss, site=SPBPU)

FEED = Path(__file__).parent / "fixtures" / "parsing" / "spbpu-ru-rss-2024-09-27.xml"


@pytest.fixture(scope="module")
def oracle() -> list[dict]:
    return feedparser.parse(FEED.read_bytes()).entries


@pytest.fixture(scope="module", params=["bytes", "str"])
def entries(request: pytest.FixtureRequest) -> list:
    data = FEED.read_bytes()
    return parse_rss(data if request.param == "bytes" else data.decode("utf-8"), "https://www.spbstu.ru")


def test_twenty_entries_with_real_titles_and_links(entries: list, oracle: list[dict]) -> None:
    assert len(entries) == len(oracle) == 20
    assert [e.title for e in entries] == [o.title for o in oracle]
    assert [e.url for e in entries] == [o.link for o in oracle]
    assert entries[0].title == "Династия Колесниковых - Пашкевичей"


def test_published_keeps_the_time_in_moscow(entries: list, oracle: list[dict]) -> None:
    assert entries[0].published == "2024-09-27T12:50:00+03:00"
    assert [e.published for e in entries] == [parsedate_to_datetime(o.published).isoformat() for o in oracle]


def test_categories_lose_the_trailing_slash(entries: list, oracle: list[dict]) -> None:
    raw = [o.tags[0].term for o in oracle]
    assert "Университетская жизнь /" in raw
    assert [e.section_name for e in entries] == [re.sub(r"[\s/]+$", "", t) for t in raw]
    assert {e.section_name for e in entries} >= {"Университетская жизнь", "Политех МЕДИА", "Партнёрство"}
    assert all(not e.section_name.endswith(("/", " ")) for e in entries)


def test_descriptions_are_unescaped_twice(entries: list, oracle: list[dict]) -> None:
    expected = [" ".join(html.unescape(o.summary).split()) for o in oracle]
    assert [e.summary for e in entries] == expected
    assert entries[0].summary == "Героиня очередного выпуска проекта «Династия» — инженер-исследователь..."
    assert all("&" not in e.summary and e.summary.endswith("...") for e in entries)


def test_images_and_sections(entries: list, oracle: list[dict]) -> None:
    assert [e.image for e in entries] == [o.enclosures[0].href for o in oracle]
    assert entries[0].section == "politech-media"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Политех МЕДИА/", "Политех МЕДИА"), ("Университетская жизнь /", "Университетская жизнь"),
    ("  Спорт  ", "Спорт"), ("/", None), ("", None)])
def test_category_name(raw: str, expected: str | None) -> None:
    assert category_name(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("\n\t 26&amp;nbsp;сентября ...", "26 сентября ..."),
    ("&amp;laquo;A&amp;raquo; &amp;amp; B", "«A» & B"),
    ("&lt;p&gt;Tagged&lt;/p&gt;", "Tagged"),
    ("", None)])
def test_unescape_summary(raw: str, expected: str | None) -> None:
    assert unescape_summary(html.unescape(raw)) == expected


@pytest.mark.parametrize("data", ["", b"", "garbage", b"<rss", b"\xff\xfe\x00", "<rss><channel><item><title>x</title></item>",
                                  '<?xml version="1.0" encoding="windows-1251"?><rss><channel></channel></rss>'])
def test_broken_feeds_give_no_entries(data: str | bytes) -> None:
    assert parse_rss(data) == []


def test_relative_links_are_made_absolute() -> None:
    feed = "<rss><channel><item><title>T</title><link>/media/news/sport/a/</link></item></channel></rss>"
    assert parse_rss(feed, "https://english.spbstu.ru")[0].url == "https://english.spbstu.ru/media/news/sport/a/"
