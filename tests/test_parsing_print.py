"""Print pages: the HTML template and the user's text capture (compared with the capture's own paragraphs)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from spiders.parsing.printpage import from_paragraphs, parse_print, text_paragraphs
from spiders.sites.spbpu import PROFILE as SPBPU  # these pages are SPbPU's: read them with its profile

parse_print = functools.partial(parse_print, site=SPBPU)
text_paragraphs = functools.partial(text_paragraphs, site=SPBPU)
from_paragraphs = functools.partial(from_paragraphs, site=SPBPU)

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
CAPTURE = FIXTURES / "seed-article-print-page.txt"
PRINT_URL = "https://english.spbstu.ru/media/news/international_activities/spbpu-china/?print=Y"


def capture_blocks() -> list[str]:
    """The capture's non-empty blocks between blank lines, as the user saved them."""
    return [b.strip() for b in re.split(r"\n\s*\n", CAPTURE.read_text(encoding="utf-8")) if b.strip()]


def test_capture_gives_title_date_and_its_own_paragraphs() -> None:
    blocks = capture_blocks()
    fields = parse_print(CAPTURE.read_text(encoding="utf-8"), PRINT_URL)
    assert fields.title == "SPbPU implements scientific and educational cooperation in China" == blocks[0]
    assert fields.published == "2023-11-30"
    assert blocks[-3:] == ["Дата публикации: 2023.11.30", ">>Перейти к новости", ">>Перейти ко всем новостям"]
    assert fields.body.split("\n\n") == blocks[1:-3]
    assert "Перейти" not in fields.body and "2023.11.30" not in fields.body
    assert (fields.section, fields.section_name) == ("international_activities", "International activities")
    assert fields.problems == []


def test_capture_as_bytes_and_with_windows_newlines() -> None:
    text = CAPTURE.read_text(encoding="utf-8")
    expected = parse_print(text)
    assert parse_print(text.replace("\n", "\r\n").encode("utf-8")) == expected


def test_html_print_page() -> None:
    url = "https://www.spbstu.ru/media/news/partnership/politekh-i-rosneft/?print=Y"
    fields = parse_print((FIXTURES / "print_ru.html").read_text(encoding="utf-8"), url)
    assert fields.title == "Политех и «Роснефть» подписали соглашение о сотрудничестве"
    assert fields.published == "2024-07-17"
    assert fields.body.split("\n\n") == [
        "Санкт-Петербургский политехнический университет Петра Великого и компания «Роснефть» подписали соглашение.",
        "Документ подписали ректор СПбПУ Андрей Рудской и представители компании.",
        "Подготовка кадров;",
        "совместные исследования.",
    ]
    assert [i.url for i in fields.images] == ["https://www.spbstu.ru/upload/iblock/f54/1.jpg"]
    assert (fields.section, fields.section_name) == ("partnership", "Партнёрство")


def test_html_print_page_with_the_article_template_inside() -> None:
    fields = parse_print((FIXTURES / "print_en.html").read_text(encoding="utf-8"), PRINT_URL)
    assert fields.title == "SPbPU implements scientific and educational cooperation in China"
    assert fields.body == "A number of activities are currently being implemented in China.\n\n" \
                          "They discussed the directions of cooperation."
    assert fields.published == "2023-11-30"
    assert [i.url for i in fields.images] == ["https://english.spbstu.ru/upload/iblock/c90/1.jpg"]


@pytest.mark.parametrize(("capture", "title", "body", "published"), [
    ("Title\nDate line? no\n\nBody one\nДата публикации: 2023.11.30\n>>Перейти к новости",
     "Title Date line? no", "Body one", "2023-11-30"),
    ("Title\n\nBody\n\nДата публикации: 30.11.2023", "Title", "Body", "2023-11-30"),
    ("Title\n\nBody", "Title", "Body", None),
    ("Title\n\nДата публикации: 2023.11.30\n\nBody after the date", "Title", "Body after the date", "2023-11-30"),
])
def test_capture_variants(capture: str, title: str, body: str, published: str | None) -> None:
    fields = parse_print(capture)
    assert (fields.title, fields.body, fields.published) == (title, body, published)


@pytest.mark.parametrize(("capture", "problems"), [
    ("", ["no_title", "no_body", "no_date"]),
    ("Only a title", ["no_body", "no_date"]),
    ("Title\n\nBody\n\nДата публикации: someday", ["unparsed_date: someday"]),
])
def test_capture_problems(capture: str, problems: list[str]) -> None:
    assert parse_print(capture).problems == problems


def test_paragraph_helpers() -> None:
    assert text_paragraphs("a\n\n\n\nb\nc\n>>Перейти ко всем новостям") == ["a", "b c", ">>Перейти ко всем новостям"]
    assert from_paragraphs(["T", "x", ">>Перейти к новости"]).body == "x"
