"""newsmon feed: a valid Atom feed of a saved search or topic, parsed back with feedparser."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.feeds import build_feed, parse_time
from storage import queries
from tests.query_fixtures import open_archive, query_archive  # noqa: F401


def write_feed(archive, out: Path, *args: str) -> feedparser.FeedParserDict:  # noqa: ANN001
    result = CliRunner().invoke(cli, ["--config", str(archive.config), "feed", *args, "--output", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return feedparser.parse(out.read_bytes())


def test_topic_feed_is_valid_atom(query_archive, tmp_path: Path) -> None:  # noqa: F811
    feed = write_feed(query_archive, tmp_path / "coop.xml", "--topic", "cooperation")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "University news: topic cooperation"
    assert feed.feed.id.startswith("tag:newsmon")
    assert len(feed.entries) == 3
    first = feed.entries[0]
    assert first.title == "Политех расширяет связи с Китаем"  # newest first
    assert first.link == "https://www.spbstu.ru/media/news/international_activities/china-cooperation/"
    assert first.id == first.link and first.published.startswith("2024-03-15")
    assert "сотрудничества" in first.summary
    assert {t.term for t in first.tags} >= {"international_activities", "lang:ru"}


def test_search_feed_with_filters(query_archive, tmp_path: Path) -> None:  # noqa: F811
    feed = write_feed(query_archive, tmp_path / "en.xml", "agreements", "--lang", "en")
    assert feed.bozo == 0 and [e.title for e in feed.entries] == [
        "Polytech signs an agreement with a Chinese university", "New double degree programmes"]
    assert "“agreements”" in feed.feed.title and "lang en" in feed.feed.title
    assert "[" not in feed.entries[0].summary  # no CLI marks in feed text


def test_empty_feed_is_still_valid(query_archive, tmp_path: Path) -> None:  # noqa: F811
    feed = write_feed(query_archive, tmp_path / "none.xml", "nothingmatchesthis")
    assert feed.bozo == 0 and feed.entries == [] and feed.feed.updated


def test_feed_bad_query_is_one_line(query_archive, tmp_path: Path) -> None:  # noqa: F811
    result = CliRunner().invoke(cli, ["--config", str(query_archive.config), "feed", "a AND", "-o",
                                      str(tmp_path / "x.xml")])
    assert result.exit_code == 2 and result.stderr.startswith("Error: AND needs")
    assert not (tmp_path / "x.xml").exists()


def test_undated_articles_use_first_seen(query_archive) -> None:  # noqa: F811
    fg = build_feed(open_archive(query_archive.path), "library", queries.Filters())
    entry = fg.entry()[0]
    assert entry.published() == parse_time("2024-06-01T10:00:00+00:00")


@pytest.mark.parametrize("value,iso", [
    ("2024-03-15", "2024-03-15T00:00:00+03:00"),
    ("2024-09-27T12:50:00+03:00", "2024-09-27T12:50:00+03:00"),
    ("2024-06-01T10:00:00+00:00", "2024-06-01T10:00:00+00:00"),
])
def test_parse_time(value: str, iso: str) -> None:
    assert parse_time(value).isoformat() == iso
