"""`Китай` in every form, over a real crawl of the replay: CLI search, the Atom feed and the web UI alike."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from storage.db import connect
from tests.conftest import run_newsmon
from tests.monitor_fixtures import serving

FORMS = ("Китай", "Китая", "Китаю", "Китаем", "Китае")


@pytest.fixture(scope="module")
def config(crawled_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("china") / "newsmon.toml"
    path.write_text(f'[storage]\npath = "{crawled_archive}"\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def holders(crawled_archive: Path) -> set[str]:
    """URLs of the articles holding any form of Китай (whole word, any case)."""
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(FORMS)})(?!\w)", re.IGNORECASE)
    db = connect(crawled_archive, readonly=True)
    found = {r["url"] for r in db.query("SELECT url, title, body FROM articles") if pattern.search(r["title"] + "\n" + r["body"])}
    forms = {m.lower() for r in db.query("SELECT title, body FROM articles")
             for m in pattern.findall(r["title"] + "\n" + r["body"])}
    assert len(found) >= 3 and len(forms) >= 2, (found, forms)  # several articles, several cases
    return found


@pytest.mark.parametrize("query", [*FORMS, "китай"])
def test_cli_search_finds_every_form(config: Path, holders: set[str], query: str) -> None:
    out = run_newsmon(config, "search", query, "--limit", "1000", "--format", "jsonl").stdout
    assert {json.loads(line)["url"] for line in out.splitlines() if line.strip()} == holders


@pytest.mark.parametrize("form", FORMS)
def test_exact_form_finds_only_that_form(config: Path, crawled_archive: Path, holders: set[str], form: str) -> None:
    out = run_newsmon(config, "search", f'="{form}"', "--limit", "1000", "--format", "jsonl").stdout
    found = {json.loads(line)["url"]: json.loads(line)["snippet"] for line in out.splitlines() if line.strip()}
    db = connect(crawled_archive, readonly=True)
    exact = {r["url"] for r in db.query("SELECT url, title, body FROM articles")
             if re.search(rf"(?<!\w){form}(?!\w)", r["title"] + "\n" + r["body"], re.IGNORECASE)}
    assert set(found) == exact and exact <= holders
    assert all(f"[{form}]" in s for s in found.values()), found


def test_feed_finds_every_form(config: Path, holders: set[str], tmp_path: Path) -> None:
    target = tmp_path / "china.xml"
    run_newsmon(config, "feed", "Китая", "--limit", "1000", "--output", str(target))
    feed = feedparser.parse(target.read_bytes())
    assert {e.link for e in feed.entries} == holders


@pytest.fixture(scope="module")
def server(config: Path) -> Iterator[str]:
    with serving(config) as base:
        yield base


def get_rows(base: str, path: str, **params: str) -> list[dict]:
    query = urllib.parse.urlencode({**params, "_shape": "array", "_size": "max"})
    with urllib.request.urlopen(f"{base}/newsmon/{path}.json?{query}", timeout=20) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.mark.parametrize("query", ["Китаю", "китае"])
def test_web_ui_search_box_and_canned_query(server: str, holders: set[str], query: str) -> None:
    assert {r["url"] for r in get_rows(server, "articles", _search=query)} == holders
    canned = get_rows(server, "search", q=query)
    assert {r["url"] for r in canned} == holders
    assert all("\ue000" in r["snippet"] for r in canned)  # the word marked in each snippet
