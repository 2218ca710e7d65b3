"""Idle polls at the minimum, over the replay (which answers conditional GET): one request and a few
hundred bytes per source when nothing changed; two at most for a site without validators; a changed
feed is still crawled; robots.txt is fetched once per host across crawl processes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from storage.db import connect
from tests.conftest import run_newsmon, write_config


def last_runs(db_path: Path) -> dict[str, dict[str, Any]]:
    db = connect(db_path)
    try:
        rows = db.query("SELECT * FROM crawl_runs WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY source)")
        return {r["source"]: r for r in rows}
    finally:
        db.close()


def poll(site: Any, config: Path, *args: str) -> dict[str, list[tuple[str, str, str, int]]]:
    """One `newsmon crawl` (a new process); the replay's requests of it, per host label."""
    site.reset_log()
    run_newsmon(config, "crawl", *args)
    log: dict[str, list[tuple[str, str, str, int]]] = {"ru": [], "en": []}
    for entry in site.request_log:
        log[entry[0]].append(entry)
    return log


@pytest.fixture
def crawled(tmp_path: Path) -> Any:
    from tests.replay import ReplaySite

    with ReplaySite(state=1) as site:
        db = tmp_path / "data" / "n.db"
        config = write_config(tmp_path / "newsmon.toml", site.ru_url, site.en_url, db)
        first = poll(site, config, "--full")
        yield site, config, db, first


def test_idle_poll_with_validators_is_one_small_request(crawled: Any) -> None:
    site, config, db, first = crawled
    assert any(e[2] == "/robots.txt" for e in first["ru"])
    log = poll(site, config)
    for label in ("ru", "en"):
        assert [(e[2], e[3]) for e in log[label]] == [("/media/news/rss/", 304)], log[label]
    for run in last_runs(db).values():
        assert run["outcome"] == "ok" and run["requests"] == 1 and run["bytes"] < 5000, run


def test_idle_sources_are_answered_by_the_precheck_without_a_crawler_of_their_own(crawled: Any) -> None:
    site, config, db, first = crawled
    log_file = db.parent / "logs" / "crawl.log"
    before = log_file.stat().st_size
    poll(site, config)
    text = log_file.read_bytes()[before:].decode("utf-8")
    assert "incremental crawl" not in text  # the news spider's first line: no crawler was built
    assert text.count("unchanged since the last crawl") == 2
    assert all(run["outcome"] == "ok" and run["requests"] == 1 for run in last_runs(db).values())


def test_robots_txt_is_fetched_once_per_host_across_processes(crawled: Any) -> None:
    site, config, db, first = crawled
    site.validators = False
    log = poll(site, config)
    assert not [e for entries in log.values() for e in entries if e[2] == "/robots.txt"]


def test_idle_poll_without_validators_decides_by_content_hash(crawled: Any) -> None:
    site, config, db, first = crawled
    site.validators = False
    poll(site, config)  # the first poll without validators stores the hashes of what it saw
    log = poll(site, config)
    for label in ("ru", "en"):
        assert len(log[label]) <= 2, log[label]
        assert [e[2] for e in log[label]][0] == "/media/news/rss/"
    assert all(run["outcome"] == "ok" for run in last_runs(db).values())


def test_a_changed_feed_is_still_crawled(crawled: Any) -> None:
    site, config, db, first = crawled
    poll(site, config)
    site.set_state(2)
    added = {t["url"] for t in site.ground_truth() if t["added_in_state"] == 2}
    assert added
    log = poll(site, config)
    assert sum(run["new"] for run in last_runs(db).values()) == len(added)
    assert any(e[3] == 200 and "rss" in e[2] for e in log["ru"])
    assert poll(site, config)["ru"] == [("ru", "GET", "/media/news/rss/", 304)]


@pytest.mark.parametrize("outcome", ["killed", "running"])  # running: SIGKILLed, its record not closed yet
def test_a_killed_crawl_is_not_hidden_by_a_304(crawled: Any, outcome: str) -> None:
    """After a crawl that did not finish, the feed is fetched whole and the listing walked again."""
    site, config, db, first = crawled
    dead = subprocess.Popen(["true"])
    dead.wait()
    conn = connect(db)
    try:  # a later crawl after the first one (ok), killed
        conn.execute("INSERT INTO crawl_runs (source, mode, started, pid, outcome) SELECT source, 'incremental',"
                     " started, ?, ? FROM crawl_runs WHERE id = (SELECT max(id) FROM crawl_runs WHERE source ="
                     " 'spbpu-ru')", [dead.pid, outcome])
        conn.conn.commit()
    finally:
        conn.close()
    log = poll(site, config)
    assert not [e for e in log["ru"] if e[3] == 304]
    assert len(log["ru"]) > 1
