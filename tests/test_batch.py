"""The daemon's batches: sources due together share one crawl process, each keeping its own lock,
record and outcome; a source locked by a manual crawl is skipped without failing the others."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from monitor import config as config_mod
from monitor import crawl_subprocess as crawler_mod
from monitor.batch import Batcher
from monitor.locks import source_lock
from storage.db import connect
from tests.conftest import REPO
from tests.monitor_fixtures import FAKE_COMMAND, FAKE_ITEMS_ENV
from tests.test_scheduler import STATE_1, make_config, write_config, write_site


@pytest.fixture
def crawler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> crawler_mod.Crawler:
    site = tmp_path / "site.json"
    write_site(site, STATE_1)
    config = make_config(tmp_path)
    config.path = write_config(tmp_path, None)
    config.data["storage"]["path"] = str(config_mod.load(config.path).db_path)
    monkeypatch.setenv(FAKE_ITEMS_ENV, str(site))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    return crawler_mod.Crawler(config, timeout=60, template=FAKE_COMMAND)


def pids(crawler: crawler_mod.Crawler) -> dict[str, int]:
    db = connect(crawler.config.db_path)
    try:
        return {r["source"]: r["pid"] for r in db.query("SELECT source, pid FROM crawl_runs")}
    finally:
        db.close()


def test_the_command_names_every_source_of_a_batch(crawler: crawler_mod.Crawler) -> None:
    argv = crawler_mod.command(crawler.config, ["a", "b"], template=crawler_mod.DEFAULT_COMMAND, limit=54)
    assert argv[-6:] == ["crawl", "--source", "a", "--source", "b", "--time-limit", "54"][-6:]
    assert argv.count("--source") == 2


def test_sources_due_together_share_one_process(crawler: crawler_mod.Crawler) -> None:
    batcher = Batcher(crawler, window=1.0)
    results: dict[str, str] = {}
    jobs = [threading.Thread(target=lambda s=s: results.__setitem__(s, batcher.run(s).outcome))
            for s in ("spbpu-ru", "spbpu-en")]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(60)
    assert results == {"spbpu-ru": "ok", "spbpu-en": "ok"}
    assert len(set(pids(crawler).values())) == 1, pids(crawler)


def test_a_source_locked_by_a_manual_crawl_is_skipped_the_others_crawled(crawler: crawler_mod.Crawler) -> None:
    with source_lock(crawler.config, "spbpu-en"):
        results = {r.source: r.outcome for r in crawler.run_batch(["spbpu-ru", "spbpu-en"])}
    assert results == {"spbpu-ru": "ok", "spbpu-en": "skipped"}
