"""Dates as sites write them -> `date`/`datetime` -> ISO 8601 in the site's time zone.

Common exact formats (docs/site-model.md) take a fast path (~µs): RFC 822, ISO, `YYYY.MM.DD`
and "[weekday,] day month year" with month names from dateparser's own locale data. Anything else goes
to dateparser (~ms), restricted to Russian and English and to absolute dates. Garbage gives None, never
an exception.
"""

from __future__ import annotations

import ast
import email.utils
import functools
import importlib.util
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DATE_LANGUAGES = ("ru", "en")
# Numeric forms: YYYY.MM.DD / YYYY-MM-DD / YYYY/MM/DD, and DD.MM.YYYY.
DATE_NUMERIC = re.compile(r"(?<!\d)(?P<y>\d{4})[.\-/](?P<m>\d{1,2})[.\-/](?P<d>\d{1,2})(?!\d)")
DATE_NUMERIC_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)")
UTC_ZONE = ZoneInfo("UTC")
_MAX_LEN = 120  # longer strings are text, not a date: only searched, never handed to dateparser
_SPACES = re.compile(r"\s+")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_WORD = r"[^\W\d_]+"
_DAY_MONTH_YEAR = re.compile(
    rf"(?:(?P<weekday>{_WORD})\.?,?\s+)?(?<!\d)(?P<d>\d{{1,2}})\s+(?P<month>{_WORD})\.?,?\s+(?P<y>\d{{4}})(?!\d)"
    r"(?:\s*г(?:ода?)?\.?)?")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")


@functools.lru_cache(maxsize=1)
def _month_table() -> dict[str, int]:
    """Month names and abbreviations (all grammatical cases) of the site's languages, from dateparser's locales."""
    table: dict[str, int] = {}
    for lang in DATE_LANGUAGES:
        info = _locale_data(lang) or _locale_info(lang)
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in info.get(key, []):
                table[_fold(name).rstrip(".")] = number
    return table


def _locale_data(lang: str) -> dict[str, Any] | None:
    """A base language's `info` literal read from dateparser's data file, without importing dateparser (a
    quarter of a second, paid by the first article of a crawl otherwise); None when the file is not as expected."""
    spec = importlib.util.find_spec("dateparser")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "data" / "date_translation_data" / f"{lang}.py"
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["info"]:
                info = ast.literal_eval(node.value)
                return info if isinstance(info, dict) else None
    except (OSError, SyntaxError, ValueError):
        return None
    return None


def _locale_info(lang: str) -> dict[str, Any]:
    """The locale's data as dateparser itself loads it; {} without this locale (dateparser still parses, slower)."""
    from dateparser.languages.loader import default_loader

    try:
        return default_loader.get_locale(lang).info
    except Exception:  # noqa: BLE001 - whatever an older or newer dateparser raises here
        return {}


@functools.lru_cache(maxsize=4)
def _dateparser(languages: tuple[str, ...]):
    """One DateDataParser per language order: building it costs more than a parse."""
    from dateparser.date import DateDataParser

    settings = {"STRICT_PARSING": True, "PARSERS": ["custom-formats", "absolute-time"],
                "RETURN_AS_TIMEZONE_AWARE": False}
    return DateDataParser(languages=list(languages), settings=settings)


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _make_date(y: str | int, m: str | int, d: str | int) -> date | None:
    try:
        value = date(int(y), int(m), int(d))
    except (ValueError, OverflowError):
        return None
    return value if 1900 <= value.year <= 2100 else None


def _day_month_year(match: re.Match) -> date | None:
    month = _month_table().get(_fold(match["month"]))
    return _make_date(match["y"], month, match["d"]) if month else None


def _fast(text: str) -> date | datetime | None | bool:
    """The site's exact formats; None to fall back to dateparser, False for a known format that is invalid."""
    if _RFC822.match(text):
        try:
            return email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    if text[:4].isdigit():
        match = DATE_NUMERIC.fullmatch(text)
        if match:
            return _make_date(match["y"], match["m"], match["d"]) or False
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return None
        return value.date() if len(text) <= 10 else value
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match and _fold(match["month"]) in _month_table():
        return _day_month_year(match) or False
    return None


def parse_date(text: str, lang: str | None = None) -> date | datetime | None:
    """A date (or a datetime when the text gives a time) from one date string; None if it is not one."""
    if not isinstance(text, str):
        return None
    text = _SPACES.sub(" ", text).strip().strip(",;|")
    if not text or len(text) > _MAX_LEN:
        return None
    value = _fast(text)
    if value is not None:
        return value or None
    languages = (lang, *(x for x in DATE_LANGUAGES if x != lang)) if lang else DATE_LANGUAGES
    try:
        found = _dateparser(tuple(languages)).get_date_data(text).date_obj
    except Exception:  # dateparser's own bugs on odd input must not break a crawl
        return None
    if found is None or not 1900 <= found.year <= 2100:
        return None
    return found if _TIME.search(text) else found.date()


def find_date(text: str) -> date | None:
    """The first date-looking part of a longer text (a meta line "1 June 2023  Science  542"), or None."""
    if not isinstance(text, str):
        return None
    text = _SPACES.sub(" ", text)
    for match in _DAY_MONTH_YEAR.finditer(text):
        value = _day_month_year(match)
        if value:
            return value
    for pattern in (DATE_NUMERIC, DATE_NUMERIC_DMY):
        for match in pattern.finditer(text):
            value = _make_date(match["y"], match["m"], match["d"])
            if value:
                return value
    return None


@functools.lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The time zone called `name` (a profile's or a source's), UTC when unknown."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return UTC_ZONE


def to_iso(value: date | datetime | None, tz: str | None = None) -> str | None:
    """"2023-11-30" for a date, "2024-09-27T12:50:00+03:00" for a datetime in the site's zone `tz`
    (a naive datetime is read as that zone's local time); with no zone, an aware datetime keeps its
    own offset and a naive one is read as UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        where = zone(tz or "UTC")
        if value.tzinfo is None:
            value = value.replace(tzinfo=where)
        elif tz:
            value = value.astimezone(where)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def iso_date(text: str | None, lang: str | None = None, tz: str | None = None) -> str | None:
    """parse_date then to_iso: the one call most parsers need."""
    return to_iso(parse_date(text, lang), tz) if text else None
