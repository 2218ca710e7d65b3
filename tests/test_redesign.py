"""A redesign is not an outage: SPbPU's article template changes (replay state 3: same articles and URLs, new
markup); the built-in profile's selectors stop matching, every article is still archived through the generic
path, one health email per source names it, and no subscriber gets a "new" alert."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor import config as config_mod
from monitor import delivery, health
from spiders.extraction.score import token_f1
from storage.db import connect
from storage.diff import normalise_line
from tests.conftest import run_newsmon, write_config

OPERATOR = "ops@example.org"


@pytest.fixture(scope="module")
def redesigned(tmp_path_factory: pytest.TempPathFactory):
    from tests.replay import ReplaySite

    base = tmp_path_factory.mktemp("redesign")
    with ReplaySite(ru_port=0, en_port=0, state=2) as site:
        extra = (f'[alerts]\noperator = "{OPERATOR}"\n\n[[subscriptions]]\nname = "office"\n'
                 'recipients = ["office@example.org"]\ntopics = ["cooperation"]\nchanged = true\n')
        config = write_config(base / "newsmon.toml", site.ru_url, site.en_url, base / "data" / "n.db", extra)
        run_newsmon(config, "crawl", "--full")
        site.set_state(3)
        out = run_newsmon(config, "crawl", "--full").stdout
        truth = [t for t in site.ground_truth() if not t["fault"]]
    yield config, truth, out


def rows_by_path(config: Path) -> dict[str, dict]:
    db = connect(config_mod.load(config).db_path)
    try:
        return {urlsplit(r["url"]).path: r for r in db.query("SELECT * FROM articles")}
    finally:
        db.close()


def test_every_article_still_archived_right(redesigned) -> None:
    config, truth, out = redesigned
    rows = rows_by_path(config)
    assert "dropped" not in out and "0 new" in out
    assert all(urlsplit(t["url"]).path in rows for t in truth)
    found = [(t, rows[urlsplit(t["url"]).path]) for t in truth]
    assert all(normalise_line(r["title"]) == normalise_line(t["title"]) for t, r in found)
    assert all((r["published"] or "")[:10] == t["published"] for t, r in found)
    f1 = [token_f1(r["body"], t["body"]) for t, r in found]
    assert sum(f1) / len(f1) >= 0.95, f"body F1 {sum(f1) / len(f1):.3f}"
    assert {r["body_source"] for t, r in found} == {"generic"}


def test_crawl_record_counts_the_fallbacks(redesigned) -> None:
    config, _, _ = redesigned
    db = connect(config_mod.load(config).db_path)
    last = {r["source"]: r for r in db.query("SELECT * FROM crawl_runs ORDER BY id")}
    assert all(run["fallbacks"] > 0 and run["dropped"] == 0 for run in last.values())
    assert all('"selector_misses"' in run["extractors"] for run in last.values())


def test_one_health_email_per_source_and_no_new_alert(redesigned, smtp_server) -> None:
    config_path, _, _ = redesigned
    config = config_mod.load(config_path)
    config.data["smtp"].update(smtp_server.smtp_config())
    db = connect(config.db_path)
    incidents = health.report(config, db)
    assert sorted(i.source for i in incidents if i.key.startswith("fallback:")) == ["spbpu-en", "spbpu-ru"]
    assert health.report(config, db) == []  # the same incident: no second email
    delivery.deliver(config, db)
    subjects = [str(m["Subject"]) for m in smtp_server.messages]
    assert len([s for s in subjects if "selectors stopped matching" in s]) == 2, subjects
    assert all("spbpu-" in s for s in subjects) and not any(s.startswith("New ") for s in subjects), subjects
    events = {r["event"] for r in db.query("SELECT event FROM outbox WHERE kind = 'article'")}
    assert "new" not in events and "changed" not in events
    db.close()
