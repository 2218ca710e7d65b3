"""storage/queries.py: filters, dates, one article with its versions, streamed export, stats."""

from __future__ import annotations

import types

import pytest

from monitor.errors import ArticleNotFound, QueryError
from storage import queries
from tests.query_fixtures import ARTICLES, EDITED_BODY, open_archive, query_archive  # noqa: F401


@pytest.mark.parametrize("value,end,expected", [
    ("2024", False, "2024-01-01"), ("2024", True, "2025-01-01"),
    ("2024-03", False, "2024-03-01"), ("2024-12", True, "2025-01-01"),
    ("2024-02-29", False, "2024-02-29"), ("2024-02-29", True, "2024-03-01"),
])
def test_parse_date(value: str, end: bool, expected: str) -> None:
    assert queries.parse_date(value, end=end) == expected


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "2023-02-29", "24-01-01", "2024/01/01", ""])
def test_bad_dates_are_query_errors(value: str) -> None:
    with pytest.raises(QueryError, match="bad date"):
        queries.parse_date(value)


@pytest.mark.parametrize("filters,expected", [
    ({}, len(ARTICLES)),
    ({"lang": "en"}, 4),
    ({"source": "spbpu-ru"}, 4),
    ({"section": "international_activities"}, 2),
    ({"topic": "cooperation"}, 3),
    ({"since": "2024"}, 3),
    ({"until": "2023"}, 4),                       # through 2023-12-31
    ({"since": "2023-06-01", "until": "2023-09-01"}, 2),  # both ends inclusive
    ({"lang": "ru", "topic": "cooperation", "since": "2023"}, 1),
])
def test_filters_without_query(query_archive, filters: dict, expected: int) -> None:  # noqa: F811
    db = open_archive(query_archive.path)
    assert len(queries.search(db, None, queries.Filters(**filters), limit=100)) == expected


def test_newest_first_without_query(query_archive) -> None:  # noqa: F811
    hits = queries.search(open_archive(query_archive.path), None, limit=100)
    dated = [h["published"] for h in hits if h["published"]]
    assert dated == sorted(dated, reverse=True)
    assert hits[-1]["published"] is None  # undated articles come last


def test_filters_apply_to_ranked_search(query_archive) -> None:  # noqa: F811
    db = open_archive(query_archive.path)
    hits = queries.search(db, "сотрудничество OR cooperation", queries.Filters(topic="cooperation", lang="ru"))
    assert {h["url"].split("/")[-2] for h in hits} == {"china-cooperation", "coop-title"}
    assert queries.search(db, "china", limit=1)[0]["title"] == "Campus news from China"
    assert len(queries.search(db, "china", limit=2)) == 2


@pytest.mark.parametrize("filters,message", [
    ({"source": "spbpu-xx"}, "unknown source 'spbpu-xx'"),
    ({"section": "nonsense"}, "unknown section 'nonsense'"),
    ({"topic": "football"}, "unknown topic 'football'"),
    ({"lang": "de"}, "unknown language"),
    ({"since": "2024-05-01", "until": "2024-01-01"}, "is after"),
])
def test_check_filters_rejects_unknown_values(query_archive, filters: dict, message: str) -> None:  # noqa: F811
    db = open_archive(query_archive.path)
    with pytest.raises(QueryError, match=message):
        queries.check_filters(db, queries.Filters(**filters), sources=["spbpu-ru", "spbpu-en"])


def test_sections_and_languages_are_what_the_archive_holds(query_archive) -> None:  # noqa: F811
    """Any source may have any sections: filters check the archive, not a list of one site's codes."""
    db = open_archive(query_archive.path)
    queries.check_filters(db, queries.Filters(section="sport", lang="en"))
    with pytest.raises(QueryError, match=r"unknown section 'achievements'; known: .*sport"):
        queries.check_filters(db, queries.Filters(section="achievements"))
    with pytest.raises(QueryError, match=r"unknown language 'de'; known: en, ru"):
        queries.check_filters(db, queries.Filters(lang="de"))


def test_get_article_by_id_and_url(query_archive) -> None:  # noqa: F811
    db = open_archive(query_archive.path)
    article_id = query_archive.ids["china_ru"]
    by_id = queries.get_article(db, str(article_id))
    by_url = queries.get_article(db, by_id["url"].rstrip("/"))  # the trailing slash is optional
    assert by_id == by_url
    assert by_id["body"] == EDITED_BODY and by_id["version"] == 2 and by_id["topics"] == ["cooperation"]
    with pytest.raises(ArticleNotFound):
        queries.get_article(db, "999999")


def test_versions_hold_the_diff_of_the_edit(query_archive) -> None:  # noqa: F811
    history = queries.versions(open_archive(query_archive.path), query_archive.ids["china_ru"])
    assert [v["version"] for v in history] == [1, 2]
    assert history[0]["diff"] is None
    assert "-Стороны договорились о совместных программах двойного диплома." in history[1]["diff"]
    assert "+Стороны договорились о совместных программах двойного диплома и летних школах." in history[1]["diff"]


def test_export_is_a_stream_of_every_field(query_archive) -> None:  # noqa: F811
    rows = queries.iter_export(open_archive(query_archive.path), queries.Filters(lang="ru"))
    assert isinstance(rows, types.GeneratorType)
    first = next(rows)
    assert tuple(first) == queries.EXPORT_FIELDS and first["body"]
    assert 1 + sum(1 for _ in rows) == 4


def test_stats(query_archive) -> None:  # noqa: F811
    data = queries.stats(open_archive(query_archive.path))
    assert data["articles"] == len(ARTICLES) and data["versions"] == len(ARTICLES) + 1
    assert data["by_source"] == {"spbpu-en": 4, "spbpu-ru": 4}
    assert data["by_lang"] == {"en": 4, "ru": 4}
    assert data["by_month"]["2024-03"] == 1 and data["by_month"]["(undated)"] == 1
    assert data["by_topic"] == {"cooperation": 3}
    assert data["last_crawl"]["spbpu-ru"]["outcome"] == "ok"
