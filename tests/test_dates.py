"""parse_date / to_iso over every date form the site shows, plus garbage (None, never an exception)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from spiders.parsing.dates import find_date, iso_date, parse_date, to_iso

MOSCOW = "Europe/Moscow"  # SPbPU's profile's zone


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Пятница, 16 Марта 2018", "ru", "2018-03-16"),
    ("Пятница, 16 Марта 2018", None, "2018-03-16"),
    ("Friday, 16 March 2018", "en", "2018-03-16"),
    ("1 June 2023", "en", "2023-06-01"),
    ("17 июля 2024", "ru", "2024-07-17"),
    ("17 Июля 2024", None, "2024-07-17"),
    ("3 сентября 2024 г.", "ru", "2024-09-03"),
    ("1 Sept 2023", None, "2023-09-01"),
    ("  1\u00a0June   2023 ", None, "2023-06-01"),
    ("2023.11.30", None, "2023-11-30"),
    ("Fri, 27 Sep 2024 12:50:00 +0300", None, "2024-09-27T12:50:00+03:00"),
    ("Fri, 27 Sep 2024 09:50:00 +0000", None, "2024-09-27T12:50:00+03:00"),
    ("2024-09-27", None, "2024-09-27"),
    ("2024-09-27T12:50:00+03:00", None, "2024-09-27T12:50:00+03:00"),
    ("2024-09-27T12:50:00", None, "2024-09-27T12:50:00+03:00"),
    ("March 16, 2018", "en", "2018-03-16"),
    ("16.03.2018", "ru", "2018-03-16"),
])
def test_site_formats(text: str, lang: str | None, expected: str) -> None:
    assert to_iso(parse_date(text, lang), MOSCOW) == expected
    assert iso_date(text, lang, MOSCOW) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "garbage", "today", "вчера", "2 weeks ago", "16 марта", "Mar 2018", "2023.13.01", "2023.02.30",
    "Среда, 31 Февраля 2018", "Fri, 32 Sep 2024 12:50:00 +0300", "9999-99-99", "<p>", "542",
    "1 Foo 2023", "x" * 5000, "\x00\x01", "Пятница, 16 Марта", "0001-01-01",
])
def test_garbage_is_none(text: str) -> None:
    assert parse_date(text) is None
    assert iso_date(text) is None


@pytest.mark.parametrize("value", [None, 5, b"2023.11.30", ["1 June 2023"]])
def test_wrong_types_are_none(value: object) -> None:
    assert parse_date(value) is None  # type: ignore[arg-type]


def test_date_versus_datetime() -> None:
    assert isinstance(parse_date("1 June 2023"), date) and not isinstance(parse_date("1 June 2023"), datetime)
    assert isinstance(parse_date("Fri, 27 Sep 2024 12:50:00 +0300"), datetime)


@pytest.mark.parametrize(("value", "expected"), [
    (None, None),
    (date(2023, 11, 30), "2023-11-30"),
    (datetime(2024, 9, 27, 12, 50), "2024-09-27T12:50:00+03:00"),
    (datetime(2024, 9, 27, 9, 50, tzinfo=UTC), "2024-09-27T12:50:00+03:00"),
    (datetime(2024, 1, 1, 0, 0, 30, 123, tzinfo=timezone(timedelta(hours=3))), "2024-01-01T00:00:30+03:00"),
])
def test_to_iso_is_moscow_time(value: date | datetime | None, expected: str | None) -> None:
    assert to_iso(value, MOSCOW) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("1 June 2023  International activities  542", date(2023, 6, 1)),
    ("17 июля 2024 Партнёрство 1208", date(2024, 7, 17)),
    ("Views 542 | Friday, 16 March 2018", date(2018, 3, 16)),
    ("Дата публикации: 2023.11.30", date(2023, 11, 30)),
    ("International activities 542", None),
    ("", None),
])
def test_find_date_in_a_meta_line(text: str, expected: date | None) -> None:
    assert find_date(text) == expected
