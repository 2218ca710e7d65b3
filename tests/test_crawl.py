"""The crawl pipeline end to end: replay site on loopback -> `newsmon crawl` subprocess -> SQLite archive.

One scenario per module (crawls are subprocesses, a few seconds each); the tests read its record.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from storage.db import connect
from storage.diff import normalise_text
from tests.conftest import run_newsmon, write_config


@dataclass
class Scenario:
    config: Path
    db_path: Path
    truth1: list[dict[str, Any]] = field(default_factory=list)
    truth2: list[dict[str, Any]] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    logs: dict[str, list[tuple[str, str, str, int]]] = field(default_factory=dict)
    snapshots: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def runs_of(db_path: Path) -> list[dict[str, Any]]:
    db = connect(db_path)
    try:
        return list(db.query("SELECT * FROM crawl_runs ORDER BY id"))
    finally:
        db.close()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    from tests.replay import ReplaySite

    base = tmp_path_factory.mktemp("crawl")
    with ReplaySite(ru_port=0, en_port=0, state=1) as site:
        sc = Scenario(write_config(base / "newsmon.toml", site.ru_url, site.en_url, base / "data" / "n.db"),
                      base / "data" / "n.db")
        sc.truth1 = site.ground_truth()
        for step, args, state in [("full1", ["--full"], 1), ("again", [], 1), ("incr2", [], 2), ("full2", ["--full"], 2)]:
            if state == 2 and not sc.truth2:
                site.set_state(2)
                sc.truth2 = site.ground_truth()
            site.reset_log()
            sc.outputs[step] = run_newsmon(sc.config, "crawl", *args).stdout
            sc.logs[step] = list(site.request_log)
            sc.snapshots[step] = runs_of(sc.db_path)[-2:]
    return sc


def archived(db_path: Path) -> dict[str, dict[str, Any]]:
    db = connect(db_path)
    try:
        return {row["url"]: row for row in db.query("SELECT * FROM articles")}
    finally:
        db.close()


def test_full_crawl_archives_every_article_exactly_once(scenario: Scenario) -> None:
    rows = scenario.snapshots["full1"]
    truth_urls = {t["url"] for t in scenario.truth1}
    db = connect(scenario.db_path)
    urls = [r["url"] for r in db.query("SELECT url FROM versions JOIN articles ON articles.id = article_id"
                                       " WHERE versions.version = 1")]
    assert len(urls) == len(set(urls))
    assert truth_urls <= set(urls)
    assert sum(r["new"] for r in scenario.snapshots["full1"]) == len(truth_urls), rows


@pytest.mark.parametrize("field_name", ["title", "published", "section", "section_name", "body", "lang"])
def test_every_field_equals_ground_truth(scenario: Scenario, field_name: str) -> None:
    """After state 2 the archive holds state 2's truth: every article, every field, 100%."""
    stored = archived(scenario.db_path)
    wrong = []
    for truth in scenario.truth2:
        row = stored.get(truth["url"])
        assert row is not None, f"missing {truth['url']}"
        got, want = row[field_name], truth[field_name]
        if field_name == "body":
            got, want = normalise_text(got), normalise_text(want)
        if field_name == "published":
            got = got[:10]
        if got != want:
            wrong.append((truth["url"], got, want))
    assert not wrong, f"{len(wrong)} of {len(scenario.truth2)} wrong: {wrong[:3]}"


def test_rss_time_kept_where_the_feed_gives_it(scenario: Scenario) -> None:
    stored = archived(scenario.db_path)
    timed = [t for t in scenario.truth1 if t["published_at"]]
    assert timed
    for truth in timed:
        assert stored[truth["url"]]["published"] == truth["published_at"]


def test_second_crawl_with_nothing_new_is_cheap(scenario: Scenario) -> None:
    runs = scenario.snapshots["again"]
    assert [r["new"] + r["changed"] for r in runs] == [0, 0]
    assert all(r["outcome"] == "ok" for r in runs)
    for host in ("ru", "en"):
        requests = [entry for entry in scenario.logs["again"] if entry[0] == host]
        assert len(requests) <= 3, requests
        assert not [r for r in requests if r[2].count("/") > 4 and "rss" not in r[2]], requests
    assert "0 new, 0 changed" in scenario.outputs["again"]


def test_incremental_crawl_after_state_two_reports_exactly_the_new_items(scenario: Scenario) -> None:
    added = {t["url"] for t in scenario.truth2 if t["added_in_state"] == 2}
    assert added
    runs = scenario.snapshots["incr2"]
    assert sum(r["new"] for r in runs) == len(added)
    assert sum(r["changed"] for r in runs) == 0
    stored = archived(scenario.db_path)
    assert added <= set(stored)


def test_full_crawl_finds_the_edit_and_stores_the_diff(scenario: Scenario) -> None:
    edited = [t for t in scenario.truth2 if t["edited_in_state_2"]]
    assert len(edited) == 1
    runs = scenario.snapshots["full2"]
    assert sum(r["changed"] for r in runs) == 1
    assert sum(r["new"] for r in runs) == 0
    old = next(t for t in scenario.truth1 if t["url"] == edited[0]["url"])
    removed = set(normalise_text(old["body"]).split("\n\n")) - set(normalise_text(edited[0]["body"]).split("\n\n"))
    added = set(normalise_text(edited[0]["body"]).split("\n\n")) - set(normalise_text(old["body"]).split("\n\n"))
    db = connect(scenario.db_path)
    (version,) = db.query("SELECT v.* FROM versions v JOIN articles a ON a.id = v.article_id"
                          " WHERE a.url = ? AND v.version = 2", [edited[0]["url"]])
    assert any(f"-{line}" in version["diff"] for line in removed)
    assert any(f"+{line}" in version["diff"] for line in added)


def test_304_counts_as_unchanged_in_full_crawl(scenario: Scenario) -> None:
    responses = [json.loads(r["responses"]) for r in scenario.snapshots["full2"]]
    assert all(int(resp.get("304", 0)) > 10 for resp in responses), responses
    assert sum(r["unchanged"] for r in scenario.snapshots["full2"]) >= len(scenario.truth1) - 1


def test_crawl_prints_one_line_per_source(scenario: Scenario) -> None:
    lines = scenario.outputs["full1"].strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["spbpu-ru", "spbpu-en"]
    assert all(" new, " in line and re.search(r"\(\d+ requests?, ", line) for line in lines)


def test_a_batch_shares_the_response_budget(scenario: Scenario) -> None:
    """Two sources in one crawl process: each crawler may hold half of the 16 MB budget in processing; a
    hundred would each keep Scrapy's 5 MB, never more than before the budget."""
    from monitor.crawl_inprocess import SCRAPY_SLOT, slot_size

    log = (scenario.db_path.parent / "logs" / "crawl.log").read_text(encoding="utf-8")
    assert "'SCRAPER_SLOT_MAX_ACTIVE_SIZE': 8388608" in log
    assert slot_size(16 * 2**20, 1) == 16 * 2**20 and slot_size(16 * 2**20, 100) == SCRAPY_SLOT
    assert slot_size(2**20, 1) == 2**20  # a smaller budget set by hand is kept
