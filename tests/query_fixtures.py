"""Small archives for the query tests, written through storage.archive.store like a crawl would.

Each article is chosen to prove one search behaviour (word forms, title vs body, filters, an edit).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from storage.archive import store
from storage.db import connect
from storage.diff import fingerprint

RU = "https://www.spbstu.ru/media/news"
EN = "https://english.spbstu.ru/media/news"

ARTICLES: list[dict[str, Any]] = [
    {"key": "china_ru", "url": f"{RU}/international_activities/china-cooperation/", "source": "spbpu-ru",
     "lang": "ru", "section": "international_activities", "published": "2024-03-15",
     "title": "Политех расширяет связи с Китаем",
     "body": "Университет подписал соглашение о развитии сотрудничества с Харбинским политехническим "
             "университетом.\n\nСтороны договорились о совместных программах двойного диплома."},
    {"key": "grant_ru", "url": f"{RU}/nauka_i_innovatsii/grant/", "source": "spbpu-ru", "lang": "ru",
     "section": "nauka_i_innovatsii", "published": "2023-06-01",
     "title": "Учёные получили грант на исследования",
     "body": "Грант поможет сотрудничеству лабораторий.\n\nИсследования материалов продолжатся в 2024 году."},
    {"key": "coop_title_ru", "url": f"{RU}/partnership/coop-title/", "source": "spbpu-ru", "lang": "ru",
     "section": "partnership", "published": "2022-11-20",
     "title": "Сотрудничество с индустриальными партнёрами",
     "body": "Компании и университет обсудили новые проекты.\n\nВстреча прошла в главном здании."},
    {"key": "sport_ru", "url": f"{RU}/sport/regatta/", "source": "spbpu-ru", "lang": "ru", "section": "sport",
     "published": "2024-05-10", "title": "Студенты выиграли регату",
     "body": "Команда Политеха заняла первое место на регате в Кронштадте."},
    {"key": "agreement_en", "url": f"{EN}/international_activities/agreement-china/", "source": "spbpu-en",
     "lang": "en", "section": "international_activities", "published": "2024-02-02",
     "title": "Polytech signs an agreement with a Chinese university",
     "body": "The agreement covers student exchange and joint research.\n\nCooperation with China grows."},
    {"key": "degree_en", "url": f"{EN}/education/double-degree/", "source": "spbpu-en", "lang": "en",
     "section": "education", "published": "2023-09-01", "title": "New double degree programmes",
     "body": "Students can now earn a double degree with partner universities in Europe.\n\n"
             "Several agreements were signed this year."},
    {"key": "covid_en", "url": f"{EN}/other/covid-china/", "source": "spbpu-en", "lang": "en", "section": "other",
     "published": "2021-01-15", "title": "Campus news from China",
     "body": "COVID-19 restrictions changed how students from China travel to the campus."},
    {"key": "undated_en", "url": f"{EN}/other/undated/", "source": "spbpu-en", "lang": "en", "section": "other",
     "published": None, "title": "An undated note", "body": "A short note about the library opening hours."},
]
TOPICS = {"china_ru": 0.9, "agreement_en": 0.8, "coop_title_ru": 0.6}
EDITED_BODY = ("Университет подписал соглашение о развитии сотрудничества с Харбинским политехническим "
               "университетом.\n\nСтороны договорились о совместных программах двойного диплома и летних школах.")


def item(spec: dict[str, Any]) -> dict[str, Any]:
    """An archive item from a spec: the Article fields plus its fingerprint."""
    data = {k: v for k, v in spec.items() if k != "key"}
    data.setdefault("section_name", data["section"])
    data["fingerprint"] = fingerprint(data["title"], data["body"], data["published"])
    return data


def build_archive(path: Path, *, edit: bool = True, crawl: bool = True) -> dict[str, int]:
    """Write the sample archive at `path`; returns {key: article id}. With edit, china_ru has a 2nd version."""
    db = connect(path)
    ids: dict[str, int] = {}
    for spec in ARTICLES:
        ids[spec["key"]] = store(db, item(spec), seen_at="2024-06-01T10:00:00+00:00").article_id
    with db.atomic():
        for key, score in TOPICS.items():
            db.execute("INSERT INTO article_topics (article_id, topic, score, terms) VALUES (?, 'cooperation', ?, '[]')",
                       [ids[key], score])
        if crawl:
            db.execute("INSERT INTO crawl_runs (source, mode, started, finished, outcome, new)"
                       " VALUES ('spbpu-ru', 'incremental', '2024-06-01T10:00:00+00:00', '2024-06-01T10:01:00+00:00',"
                       " 'ok', 4)")
    if edit:
        china = next(s for s in ARTICLES if s["key"] == "china_ru")
        store(db, item({**china, "body": EDITED_BODY}), seen_at="2024-06-02T10:00:00+00:00")
    db.conn.close()
    return ids


def open_archive(path: Path) -> sqlite_utils.Database:
    """The archive read-only, as the query commands open it."""
    return connect(path, readonly=True)


@dataclass
class QueryArchive:
    """A built sample archive: its file, article ids by key, and a newsmon.toml pointing at it."""

    path: Path
    ids: dict[str, int]
    config: Path


def make_query_archive(root: Path) -> QueryArchive:
    """Build the sample archive under `root` with a config naming it (the cooperation topic configured)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "newsmon.db"
    ids = build_archive(path)
    config = root / "newsmon.toml"
    config.write_text(f'[storage]\npath = "{path}"\nmaildir = "{root / "maildir"}"\n\n'
                      '[topics.cooperation]\nterms = ["сотрудничество", "cooperation"]\n', encoding="utf-8")
    return QueryArchive(path, ids, config)


@pytest.fixture(scope="module")
def query_archive(tmp_path_factory: pytest.TempPathFactory) -> QueryArchive:
    """The sample archive, built once per test module."""
    return make_query_archive(tmp_path_factory.mktemp("query"))
