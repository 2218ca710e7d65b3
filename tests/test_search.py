"""storage/search.py: the query language over the stemmed index, its errors, and snippets."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.errors import QueryError
from storage import queries
from storage.search import parse, snippet, to_fts
from tests.query_fixtures import open_archive, query_archive  # noqa: F401


def titles(archive, query: str, **filters) -> list[str]:  # noqa: ANN001
    db = open_archive(archive.path)
    return [h["title"] for h in queries.search(db, query, queries.Filters(**filters))]


def keys(archive, query: str) -> set[str]:  # noqa: ANN001
    db = open_archive(archive.path)
    by_id = {v: k for k, v in archive.ids.items()}
    return {by_id[db.execute("SELECT id FROM articles WHERE url = ?", [h["url"]]).fetchone()[0]]
            for h in queries.search(db, query)}


@pytest.mark.parametrize("query,expected", [
    ("сотрудничество", {"china_ru", "grant_ru", "coop_title_ru"}),   # сотрудничества, сотрудничеству, title
    ("сотрудничеству", {"china_ru", "grant_ru", "coop_title_ru"}),
    ("agreements", {"agreement_en", "degree_en"}),                    # agreement, agreements
    ("agreement", {"agreement_en", "degree_en"}),
    ("Китай", {"china_ru"}),                                          # Китаем
    ("китае", {"china_ru"}),
    ('"double degree"', {"degree_en"}),
    ('"двойные дипломы"', {"china_ru"}),                              # двойного диплома
    ('"совместные программы"', {"china_ru"}),                         # совместных программах
    ('"degree double"', set()),                                       # a phrase keeps its order
    ("сотруд*", {"china_ru", "grant_ru", "coop_title_ru"}),
    ("agree*", {"agreement_en", "degree_en"}),
    ("china AND agreement", {"agreement_en"}),
    ("china agreement", {"agreement_en"}),
    ("china OR китай", {"china_ru", "agreement_en", "covid_en"}),
    ("china NOT covid", {"agreement_en"}),
    ("(china OR китай) NOT covid", {"china_ru", "agreement_en"}),
    ("регата", {"sport_ru"}),                                         # регату
    ("nothingmatchesthis", set()),
])
def test_stemmed_search_finds_word_forms(query_archive, query: str, expected: set[str]) -> None:  # noqa: F811
    assert keys(query_archive, query) == expected


def test_title_outranks_body(query_archive) -> None:  # noqa: F811
    # coop_title_ru has the word once in its title; the others only in their bodies
    assert titles(query_archive, "сотрудничество")[0] == "Сотрудничество с индустриальными партнёрами"
    assert titles(query_archive, "china")[0] == "Campus news from China"


@pytest.mark.parametrize("query,reason", [
    ('"unbalanced', "unbalanced quote"),
    ("NOT", "NOT needs"),
    ("NOT covid", "NOT needs"),
    ("a AND", "AND needs"),
    ("OR a", "OR needs"),
    ("a OR OR b", "OR needs"),
    ("*", "'*' needs a word"),
    ("** china", "'*' needs a word"),
    ('a"b', "unbalanced quote"),
    ("(china", "unbalanced parenthesis"),
    ("china)", "unbalanced parenthesis"),
    ("()", "parentheses"),
    ('""', "nothing to search for"),
    ("!!! ---", "nothing to search for"),
    ("", "empty query"),
    ("x" * 1001, "too long"),
])
def test_unreadable_queries_explain_in_one_line(query: str, reason: str) -> None:
    with pytest.raises(QueryError) as info:
        parse(query)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("query", [
    "'; DROP TABLE articles; --", 'title:china', "NEAR(china korea)", "china^2", "{title}: x",
    "rowid = 1 OR 1=1", "china -covid", "COVID-19", "china*", "'quoted' words",
])
def test_hostile_queries_become_quoted_terms(query_archive, query: str) -> None:  # noqa: F811
    fts = to_fts(query).replace("{title body} :", "").replace("forms :", "")  # the columns we emit
    rest = re.sub(r'"(?:[^"]|"")*"\*?', " TERM ", fts).replace("(", " ( ").replace(")", " ) ").split()
    assert set(rest) <= {"TERM", "(", ")", "AND", "OR", "NOT"}, fts
    queries.search(open_archive(query_archive.path), query)  # runs without an SQL error


def test_operators_are_upper_case_only() -> None:
    assert to_fts("china and korea") == '{title body} : (("china" AND "and" AND "korea"))'
    assert to_fts("china OR korea") == '{title body} : (("china" OR "korea"))'


def test_snippet_marks_matched_word_forms() -> None:
    text = "Политех развивает сотрудничество. Сотрудничеству с Китаем рады все: китайские партнёры."
    out = snippet(text, parse("сотрудничества Китай"))
    assert "[сотрудничество]" in out and "[Сотрудничеству]" in out and "[Китаем]" in out
    assert "[китайские]" not in out  # another stem
    assert snippet(text, parse("сотрудничества NOT китайские")).count("[") == 2  # excluded words unmarked


def test_snippet_is_a_window_around_the_hits() -> None:
    filler = " ".join(f"слово{i}" for i in range(200))
    out = snippet(f"{filler} международное сотрудничество растёт. {filler}", parse("сотрудничество"), width=12)
    assert out.startswith("…") and out.endswith("…")
    assert "[сотрудничество]" in out and len(out.split()) <= 13


def test_search_snippets_come_from_the_original_text(query_archive) -> None:  # noqa: F811
    db = open_archive(query_archive.path)
    hit = queries.search(db, "agreements")[0]
    assert hit["snippet"].startswith("The [agreement] covers")  # original case and form, not the stem
    degree = next(h for h in queries.search(db, "agreements signed") if "double-degree" in h["url"])
    assert "Several [agreements] were [signed] this year" in degree["snippet"]


@pytest.mark.parametrize("query,expected", [
    ('="Китаем"', {"china_ru"}),                   # the form itself
    ('="Китай"', set()),                            # no article has the nominative
    ('="сотрудничества"', {"china_ru"}),           # not сотрудничеству (grant_ru) nor the title's form
    ('="agreements"', {"degree_en"}),
    ('="двойного диплома"', {"china_ru"}),          # an exact phrase
    ('="двойной диплом"', set()),
    ('="Китаем" OR регата', {"china_ru", "sport_ru"}),
    ("=Китаем", {"china_ru"}),
])
def test_exact_form_search(query_archive, query: str, expected: set[str]) -> None:  # noqa: F811
    assert keys(query_archive, query) == expected


def test_exact_form_snippet_marks_only_that_form() -> None:
    text = "Сотрудничество с Китаем. Китай и Китая."
    assert snippet(text, parse('="Китая"')) == "Сотрудничество с Китаем. Китай и [Китая]."


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('=*"() ANDORNOT китайstaliёЁ-_:^{}')), max_size=40))
def test_any_query_is_a_search_or_one_line_error(query_archive, query: str) -> None:  # noqa: F811
    db = open_archive(query_archive.path)
    try:
        queries.search(db, query)
    except QueryError as exc:
        assert "\n" not in str(exc)


def test_title_group_keeps_not_over_the_whole_article(tmp_path) -> None:  # noqa: ANN001
    """Without NOT the title group is asked for by the title alone; with NOT, a word excluded from the body
    still excludes an article whose title matches."""
    from storage.db import connect
    from storage.fts import index_article

    db = connect(tmp_path / "newsmon.db")
    for aid, title, body in [(1, "China talks", "covid rules"), (2, "China trade", "ports"), (3, "Ports", "china")]:
        db.execute("INSERT INTO articles (id, url, source, lang, title, body, fingerprint, first_seen, last_seen,"
                   " updated) VALUES (?, ?, 's', 'en', ?, ?, ?, 't', 't', 't')", [aid, f"u{aid}", title, body, aid])
        index_article(db, aid, title, body)
    db.conn.commit()
    assert [h["url"] for h in queries.search(db, "china NOT covid")] == ["u2", "u3"]
    assert [h["url"] for h in queries.search(db, "china")][2:] == ["u3"]
