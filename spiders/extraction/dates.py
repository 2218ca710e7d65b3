"""Dates as pages write them -> `date` / `datetime`, by regular expressions (µs, no dateparser).

Russian month names in every case and abbreviation (января, январь, январе, янв.), English ones
(12 March 2024, March 12, 2024, Mar. 12th), numeric DD.MM.YYYY, DD.MM.YY, YYYY.MM.DD and ISO 8601,
with or without a weekday, a time or "г.". Impossible dates and years far from now give None.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

_RU_MONTHS = (
    ("январ", "янв"), ("феврал", "фев", "февр"), ("март", "мар"), ("апрел", "апр"), ("ма", "май"),
    ("июн",), ("июл",), ("август", "авг"), ("сентябр", "сен", "сент"), ("октябр", "окт"),
    ("ноябр", "ноя", "нояб"), ("декабр", "дек"))
_RU_ENDINGS = ("ь", "я", "е", "ю", "ём", "ем", "", "а", "у", "ом", "й")
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
_EN_SHORT = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_table() -> dict[str, int]:
    """Every written form of a month -> its number (forms of "май" need care: "ма" alone is no month)."""
    table: dict[str, int] = {}
    for number, (stem, *shorts) in enumerate(_RU_MONTHS, start=1):
        for ending in _RU_ENDINGS:
            if number == 5 and ending in ("", "ь", "ём", "ем", "а", "у", "ом"):
                continue
            table[stem + ending] = number
        for short in shorts:
            table[short] = number
    for number, (name, short) in enumerate(zip(_EN_MONTHS, _EN_SHORT, strict=True), start=1):
        table[name] = table[short] = number
    table["sept"] = 9
    for number, short in ((3, "март"), (5, "мая"), (5, "май"), (8, "август")):
        table[short] = number
    return table


MONTHS = _month_table()
# Any word in the month's place, checked against MONTHS afterwards: an alternation of 160 forms costs 50x more.
_MONTH = r"(?P<month>[^\W\d_]{3,9})\.?"
_TIME = (r"(?:(?:\s*,|\s+в|\s+at|\s*[|/–—-])?\s*(?P<hh>[012]?\d):(?P<mm>[0-5]\d)(?::(?P<ss>[0-5]\d))?"
         r"(?:\s*(?P<tz>Z|GMT|UTC|[+-]\d{2}:?\d{2}))?)?")
_YEAR_WORD = r"(?:\s*(?:г\.|года|год|г(?![^\W\d_])))?"
_PATTERNS = tuple(re.compile(p, re.I) for p in (
    # ISO 8601 (with an optional time and offset)
    r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::(?P<ss>\d{2})"
    r"(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?![\d])",
    # 12 марта 2024 г., 12 March 2024, вторник, 12 марта 2024, 12:30
    r"(?<![\d.])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>\d{4})(?!\d)"
    + _YEAR_WORD + _TIME,
    # March 12, 2024; Mar. 12th 2024
    r"(?<![^\W\d_])" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)" + _TIME,
    # 2024.03.12, 2024/03/12
    r"(?<![\d.])(?P<y>\d{4})[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})(?![\d.]*\d)" + _TIME,
    # 12.03.2024, 12/03/2024, 12-03-2024 (day first, as Russian and European sites write; see _month_first)
    r"(?<![\d.])(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d.]*\d)" + _YEAR_WORD + _TIME,
    # 12.03.24
    r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{2})\.(?P<yy>\d{2})(?![\d.]*\d)" + _TIME,
))
_LABEL = re.compile(r"^[^\d:]{1,40}:\s*")  # "Опубликовано: ", "Date: "
_DIGIT = re.compile(r"\d")
_CYRILLIC = re.compile("[а-яё]", re.I)
_LATIN = re.compile("[a-z]", re.I)
_MAX_LEN = 200  # a date string; longer text is searched with find_date
_PAST_YEARS = 40


def _plausible_year(year: int) -> bool:
    this_year = date.today().year
    return this_year - _PAST_YEARS <= year <= this_year + 1


def _month_first(match: re.Match) -> bool:
    """Whether "03/12/2024" is March 12: slashes in English text (Drupal's and WordPress's US formats),
    or a second number above 12. Dots and Cyrillic text keep the day first."""
    if match.groupdict().get("sep") != "/":
        return False
    day, month = int(match["d"]), int(match["m"])
    if month > 12 >= day:
        return True
    if day > 12 or month > 12:
        return False
    text = match.string
    return not _CYRILLIC.search(text) and bool(_LATIN.search(text))


def _value(match: re.Match) -> date | datetime | None:
    """The date (or datetime, when a time is given) a pattern matched; None when impossible."""
    groups = match.groupdict()
    month = MONTHS.get(groups["month"].casefold().replace("ё", "е")) if groups.get("month") else None
    if groups.get("month") and month is None:
        return None
    year = int(groups["y"]) if groups.get("y") else 2000 + int(groups["yy"])
    first, second = (int(groups["d"]), int(groups["m"])) if _month_first(match) else (None, None)
    try:
        day = date(year, first or month or int(groups["m"]), second or int(groups["d"]))
    except (ValueError, TypeError):
        return None
    if not _plausible_year(year):
        return None
    if groups.get("hh") is None:
        return day
    try:
        value = datetime(day.year, day.month, day.day, int(groups["hh"]), int(groups["mm"]),
                         int(groups.get("ss") or 0))
    except ValueError:
        return day
    return value.replace(tzinfo=_offset(groups.get("tz")))


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text.upper() in ("Z", "GMT", "UTC"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _matches(text: str):
    for pattern in _PATTERNS:
        yield from pattern.finditer(text)


def parse_date(text: str) -> date | datetime | None:
    """The date a short date string gives (a datetime when it gives a time too); None if it gives none.

    The whole string must be a date, give or take a weekday, "г.", a label ("Опубликовано:") and punctuation.
    """
    if not isinstance(text, str):
        return None
    text = _LABEL.sub("", " ".join(text.split())).strip(" ,;|()[]")
    if not text or len(text) > _MAX_LEN or not _DIGIT.search(text):
        return None
    for pattern in _PATTERNS:  # the first pattern that reads most of the string decides
        for match in pattern.finditer(text):
            if match.end() - match.start() >= len(text) * 0.5:
                value = _value(match)
                if value is not None:
                    return value
    return None


def find_date(text: str) -> date | None:
    """The first date anywhere in a longer text (a meta line, a paragraph), or None."""
    if not isinstance(text, str) or not text:
        return None
    text = " ".join(text.split())
    found: list[tuple[int, date]] = []
    for match in _matches(text):
        value = _value(match)
        if value is not None:
            found.append((match.start(), value.date() if isinstance(value, datetime) else value))
    return min(found, key=lambda item: item[0])[1] if found else None


def to_iso(value: date | datetime | None, tz: timezone | None = None) -> str | None:
    """ISO 8601: a date as YYYY-MM-DD; a datetime with its offset (a naive one takes tz, else stays a date)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            if tz is None:
                return value.date().isoformat()
            value = value.replace(tzinfo=tz)
        return value.isoformat(timespec="seconds")
    return value.isoformat()
