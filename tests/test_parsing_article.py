"""Article pages per docs/site-model.md, and the tolerant fallbacks for markup the real site may differ in."""

from __future__ import annotations

import functools
from pathlib import Path

import parsel
import pytest

from spiders.items import Image
from spiders.parsing.article import parse_article
from spiders.sites.spbpu import PROFILE as SPBPU  # these pages are SPbPU's: read them with its profile

parse_article = functools.partial(parse_article, site=SPBPU)

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
EN_URL = "https://english.spbstu.ru/media/news/international_activities/spbpu-tsinghua/"
RU_URL = "https://www.spbstu.ru/media/news/partnership/politekh-i-rosneft/"
EN_BODY = [
    "Polytechnic University and Tsinghua University signed a cooperation agreement.",
    "The agreement covers joint programs, research and student exchange.",
    "What comes next",
    "list item one",
    "list item two",
    "A quote from the rector.",
]


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_english_article() -> None:
    fields = parse_article(page("article_en.html"), EN_URL)
    assert fields.title == "SPbPU and Tsinghua sign an agreement"
    assert fields.body == "\n\n".join(EN_BODY)
    assert fields.published == "2023-06-01"
    assert fields.date_text == "1 June 2023"
    assert (fields.section, fields.section_name) == ("international_activities", "International activities")
    assert fields.images == [
        Image("https://english.spbstu.ru/upload/iblock/abc/1.jpg", "Rector Andrei Rudskoi at the signing"),
        Image("https://english.spbstu.ru/upload/iblock/def/2.png", "Second image"),
    ]
    assert fields.print_url == EN_URL + "?print=Y"
    assert fields.problems == []


def test_russian_article() -> None:
    fields = parse_article(page("article_ru.html"), RU_URL)
    assert fields.title == "Политех и «Роснефть» подписали соглашение о сотрудничестве"
    assert fields.body.split("\n\n") == [
        "Санкт-Петербургский политехнический университет Петра Великого и компания «Роснефть» подписали соглашение.",
        "Документ подписали ректор СПбПУ Андрей Рудской и представители компании. Вторая строка абзаца.",
        "Первый абзац после двойного переноса.",
        "Второй абзац после двойного переноса.",
        "Направления сотрудничества",
        "Подготовка кадров;",
        "совместные исследования.",
    ]
    assert fields.published == "2024-07-17"
    assert (fields.section, fields.section_name) == ("partnership", "Партнёрство")
    assert fields.images == [Image("https://www.spbstu.ru/upload/iblock/f54/1.jpg", "Подписание соглашения")]
    assert fields.print_url == RU_URL + "?print=Y"


@pytest.mark.parametrize("noise", ["542", "Print version", "Related news", "Another story", "Sidebar text",
                                   "Rector Andrei Rudskoi", "injected", "VK", "International activities",
                                   "not text", "Polytechnic University\n"])
def test_body_has_no_page_noise(noise: str) -> None:
    assert noise not in parse_article(page("article_en.html"), EN_URL).body


def test_view_counter_does_not_change_the_fields() -> None:
    html = page("article_en.html")
    assert parse_article(html, EN_URL) == parse_article(html.replace(">542<", ">543<"), EN_URL)


def test_reuses_a_scrapy_selector() -> None:
    html = page("article_en.html")
    assert parse_article(parsel.Selector(text=html), EN_URL) == parse_article(html, EN_URL)


@pytest.mark.parametrize(("old", "new", "field", "expected"), [
    # date: no .news-date -> the first date-looking text of the meta line
    ('<span class="news-date">1 June 2023</span>', "1 June 2023", "published", "2023-06-01"),
    # title: no h1 in the news block -> the page's first h1
    ("<h1>SPbPU and Tsinghua sign an  agreement</h1>", "", "title", "Polytechnic University"),
    # body: .content_page without the id
    ('id="content_page" class="content_page"', 'class="content_page"', "body", "\n\n".join(EN_BODY)),
    # section name: no section link -> the site map
    ('<a class="news-section" href="/media/news/international_activities/">International activities</a>', "",
     "section_name", "International activities"),
    # full-size image: no link around it -> derived from the resize_cache path
    ('<a href="/upload/iblock/abc/1.jpg"><img src="/upload/resize_cache/iblock/abc/800_600_1/1.jpg" alt="photo"></a>',
     '<img src="/upload/resize_cache/iblock/abc/800_600_1/1.jpg">', "images",
     [Image("https://english.spbstu.ru/upload/iblock/abc/1.jpg", "Rector Andrei Rudskoi at the signing"),
      Image("https://english.spbstu.ru/upload/iblock/def/2.png", "Second image")]),
    # print link found by its text when it lacks the class
    ('<a class="print-link" href="?print=Y">', '<a href="?print=Y">', "print_url", EN_URL + "?print=Y"),
])
def test_tolerant_fallbacks(old: str, new: str, field: str, expected: object) -> None:
    html = page("article_en.html")
    assert old in html
    assert getattr(parse_article(html.replace(old, new), EN_URL), field) == expected


def test_section_from_the_meta_link_when_the_url_has_none() -> None:
    fields = parse_article(page("article_en.html"), "http://127.0.0.1:8000/news?id=5")
    assert fields.section == "international_activities"
    assert fields.images[0].url == "http://127.0.0.1:8000/upload/iblock/abc/1.jpg"


DATE_SPAN = '<span class="news-date">1 June 2023</span>'


@pytest.mark.parametrize(("edits", "problem"), [
    ([(DATE_SPAN, '<span class="news-date">sometime in June</span>')], "unparsed_date: sometime in June"),
    ([(DATE_SPAN, "")], "unparsed_date: International activities 542"),
    ([(DATE_SPAN, ""), ('<div class="news-meta">', '<div class="news-meta-gone">')], "no_date"),
])
def test_date_problems_are_named(edits: list[tuple[str, str]], problem: str) -> None:
    html = page("article_en.html")
    for old, new in edits:
        assert old in html
        html = html.replace(old, new)
    fields = parse_article(html, EN_URL)
    assert fields.problems == [problem]
    assert fields.published is None


@pytest.mark.parametrize(("html", "problems"), [
    ("", ["no_title", "no_body", "no_date"]),
    ("<html><body><p>just a paragraph</p></body></html>", ["no_title", "no_body", "no_date"]),
    ("<h1>Only a title</h1>", ["no_body", "no_date"]),
    ('<div class="news-detail"><h1>T</h1><div class="news-meta">542</div><div id="content_page"><p>x</p>',
     ["unparsed_date: 542"]),
])
def test_missing_fields_are_problems_not_exceptions(html: str, problems: list[str]) -> None:
    assert parse_article(html, None).problems == problems
