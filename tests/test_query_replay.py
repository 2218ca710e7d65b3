"""The query side over a real crawled archive of the replay (both states, edited article included)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import feedparser
import pytest

from storage.db import connect
from tests.conftest import run_newsmon


@pytest.fixture(scope="module")
def config(crawled_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("q") / "newsmon.toml"
    path.write_text(f'[storage]\npath = "{crawled_archive}"\n', encoding="utf-8")
    return path


def urls_containing(archive: Path, word: str) -> set[str]:
    """Articles whose text holds exactly this word form (case-insensitive, whole word)."""
    db = connect(archive, readonly=True)
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    return {r["url"] for r in db.query("SELECT url, title, body FROM articles")
            if pattern.search(r["title"] + "\n" + r["body"])}


def search_urls(config: Path, query: str) -> set[str]:
    out = run_newsmon(config, "search", query, "--limit", "1000", "--format", "jsonl").stdout
    return {json.loads(line)["url"] for line in out.splitlines() if line.strip()}


@pytest.mark.parametrize("query,forms", [
    ("сотрудничество", ["сотрудничества", "сотрудничеству"]),
    ("agreements", ["agreement"]),
    ("Китай", ["Китаем"]),
])
def test_word_forms_meet(config: Path, crawled_archive: Path, query: str, forms: list[str]) -> None:
    found = search_urls(config, query)
    for form in forms:
        holders = urls_containing(crawled_archive, form)
        assert holders, f"the replay corpus should contain {form!r}"
        assert holders <= found, f"{query!r} misses articles with {form!r}"


FIELDS = ["url", "source", "lang", "section", "title", "published", "first_seen", "updated", "snippet"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_output_formats_field_names(config: Path, fmt: str) -> None:
    out = run_newsmon(config, "search", "сотрудничество", "--format", fmt, "--limit", "5").stdout
    if fmt == "json":
        rows = json.loads(out)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    assert all(list(row) == FIELDS for row in rows)
    assert any("[" in row["snippet"] for row in rows)


def test_show_diff_of_the_edited_article(config: Path, crawled_archive: Path) -> None:
    db = connect(crawled_archive, readonly=True)
    (edited,) = db.query("SELECT a.url, v.diff FROM articles a JOIN versions v ON v.article_id = a.id"
                         " WHERE v.version = 2")
    out = run_newsmon(config, "show", edited["url"], "--diff").stdout
    changed = [line for line in edited["diff"].splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed and all(line in out for line in changed)


def test_feed_of_a_topic_is_valid_atom(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "coop.xml"
    run_newsmon(config, "feed", "--topic", "cooperation", "--output", str(target))
    feed = feedparser.parse(target.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) >= 5
    assert all(entry.link.startswith("http://127.0.0.1:") for entry in feed.entries)


def test_topic_filter_uses_the_archive_topics(config: Path, crawled_archive: Path) -> None:
    db = connect(crawled_archive, readonly=True)
    tagged = {r["url"] for r in db.query("SELECT url FROM articles JOIN article_topics ON id = article_id"
                                         " WHERE topic = 'cooperation'")}
    out = run_newsmon(config, "search", "--topic", "cooperation", "--limit", "1000", "--format", "jsonl").stdout
    assert {json.loads(line)["url"] for line in out.splitlines()} == tagged
