"""Fault mode: broken pages linked from the Russian all-news listing page 1 (and only there).

Each fault is a ground-truth row with `fault` (a code) and `expect`: stored, stored_no_date, dropped,
error or skipped. Decisions worth knowing:
- wrong-charset: the header says iso-8859-1, the meta says utf-8. A browser (WHATWG encoding sniffing:
  BOM > Content-Type charset > meta) and Scrapy/w3lib both use the header, so the page reads as
  windows-1252 mojibake ("Zürich" -> "ZÃ¼rich"). expect "stored", body = that mojibake; `alt_body` holds
  the meta-declared reading for a crawler that deliberately prefers it.
- short-body: Content-Length promises the full page, the connection closes half way. Scrapy's default
  DOWNLOAD_FAIL_ON_DATALOSS=True makes this an error; expect "error".
- 500-once and 503-once fail on every odd request to their URL, so each crawl's retry recovers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tests.replay.model import Spec, parse_when

BASE = "/media/news/other/"
HUGE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Fault:
    """One broken item: its card on the listing, how its URL answers, what a correct crawler does."""

    code: str
    title: str
    card_when: datetime | None
    expect: str
    lang: str = "ru"                 # language of the page's text

    @property
    def slug(self) -> str:
        return f"replay-fault-{self.code}"

    @property
    def path(self) -> str:
        return f"{BASE}{self.slug}/"

    def spec(self) -> Spec:
        """The article behind a content fault (also used for pages that answer after a failure)."""
        when = self.card_when or parse_when("2024-09-14 12:00")
        kind = "science" if self.lang == "ru" else "delegation_in"
        params = ({"field": "надёжности программного обеспечения"} if self.lang == "ru"
                  else {"p": "ETH Zürich", "city": "Zürich", "head": "the Vice-Rector — a café regular"})
        return Spec(self.lang, "other", self.slug, self.title, when, kind, False, params)


def _f(code: str, title: str, when: str | None, expect: str, lang: str = "ru") -> Fault:
    return Fault(code, title, parse_when(when) if when else None, expect, lang)


FAULTS = [
    # no h1: its title still stands in og:title, so the generic path keeps the article (nothing is dropped
    # while a title and a body can be found)
    _f("no-h1", "Страница без заголовка", "2024-09-15 10:00", "stored"),
    _f("empty-body", "Новость без текста", "2024-09-15 10:05", "dropped"),
    _f("garbage-date", "Новость с испорченной датой", "2024-09-15 10:10", "stored"),
    _f("garbage-date-nocard", "Новость с испорченной датой без даты в карточке", None, "stored_no_date"),
    _f("truncated-html", "Новость, оборванная посередине", "2024-09-15 10:20", "stored"),
    _f("500-once", "Новость, которая отвечает 500 через раз", "2024-09-15 10:25", "stored"),
    _f("500-always", "Новость, которая всегда отвечает 500", "2024-09-15 10:30", "error"),
    _f("503-once", "Новость, которая отвечает 503 через раз", "2024-09-15 10:35", "stored"),
    _f("404", "Удалённая новость", "2024-09-15 10:40", "error"),
    _f("redirect-offsite", "Новость с переадресацией на чужой сайт", "2024-09-15 10:45", "skipped"),
    _f("redirect-loop", "Новость с бесконечной переадресацией", "2024-09-15 10:50", "error"),
    _f("cp1251", "Новость в кодировке windows-1251", "2024-09-15 10:55", "stored"),
    _f("wrong-charset", "Delegation from ETH Zürich visited SPbPU — café talks", "2024-09-15 11:00", "stored", "en"),
    _f("no-charset", "Новость без кодировки в заголовке", "2024-09-15 11:05", "stored"),
    _f("malformed", "Новость с незакрытыми тегами", "2024-09-15 11:10", "stored"),
    _f("slow", "Медленная новость", "2024-09-15 11:15", "error"),
    _f("reset", "Новость с обрывом соединения", "2024-09-15 11:20", "error"),
    _f("short-body", "Новость короче заявленной длины", "2024-09-15 11:25", "error"),
    _f("huge", "Новость на двадцать мегабайт", "2024-09-15 11:30", "error"),
    _f("robots", "Новость, закрытая в robots.txt", "2024-09-15 11:35", "skipped"),
]
BY_SLUG = {f.slug: f for f in FAULTS}
OFFSITE = "http://evil.example.invalid/media/news/other/replay-fault-redirect-offsite/"
GARBAGE_DATE = "31 Брюмера 20ХХ"

MALFORMED_CONTENT = """<p class="lead"><b>Эта страница свёрстана с ошибками: теги не закрыты.
<p>Первый абзац без закрывающего тега, в нём <b>жирный текст без конца.
<p>Второй абзац тоже не закрыт, но браузер всё равно покажет его отдельно.
<ul><li>первый пункт<li>второй пункт</ul>
<p>Последний абзац перед концом документа.
"""
MALFORMED_TEXT = ["Эта страница свёрстана с ошибками: теги не закрыты.",
                  "Первый абзац без закрывающего тега, в нём жирный текст без конца.",
                  "Второй абзац тоже не закрыт, но браузер всё равно покажет его отдельно.",
                  "первый пункт", "второй пункт", "Последний абзац перед концом документа."]


def robots_lines(faults: bool) -> list[str]:
    """robots.txt: everything allowed but Bitrix internals; with faults, one article path too."""
    lines = ["User-agent: *", "Disallow: /bitrix/", "Disallow: /personal/", "Disallow: /search/",
             "Disallow: /auth/"]
    if faults:
        lines.append(f"Disallow: {BASE}replay-fault-robots/")
    return lines
