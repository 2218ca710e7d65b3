"""Dates in every form pages write them, and the impossible ones refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from spiders.extraction.dates import find_date, parse_date, to_iso

MARCH_12 = date(2024, 3, 12)


@pytest.mark.parametrize("text", [
    "12 марта 2024", "12 марта 2024 г.", "12 марта 2024 года", "12 март 2024", "12 мар. 2024", "12 мар 2024",
    "вторник, 12 марта 2024", "Вт, 12 марта 2024 г.", "12 МАРТА 2024",
    "12 March 2024", "12th March 2024", "12 of March, 2024", "March 12, 2024", "March 12 2024", "Mar. 12th, 2024",
    "Mar 12, 2024", "Tuesday, March 12, 2024", "12.03.2024", "12/03/2024", "12-03-2024", "12.03.24",
    "2024.03.12", "2024/03/12", "2024-03-12", "Опубликовано: 12.03.2024", "Published: 12 March 2024",
    "  12\u00a0марта\u00a02024  ",
])
def test_date_forms(text: str) -> None:
    assert parse_date(text) == MARCH_12
    assert find_date(text) == MARCH_12


@pytest.mark.parametrize(("text", "month"), [
    ("1 января 2024", 1), ("1 январь 2024", 1), ("1 янв. 2024", 1), ("1 февраля 2024", 2), ("1 февр. 2024", 2),
    ("1 апреля 2024", 4), ("1 мая 2024", 5), ("1 май 2024", 5), ("1 июня 2024", 6), ("1 июн 2024", 6),
    ("1 июля 2024", 7), ("1 августа 2024", 8), ("1 сентября 2024", 9), ("1 сент. 2024", 9), ("1 сен 2024", 9),
    ("1 октября 2024", 10), ("1 ноября 2024", 11), ("1 нояб. 2024", 11), ("1 декабря 2024", 12),
    ("1 декабре 2024", 12), ("1 Sept 2024", 9), ("1 September 2024", 9), ("Dec. 1st, 2024", 12),
])
def test_month_names(text: str, month: int) -> None:
    assert parse_date(text) == date(2024, month, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("12 мая 2024, 14:30", datetime(2024, 5, 12, 14, 30)),
    ("12 мая 2024 года в 10:30", datetime(2024, 5, 12, 10, 30)),
    ("12.03.2024 10:15", datetime(2024, 3, 12, 10, 15)),
    ("March 12, 2024 at 5:30", datetime(2024, 3, 12, 5, 30)),
    ("2024-03-12T10:00:00+03:00", datetime(2024, 3, 12, 10, 0, tzinfo=timezone(timedelta(hours=3)))),
    ("2024-03-12T07:00:00Z", datetime(2024, 3, 12, 7, 0, tzinfo=UTC)),
    ("Tue, 12 Mar 2024 10:00:00 +0300", datetime(2024, 3, 12, 10, 0, tzinfo=timezone(timedelta(hours=3)))),
])
def test_times(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "31.02.2024", "30 февраля 2024", "12.13.2024", "2024-02-30", "12.03.1850", "12 марта 2150",
    "в январе 2024", "12 марта", "просмотров: 1208", "", "12 mars 2024 and a long sentence that is no date at all",
    "Телефон: 775-05-30", "ISBN 978-5-7422-2024",
])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Tue, 03/12/2024 - 10:45", datetime(2024, 3, 12, 10, 45)),  # Drupal's US default, English text
    ("Вт, 12/03/2024 - 10:00", datetime(2024, 3, 12, 10, 0)),  # the same format on a Russian site
    ("03/25/2024", date(2024, 3, 25)), ("25/03/2024", date(2024, 3, 25)), ("12/03/2024", MARCH_12),
    ("Posted 03/12/2024", MARCH_12), ("Posted 03.12.2024", date(2024, 12, 3)),
])
def test_slashes_day_or_month_first(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_find_date_takes_the_first_in_a_line() -> None:
    assert find_date("Наука 17 июля 2024 Просмотров: 542, обновлено 18.07.2024") == date(2024, 7, 17)
    assert find_date("Views 1208 · 1 June 2023 · International") == date(2023, 6, 1)
    assert find_date("Номер 31.02.2024 не дата, а 01.03.2024 дата") == date(2024, 3, 1)
    assert find_date("nothing here 123") is None


def test_years_far_from_now_are_refused() -> None:
    this_year = date.today().year
    assert parse_date(f"01.01.{this_year + 1}") == date(this_year + 1, 1, 1)
    assert parse_date(f"01.01.{this_year + 3}") is None
    assert parse_date(f"01.01.{this_year - 60}") is None


def test_to_iso() -> None:
    moscow = timezone(timedelta(hours=3))
    assert to_iso(MARCH_12) == "2024-03-12"
    assert to_iso(datetime(2024, 3, 12, 10, 0)) == "2024-03-12"  # naive without a zone: the date alone
    assert to_iso(datetime(2024, 3, 12, 10, 0), moscow) == "2024-03-12T10:00:00+03:00"
    assert to_iso(datetime(2024, 3, 12, 7, 0, tzinfo=UTC)) == "2024-03-12T07:00:00+00:00"
    assert to_iso(None) is None
