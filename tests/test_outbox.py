"""The outbox: alert rows in the article's transaction, idempotent, with backoff and Message-IDs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from monitor import outbox
from monitor.alerts import make_on_stored
from storage import archive
from storage.db import connect
from storage.diff import fingerprint
from tests.monitor_fixtures import (
    COOP_EN,
    COOP_RU,
    OTHER_RU,
    archive_items,
    article,
    make_config,
    subscription,
)


@pytest.fixture
def config(tmp_path):
    return make_config(tmp_path, subscriptions=[
        subscription(recipients=["a@example.org", "b@example.org"]),
        subscription(name="edits", recipients=["editor@example.org"], changed=True, sources=["spbpu-ru"]),
        subscription(name="english", recipients=["en@example.org"], languages=["en"], mode="digest"),
    ])


def pending(config):
    return list(connect(config.db_path).query("SELECT * FROM outbox ORDER BY id"))


def test_new_matching_article_queues_one_row_per_subscription_and_recipient(config):
    archive_items(config, [article(1, *COOP_RU), article(2, *OTHER_RU), article(3, *COOP_EN, source="spbpu-en")])
    got = {(r["subscription"], r["recipient"], r["article_id"]) for r in pending(config)}
    assert got == {("intl", "a@example.org", 1), ("intl", "b@example.org", 1), ("edits", "editor@example.org", 1),
                   ("intl", "a@example.org", 3), ("intl", "b@example.org", 3), ("english", "en@example.org", 3)}
    row = next(r for r in pending(config) if r["subscription"] == "english")
    assert row["mode"] == "digest" and row["event"] == "new"
    assert "memorandum" in json.loads(row["payload"])["topics"]["cooperation"]


def test_baseline_crawl_queues_nothing_but_records_topics(config):
    archive_items(config, [article(1, *COOP_RU)], alerts=False)
    assert pending(config) == []
    assert connect(config.db_path)["article_topics"].count == 1


def test_recrawl_and_changes_alert_only_where_asked(config):
    archive_items(config, [article(1, *COOP_RU)])
    archive_items(config, [article(1, *COOP_RU)])  # unchanged: nothing new
    assert len(pending(config)) == 3
    title, body = COOP_RU
    archive_items(config, [article(1, title, body + "\n\nДобавлен новый абзац о меморандуме.")])
    changed = [r for r in pending(config) if r["event"] == "changed"]
    assert [(r["subscription"], r["version"]) for r in changed] == [("edits", 2)]
    assert "+Добавлен новый абзац" in json.loads(changed[0]["payload"])["diff"]


def test_enqueue_is_idempotent(config):
    db = connect(config.db_path)
    first = outbox.enqueue(db, kind="health", event="health", subscription="health", recipient="op@x", incident="k1")
    again = outbox.enqueue(db, kind="health", event="health", subscription="health", recipient="op@x", incident="k1")
    assert first is not None and again is None
    assert db["outbox"].count == 1


def test_hook_failure_rolls_back_article_and_alerts(config):
    db = connect(config.db_path)
    hook = make_on_stored(config, alerts_enabled=True)

    def crashing(db, stored, row):
        hook(db, stored, row)
        raise RuntimeError("killed mid-transaction")

    with pytest.raises(RuntimeError):
        archive.store(db, article(1, *COOP_RU), on_stored=crashing)
    assert db["articles"].count == 0 and db["outbox"].count == 0
    archive.store(db, article(1, *COOP_RU), on_stored=hook)
    assert db["articles"].count == 1 and db["outbox"].count == 3


def test_message_id_derives_from_the_row(config):
    archive_items(config, [article(1, *COOP_RU)])
    rows = pending(config)
    ids = [outbox.message_id(r) for r in rows]
    assert ids[0].startswith(f"<newsmon.outbox.{rows[0]['id']}.") and ids[0].endswith("@newsmon>")
    assert len(set(ids)) == len(ids) and ids == [outbox.message_id(r) for r in pending(config)]


@pytest.mark.parametrize(("attempts", "expected"), [(1, 30), (2, 60), (3, 120), (8, 3600), (20, 3600)])
def test_backoff_is_exponential_and_capped(attempts, expected):
    assert outbox.backoff_seconds(attempts, 30, 3600) == expected


def test_failed_attempts_back_off_then_give_up(config):
    db = connect(config.db_path)
    row_id = outbox.enqueue(db, subscription="s", recipient="r@x", kind="health", incident="i")
    for attempt in (1, 2):
        outbox.claim(db, [row_id])
        assert outbox.mark_failed(db, [row_id], "550 refused", max_attempts=3, base=60, cap=600) == []
        row = db["outbox"].get(row_id)
        wait = (datetime.fromisoformat(row["next_attempt"]) - datetime.now(UTC)).total_seconds()
        assert row["status"] == "pending" and 60 * 2 ** (attempt - 1) - 5 < wait <= 60 * 2 ** (attempt - 1)
        assert outbox.due(db) == []
    outbox.claim(db, [row_id])
    assert outbox.mark_failed(db, [row_id], "550 refused", max_attempts=3, base=60, cap=600) == [row_id]
    assert db["outbox"].get(row_id)["status"] == "failed"
    assert outbox.counts(db) == {"pending": 0, "sent": 0, "failed": 1}
    assert outbox.retry(db) == 1
    row = db["outbox"].get(row_id)
    assert (row["status"], row["attempts"]) == ("pending", 0) and outbox.due(db)[0]["id"] == row_id


def test_deferrals_back_off_without_spending_attempts(config):
    db = connect(config.db_path)
    row_id = outbox.enqueue(db, subscription="s", recipient="r@x", kind="health", incident="i")
    for deferral in range(1, 12):
        outbox.claim(db, [row_id])
        outbox.defer(db, [row_id], "451 later", base=60, cap=600)
        row = db["outbox"].get(row_id)
        wait = (datetime.fromisoformat(row["next_attempt"]) - datetime.now(UTC)).total_seconds()
        assert (row["status"], row["attempts"], row["deferrals"]) == ("pending", 0, deferral)
        assert min(600, 60 * 2 ** (deferral - 1)) - 5 < wait <= min(600, 60 * 2 ** (deferral - 1))


def test_expire_fails_only_rows_past_the_queue_lifetime(config):
    db = connect(config.db_path)
    old = outbox.enqueue(db, subscription="s", recipient="r@x", kind="health", incident="old")
    young = outbox.enqueue(db, subscription="s", recipient="r@x", kind="health", incident="young")
    db.execute("UPDATE outbox SET created = '2020-01-01T00:00:00+00:00' WHERE id = ?", [old])
    db.conn.commit()
    assert outbox.expire(db, 5 * 86400) == [old]
    assert (db["outbox"].get(old)["status"], db["outbox"].get(young)["status"]) == ("failed", "pending")
    assert outbox.retry(db) == 2 and outbox.expire(db, 5 * 86400) == []  # a retried row's lifetime starts again


def test_unchanged_fingerprint_never_requeues(config):
    title, body = COOP_EN
    item = article(5, title, body, source="spbpu-en")
    item["fingerprint"] = fingerprint(title, body, item["published"])
    archive_items(config, [item, item, item])
    assert len(pending(config)) == 3
