"""The cooperation topic and user topics: stems, prefixes, phrases, sections, config edits."""

from __future__ import annotations

import json

import pytest

from monitor.topics import Document, Term, load_topics, match_article
from storage.db import connect
from tests.monitor_fixtures import COOP_EN, COOP_RU, OTHER_RU, archive_items, article, make_config


@pytest.fixture
def topics(tmp_path):
    return load_topics(make_config(tmp_path))


@pytest.mark.parametrize(("title", "body", "section", "expected"), [
    (*COOP_RU, "other", True),
    (*COOP_EN, "other", True),
    (*OTHER_RU, "sport", False),
    ("Делегация Университета Цинхуа посетила Политех", "Гости обсудили развитие сотрудничества.", "other", True),
    ("Визита ждали давно", "Партнёры из Китая приехали в Политех.", "international_activities", True),
    ("The team won the first match", "Team cooperation on the court was the key to success.", "sport", False),
    ("Schoolchildren paid a visit to the university", "Such visits help choose a profession.", "other", False),
    ("Сотрудники библиотеки открыли выставку", "Сотрудник музея рассказал об истории.", "other", False),
    ("Partnership days in Samarkand", "Polytechnic took part in the forum.", "international_activities", True),
])
def test_cooperation_examples(topics, title, body, section, expected):
    matched = match_article(topics.values(), title, body, section)
    assert bool(matched) is expected, matched


def test_word_forms_meet_on_stems():
    doc = Document.of("", "Соглашении о сотрудничестве; agreements and partnerships", None)
    for spec in ("соглашение", "сотрудничество", "agreement", "partnership"):
        assert doc.has(Term.parse(spec))[0], spec


def test_prefix_terms_match_raw_word_starts():
    term = Term.parse("визит*")
    assert Document.of("", "после визита делегации", None).has(term) == (True, False)
    assert Document.of("", "оформление визы", None).has(term) == (False, False)


def test_match_reports_terms_sections_and_phrases(topics):
    (match,) = match_article(topics.values(), "SPbPU signs memorandum of understanding", "A joint school.",
                             "international_activities")
    assert {"memorandum", "memorandum of understanding", "joint", "section:international_activities"} <= set(match.terms)
    assert match.score >= topics["cooperation"].threshold


def test_config_adds_removes_and_defines_topics(tmp_path):
    config = make_config(tmp_path, topics={
        "cooperation": {"add": ["стажировка", "section:education", "double degree"], "remove": ["joint", "визит*"]},
        "ai": {"terms": ["нейросеть", "ai^2"], "threshold": 2.0, "label": "AI"},
    })
    topics = load_topics(config)
    coop = topics["cooperation"]
    texts = [t.text for t in coop.terms]
    assert "стажировка" in texts and "joint" not in texts and "визит*" not in texts
    assert "education" in coop.sections and [{"double"}, {"degree"}] in [p.run for p in coop.phrases]
    (match,) = match_article([topics["ai"]], "AI in medicine", "Нейросети помогают врачам.", None)
    assert match.topic == "ai" and set(match.terms) == {"AI", "Нейросети"}  # the article's words as written


def test_on_stored_writes_article_topics(tmp_path):
    config = make_config(tmp_path)
    stored = archive_items(config, [article(1, *COOP_RU), article(2, *OTHER_RU)], alerts=False)
    rows = list(connect(config.db_path).query("SELECT * FROM article_topics"))
    assert [r["article_id"] for r in rows] == [stored[0].article_id]
    assert rows[0]["topic"] == "cooperation" and "соглашение" in json.loads(rows[0]["terms"])


def test_section_name_in_the_text_is_not_evidence(topics):
    body = "Конкурс молодых дизайнеров.\n\nБольше новостей — в разделе «Партнёрство»."
    assert match_article(topics.values(), "Стартовал конкурс", body, "partnership", "Партнёрство") == []
    assert match_article(topics.values(), "Стартовал конкурс", body, "partnership")  # the raw text would match


def test_cooperation_precision_recall(topics, capsys):
    """The built-in topic over the replay's labelled articles (both states): target P >= 0.9, R >= 0.95."""
    from tests.replay import ReplaySite

    rows: dict[tuple[str, str], dict] = {}
    for state in (1, 2):
        with ReplaySite(state=state) as site:
            rows.update({(r["lang"], r["path"]): r for r in site.ground_truth() if r.get("body")})
    hits = misses = false_alarms = 0
    report = []
    for row in rows.values():
        matched = bool(match_article(topics.values(), row["title"], row["body"], row["section"], row["section_name"]))
        if matched and row["cooperation"]:
            hits += 1
        elif matched:
            false_alarms += 1
            report.append(f"false positive: [{row['lang']}/{row['section']}] {row['title']}")
        elif row["cooperation"]:
            misses += 1
            report.append(f"missed: [{row['lang']}/{row['section']}] {row['title']}")
    precision = hits / max(1, hits + false_alarms)
    recall = hits / max(1, hits + misses)
    with capsys.disabled():
        print(f"\ncooperation topic over {len(rows)} replay articles: precision {precision:.3f}, recall {recall:.3f}"
              f" ({hits} hits, {false_alarms} false positives, {misses} misses)")
        for line in report:
            print("  " + line)
    assert hits > 20
    assert precision >= 0.9 and recall >= 0.95, report
