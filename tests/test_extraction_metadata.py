"""Structured metadata: JSON-LD in its real shapes (graph, list, broken), OpenGraph, itemprop, <time>, lang."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from spiders.extraction.metadata import load_json, page_metadata

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
URL = "https://news.example.edu/2024/03/12/story/"
UTC3 = timezone(timedelta(hours=3))


def page(head: str = "", body: str = "", lang: str = "") -> str:
    return f"<!doctype html><html{f' lang={lang!r}' if lang else ''}><head>{head}</head><body>{body}</body></html>"


def ld(data: object | str) -> str:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f'<script type="application/ld+json">{text}</script>'


def test_yoast_graph_picks_the_article_not_the_webpage() -> None:
    meta = page_metadata(page(ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Story - Site", "datePublished": "2020-01-01T00:00:00+00:00"},
        {"@type": "Article", "headline": "Story", "datePublished": "2024-03-12T09:15:00+03:00",
         "dateModified": "2024-03-13T10:00:00+03:00", "articleSection": ["International", "Research"],
         "inLanguage": "en-US", "image": {"@id": "#img", "url": "/img/1.jpg"}}]})), URL)
    assert meta.title == "Story"
    assert meta.published == datetime(2024, 3, 12, 9, 15, tzinfo=UTC3)
    assert meta.modified == datetime(2024, 3, 13, 10, 0, tzinfo=UTC3)
    assert (meta.section, meta.lang, meta.image) == ("International", "en", "https://news.example.edu/img/1.jpg")
    assert (meta.title_from, meta.published_from) == ("json-ld", "json-ld")


@pytest.mark.parametrize("kind", ["NewsArticle", "BlogPosting", "ReportageNewsArticle", ["Article", "NewsArticle"],
                                  "https://schema.org/NewsArticle"])
def test_article_types(kind: object) -> None:
    meta = page_metadata(page(ld([{"@type": "Organization", "name": "Uni"},
                                  {"@type": kind, "headline": "Заголовок", "datePublished": "2024-03-12"}])), URL)
    assert (meta.title, meta.published) == ("Заголовок", date(2024, 3, 12))


@pytest.mark.parametrize("broken", [
    '{"@type": "NewsArticle", "headline": "Broken", "datePublished": "2024-03-12",}',
    '<!--{"@type": "NewsArticle", "headline": "Broken", "datePublished": "2024-03-12"}-->',
    '{"@type": "NewsArticle", "headline": "Broken", "datePublished": "2024-03-12", "description": "line\none"}',
    '{"@type": "NewsArticle", "headline": "Broken", "datePublished": "2024-03-12", "author": {"name": "A"}',
])
def test_broken_json_ld_is_tolerated(broken: str) -> None:
    meta = page_metadata(page(ld(broken)), URL)
    assert (meta.title, meta.published) == ("Broken", date(2024, 3, 12))


def test_garbage_json_ld_gives_nothing() -> None:
    assert load_json("{{{ not json") is None
    assert page_metadata(page(ld("{{{ not json")), URL).title is None


def test_opengraph() -> None:
    meta = page_metadata(page(
        '<meta property="og:title" content="OG title"><meta property="og:site_name" content="Uni News">'
        '<meta property="article:published_time" content="2024-03-12T09:00:00+03:00">'
        '<meta property="article:section" content="Наука"><meta property="og:locale" content="ru_RU">'
        '<meta property="og:image" content="/a.jpg"><meta name="description" content="Desc">'), URL)
    assert (meta.title, meta.title_from, meta.site_name) == ("OG title", "og", "Uni News")
    assert meta.published == datetime(2024, 3, 12, 9, 0, tzinfo=UTC3)
    assert (meta.section, meta.lang, meta.image, meta.description) == (
        "Наука", "ru", "https://news.example.edu/a.jpg", "Desc")


def test_itemprop_and_time() -> None:
    meta = page_metadata(page(body='<div itemscope itemtype="https://schema.org/Article">'
                                   '<h1 itemprop="headline">Micro</h1>'
                                   '<time itemprop="datePublished" datetime="2024-03-12">12 March</time></div>'), URL)
    assert (meta.title, meta.title_from, meta.published, meta.published_from) == (
        "Micro", "itemprop", date(2024, 3, 12), "itemprop")


def test_time_in_the_article_not_in_the_sidebar() -> None:
    body = ('<aside><ul><li><time datetime="2024-01-01">1 Jan</time></li></ul></aside>'
            '<article><h1>T</h1><time datetime="2024-03-12T10:00:00+03:00">12 March</time></article>')
    meta = page_metadata(page(body=body), URL)
    assert (meta.published, meta.published_from) == (datetime(2024, 3, 12, 10, 0, tzinfo=UTC3), "time")
    assert page_metadata(page(body=body.split("<article>")[0]), URL).published is None


def test_lang_and_nothing() -> None:
    assert page_metadata(page(lang="ru-RU"), URL).lang == "ru"
    meta = page_metadata("", URL)
    assert (meta.title, meta.published, meta.lang) == (None, None, None)


def test_json_ld_beats_opengraph() -> None:
    meta = page_metadata(page('<meta property="og:title" content="OG | Site">'
                              '<meta property="article:published_time" content="2020-01-01">'
                              + ld({"@type": "NewsArticle", "headline": "LD", "datePublished": "2024-03-12"})), URL)
    assert (meta.title, meta.published) == ("LD", date(2024, 3, 12))


def test_fixture_pages() -> None:
    wordpress = page_metadata((FIXTURES / "wordpress_en.html").read_text("utf-8"), URL)
    assert wordpress.title.startswith("Polytechnic and Tsinghua")
    assert wordpress.section == "International"
    joomla = page_metadata((FIXTURES / "joomla_en.html").read_text("utf-8"), URL)
    assert (joomla.title, joomla.published.date()) == (
        "Engineering students build a solar car for the world challenge", date(2024, 3, 12))


def test_time_in_teaser_cards_is_not_the_article_date() -> None:
    cards = "".join(f'<div class="views-row"><article class="node--view-mode-teaser"><h3>T{i}</h3>'
                    f'<time datetime="2024-03-0{i}T12:00:00Z">March {i}</time></article></div>' for i in range(1, 4))
    body = f'<h1>Main</h1><article class="node--view-mode-full"><p>Text</p></article><div class="view">{cards}</div>'
    assert page_metadata(page(body=body), URL).published is None
    main = body.replace("<p>Text</p>", '<time datetime="2024-03-12">12 March</time><p>Text</p>')
    assert page_metadata(page(body=main), URL).published == date(2024, 3, 12)
