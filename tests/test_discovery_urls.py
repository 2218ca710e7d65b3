"""Canonical article URLs and the kinds of link discovery never follows as articles."""

from __future__ import annotations

import pytest

from spiders.discovery.urls import canonical, is_feed, is_pager, is_taxonomy, same_site


@pytest.mark.parametrize(("href", "expected"), [
    ("/news/a/#comments", "https://www.u.example/news/a/"),
    ("/news/a/?utm_source=rss&utm_medium=rss", "https://www.u.example/news/a/"),
    ("/news/detail.php?ID=12&PHPSESSID=abc123&fbclid=x", "https://www.u.example/news/detail.php?ID=12"),
    ("/news/show?id=7", "https://www.u.example/news/show?id=7"),
    ("/news/a;jsessionid=0F3A9?x=1", "https://www.u.example/news/a?x=1"),
    ("HTTPS://WWW.U.EXAMPLE:443/News/A", "https://www.u.example/News/A"),
    ("http://www.u.example:8080/news/a", "http://www.u.example:8080/news/a"),
    ("/media/news/day-number-%CF%80-2018/", "https://www.u.example/media/news/day-number-%CF%80-2018/"),
    ("b/", "https://www.u.example/news/b/"),
    ("javascript:void(0)", None), ("mailto:press@u.example", None), ("#top", None), ("", None),
    ("ftp://u.example/file", None),
])
def test_canonical(href: str, expected: str | None) -> None:
    assert canonical(href, "https://www.u.example/news/") == expected


def test_same_site_ignores_www_and_respects_a_path_prefix() -> None:
    assert same_site("https://u.example/news/a/", "https://www.u.example/")
    assert not same_site("https://other.example/news/a/", "https://www.u.example/")
    assert same_site("https://u.example/en/news/a/", "https://u.example/en/")
    assert not same_site("https://u.example/ru/news/a/", "https://u.example/en/")
    assert not same_site("https://u.example/english/", "https://u.example/en/")


@pytest.mark.parametrize(("url", "feed", "pager", "taxonomy"), [
    ("https://u.example/feed/", True, False, True),
    ("https://u.example/media/news/rss/", True, False, True),
    ("https://u.example/news?format=feed&type=rss", True, False, False),
    ("https://u.example/rss.xml", True, False, False),
    ("https://u.example/news/page/3/", False, True, False),
    ("https://u.example/novosti?page=0", False, True, False),
    ("https://u.example/media/news/?PAGEN_2=5", False, True, False),
    ("https://u.example/news?start=10", False, True, False),
    ("https://u.example/?p=4100", False, False, False),  # WordPress's short link to one post
    ("https://u.example/tag/university/", False, False, True),
    ("https://u.example/category/news/", False, False, True),
    ("https://u.example/taxonomy/term/12", False, False, True),
    ("https://u.example/news/?category=science", False, False, True),
    ("https://u.example/2024/03/14/some-story/", False, False, False),
    ("https://u.example/news/archive/2023/some-story/", False, False, False),
    ("https://u.example/component/tags/tag/international", False, False, True),
])
def test_link_kinds(url: str, feed: bool, pager: bool, taxonomy: bool) -> None:
    assert (is_feed(url), is_pager(url), is_taxonomy(url)) == (feed, pager, taxonomy)
