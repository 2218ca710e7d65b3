"""Health checks: failing streaks, markup changes, overdue sources, failed alerts; one email per incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor import delivery, health, outbox
from storage.db import connect
from tests.monitor_fixtures import make_config, record_run

NOW = datetime.now(UTC)


def ago(minutes: float) -> str:
    return (NOW - timedelta(minutes=minutes)).isoformat(timespec="seconds")


@pytest.fixture
def env(tmp_path):
    config = make_config(tmp_path, alerts={"operator": "ops@example.org"},
                         sources={"spbpu-en": {"enabled": False}})
    db = connect(config.db_path)
    record_run(db, "spbpu-ru", "ok", started=ago(5), listed=20, new=3, unchanged=17)
    return config, db


def keys(config, db):
    return [i.key for i in health.check(config, db, now=NOW)]


def test_healthy_source_has_no_incident(env):
    assert keys(*env) == []


def test_three_failures_in_a_row_is_one_incident(env):
    config, db = env
    first = [record_run(db, "spbpu-ru", outcome, started=ago(4)) for outcome in ("failed", "killed")]
    assert keys(config, db) == []
    record_run(db, "spbpu-ru", "failed", started=ago(3))
    assert keys(config, db) == [f"failing:spbpu-ru:{first[0]}"]
    assert len(health.report(config, db, now=NOW)) == 1
    record_run(db, "spbpu-ru", "failed", started=ago(2))
    assert health.report(config, db, now=NOW) == []  # same incident, no second email
    record_run(db, "spbpu-ru", "ok", started=ago(1), listed=5, unchanged=5)
    assert keys(config, db) == []
    again = [record_run(db, "spbpu-ru", "failed", started=ago(1)) for _ in range(3)]
    assert keys(config, db) == [f"failing:spbpu-ru:{again[0]}"]
    assert len(health.report(config, db, now=NOW)) == 1
    assert db["outbox"].count == 2


@pytest.mark.parametrize(("mode", "counts", "expected"), [
    ("full", dict(listed=30), "parsed-none"),
    ("incremental", dict(listed=30, dropped=30), "parsed-none"),
    ("incremental", dict(listed=30), None),  # everything known: nothing to parse
    ("full", dict(listed=30, new=10, no_date=3), "no-date"),
    ("full", dict(listed=30, new=10, no_date=2), None),
])
def test_markup_change(env, mode, counts, expected):
    config, db = env
    run_id = record_run(db, "spbpu-ru", "ok", started=ago(1), **counts)
    db.execute("UPDATE crawl_runs SET mode = ? WHERE id = ?", [mode, run_id])
    db.conn.commit()
    got = [k for k in keys(config, db) if k.startswith("markup:")]
    assert got == ([f"markup:spbpu-ru:{expected}:{run_id}"] if expected else [])


def test_overdue_by_two_intervals(env):
    config, db = env
    db.execute("UPDATE crawl_runs SET started = ?", [ago(59)])
    db.conn.commit()
    assert keys(config, db) == []
    db.execute("UPDATE crawl_runs SET started = ?", [ago(61)])
    db.conn.commit()
    assert keys(config, db) == ["overdue:spbpu-ru:1"]


def test_never_crawled_is_overdue_since_daemon_start(tmp_path):
    config = make_config(tmp_path, sources={"spbpu-en": {"enabled": False}})
    db = connect(config.db_path)
    assert health.check(config, db, now=NOW) == []
    (incident,) = health.check(config, db, now=NOW, since=NOW - timedelta(hours=2))
    assert incident.key == "overdue:spbpu-ru:never"


def test_cron_period(tmp_path):
    config = make_config(tmp_path, sources={"spbpu-ru": {"cron": "*/15 * * * *"}})
    assert health.source_period(config, "spbpu-ru") == 900


def test_failed_alerts_and_health_email(env, smtp_server):
    config, db = env
    row_id = outbox.enqueue(db, subscription="intl", recipient="x@example.org", article_id=None)
    db.execute("UPDATE outbox SET status = 'failed', last_error = '550 no such user' WHERE id = ?", [row_id])
    db.conn.commit()
    (incident,) = health.report(config, db, now=NOW)
    assert incident.key == f"alerts-failed:{row_id}" and "550 no such user" in incident.text
    config.data["smtp"].update(smtp_server.smtp_config())
    assert delivery.deliver(config, db).sent == 1
    (msg,) = smtp_server.messages
    assert msg["To"] == "ops@example.org" and "could not be delivered" in msg["Subject"]
    assert health.report(config, db, now=NOW) == []
    delivery.deliver(config, db)
    assert len(smtp_server.messages) == 1


def test_no_operator_no_email(tmp_path):
    config = make_config(tmp_path, sources={"spbpu-en": {"enabled": False}})
    db = connect(config.db_path)
    for _ in range(3):
        record_run(db, "spbpu-ru", "failed")
    assert len(health.check(config, db)) == 1 and health.report(config, db) == []
    assert db["outbox"].count == 0
