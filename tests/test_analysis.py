"""An article analysed where its page was read (monitor.analysis, a parse worker): the archive stores that
analysis only when it fits the text stored and was matched against the same topics, else computes its own."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from monitor.alerts import make_on_stored
from monitor.analysis import Analysis, TopicRules, analyse, topics_digest
from monitor.topics import Match, load_topics, match_article
from spiders.items import Article
from spiders.pipelines import NormalisePipeline
from storage import archive
from storage.db import connect
from storage.diff import fingerprint
from storage.lemmas import index_texts
from tests.monitor_fixtures import COOP_RU, make_config

TITLE, BODY = COOP_RU
MARKED = ("меткатитул", "меткатело", "=метка")  # index texts no real text gives: proof an analysis was used


def article(title: str = TITLE, body: str = BODY, analysis: Analysis | None = None) -> Article:
    return Article(url="https://www.spbstu.ru/media/news/partnership/a/", source="spbpu-ru", lang="ru",
                   section="partnership", section_name="Партнёрство", title=title, body=body,
                   published="2024-09-27", fingerprint=fingerprint(title, body, "2024-09-27"), analysis=analysis)


def marked(digest: str, title: str = TITLE, body: str = BODY) -> Analysis:
    return Analysis(title, body, "partnership", "Партнёрство", MARKED,
                    (Match("cooperation", 9.5, True, ["меткаслово"]),), digest)


def store(tmp_path: Path, *items: Article) -> tuple[list[tuple[str, ...]], list[dict[str, Any]]]:
    """Store the items in order; the article's search-index row and topic rows after the last."""
    config = make_config(tmp_path)
    db = connect(config.db_path)
    try:
        on_stored = make_on_stored(config, alerts_enabled=False)
        for one in items:
            stored = archive.store(db, one, on_stored=on_stored)
        fts = db.execute("SELECT title, body, forms FROM articles_fts WHERE rowid = ?", [stored.article_id]).fetchone()
        return list(fts), list(db.query("SELECT topic, score, terms FROM article_topics"))
    finally:
        db.close()


def test_an_analysis_that_fits_is_stored_as_it_came(tmp_path: Path) -> None:
    digest = topics_digest(load_topics(make_config(tmp_path)))
    fts, topics = store(tmp_path, article(analysis=marked(digest)))
    assert tuple(fts) == MARKED
    assert [(t["topic"], t["score"], json.loads(t["terms"])) for t in topics] == [("cooperation", 9.5, ["меткаслово"])]


def test_a_changed_version_uses_its_analysis_too(tmp_path: Path) -> None:
    digest = topics_digest(load_topics(make_config(tmp_path)))
    body = BODY + "\n\nДобавлен абзац."
    fts, topics = store(tmp_path, article(), article(body=body, analysis=marked(digest, body=body)))
    assert tuple(fts) == MARKED and json.loads(topics[0]["terms"]) == ["меткаслово"]


def test_an_analysis_of_another_text_is_not_used(tmp_path: Path) -> None:
    """Learned chrome taken out after the worker read the page, another extractor's text: computed here."""
    digest = topics_digest(load_topics(make_config(tmp_path)))
    fts, topics = store(tmp_path, article(analysis=marked(digest, body=BODY + " Меню сайта.")))
    assert tuple(fts) == index_texts(TITLE, BODY)
    assert topics and topics[0]["topic"] == "cooperation" and "меткаслово" not in topics[0]["terms"]


@pytest.mark.parametrize("other", [{"section": "sport"}, {"section_name": "Спорт"}, {"title": TITLE + "!"}])
def test_an_analysis_of_another_section_or_title_is_not_used(tmp_path: Path, other: dict[str, str]) -> None:
    """The section is evidence for topics, so an analysis made under another section (or title) does not fit."""
    digest = topics_digest(load_topics(make_config(tmp_path)))
    analysis = dataclasses.replace(marked(digest), **other)
    fts, topics = store(tmp_path, article(analysis=analysis))
    assert tuple(fts) == index_texts(TITLE, BODY)
    assert topics and "меткаслово" not in topics[0]["terms"]


def test_matches_against_other_topics_are_not_used(tmp_path: Path) -> None:
    """The index texts fit (they do not depend on topics); the matches were made with other topic rules."""
    other = topics_digest(load_topics(make_config(tmp_path, topics={"labs": {"terms": ["лаборатория"]}})))
    fts, topics = store(tmp_path, article(analysis=marked(other)))
    assert tuple(fts) == MARKED
    assert topics and "меткаслово" not in topics[0]["terms"]


def test_a_worker_analyses_the_text_the_normaliser_will_store(tmp_path: Path) -> None:
    """analyse() normalises as NormalisePipeline does, so a page with messy whitespace still fits."""
    topics = load_topics(make_config(tmp_path))
    title, body = f"  {TITLE}\u00a0 ", "  " + BODY.replace(". ", ".\u00a0\u00a0 ").replace("\n\n", "\n \n\n\r\n")
    analysis = analyse(title, body, "partnership", " Партнёрство\u00a0", TopicRules.of(topics))
    item = NormalisePipeline().process_item(article(title, body))
    row = archive.article_row(item)
    assert analysis.fits(row) and row["body"] != body
    assert analysis.texts == index_texts(row["title"], row["body"])
    assert list(analysis.matches) == match_article(topics.values(), row["title"], row["body"], "partnership",
                                                   row["section_name"])


def test_the_normaliser_takes_a_worker_s_normalised_texts(tmp_path: Path) -> None:
    """The worker normalised the very texts the spider kept with it (spiders.news): not done twice."""
    digest = topics_digest(load_topics(make_config(tmp_path)))
    item = NormalisePipeline().process_item(article("  сырой  заголовок ", "сырое  тело", marked(digest, "Т", "Б")))
    assert (item.title, item.body, item.section_name) == ("Т", "Б", "Партнёрство")
    assert item.fingerprint == fingerprint("Т", "Б", "2024-09-27")


def test_the_topics_digest_follows_the_rules_not_the_objects(tmp_path: Path) -> None:
    first, second = load_topics(make_config(tmp_path)), load_topics(make_config(tmp_path))
    first["cooperation"].terms[0].keys  # noqa: B018  (a topic that has matched carries cached keys: same rules)
    assert topics_digest(first) == topics_digest(second)
    changed = load_topics(make_config(tmp_path, topics={"cooperation": {"threshold": 9}}))
    assert topics_digest(changed) != topics_digest(first)


def test_the_spiders_of_a_batch_share_one_topics_object(tmp_path: Path) -> None:
    """A batch of a thousand sources shares one topic rules object (each worker unpickles it once)."""
    from monitor import config as config_mod
    from monitor.analysis import crawl_topics

    path = tmp_path / "newsmon.toml"
    path.write_text(f'[storage]\npath = "{tmp_path / "n.db"}"\n', encoding="utf-8")
    config_mod.share(config_mod.load(path))
    settings = {"NEWSMON_CONFIG_PATH": str(path)}
    assert crawl_topics(settings) is crawl_topics(settings)
