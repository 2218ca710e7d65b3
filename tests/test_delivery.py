"""Delivery against a real SMTP server on loopback: exactly once, retries, digests, failures, Maildir."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime, timedelta

import pytest

from monitor import delivery, locks, outbox
from monitor.errors import NewsmonError
from storage.db import connect
from tests.monitor_fixtures import (
    COOP_EN,
    COOP_RU,
    OTHER_RU,
    archive_items,
    article,
    make_config,
    subscription,
)

LATER = "2999-01-01T00:00:00+00:00"  # a `now` past every backoff


def setup(tmp_path, server, **sub):
    config = make_config(tmp_path, smtp=server.smtp_config() if server else {},
                         subscriptions=[subscription(**sub)], alerts={"max_attempts": 5, "backoff": "1s"})
    archive_items(config, [article(1, *COOP_RU), article(2, *OTHER_RU), article(3, *COOP_EN, source="spbpu-en")])
    return config, connect(config.db_path)


def test_per_item_exactly_once(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    report = delivery.deliver(config, db)
    assert (report.messages, report.sent, report.failed) == (2, 2, 0)
    subjects = sorted(m["Subject"].strip() for m in smtp_server.messages)
    assert subjects == sorted(f"New cooperation news: {t}" for t in (COOP_RU[0], COOP_EN[0]))
    assert delivery.deliver(config, db, now=LATER).messages == 0
    assert len(smtp_server.messages) == 2
    assert outbox.counts(db) == {"pending": 0, "sent": 2, "failed": 0}
    ids = {m["Message-ID"] for m in smtp_server.messages}
    assert ids == {outbox.message_id(r) for r in db.query("SELECT * FROM outbox")}


def test_digest_is_one_email(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server, mode="digest")
    assert delivery.deliver(config, db).messages == 1
    (msg,) = smtp_server.messages
    assert msg["Subject"] == "2 new cooperation news items"
    text = msg.get_body(("plain",)).get_content()
    assert COOP_RU[0] in text and COOP_EN[0] in text and OTHER_RU[0] not in text


# Python's email folder moves a long ASCII subject to a continuation line; unfolded it reads " New ...",
# which RFC 5322 treats as the same text, hence .strip() on received subjects.


def test_server_down_for_three_attempts_then_every_alert_once(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    smtp_server.stop()
    for _ in range(3):
        report = delivery.deliver(config, db, now=LATER)
        # an unreachable server stops the pass: one row is deferred (no attempt spent), the other waits untouched
        assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    assert outbox.counts(db)["pending"] == 2
    smtp_server.start()
    assert delivery.deliver(config, db, now=LATER).sent == 2
    assert delivery.deliver(config, db, now=LATER).sent == 0
    assert sorted(m["Subject"].strip() for m in smtp_server.messages) == sorted(
        f"New cooperation news: {t}" for t in (COOP_RU[0], COOP_EN[0]))
    assert sorted((r["attempts"], r["deferrals"]) for r in db.query("SELECT * FROM outbox")) == [(1, 0), (1, 3)]


def test_outage_longer_than_the_retry_budget_loses_nothing(tmp_path, smtp_server):
    """Issue 15: delivery ticks during an outage must not use up max_attempts; once the server is back the
    next ordinary tick delivers every alert, with no `alerts send` by hand."""
    config, db = setup(tmp_path, smtp_server)
    smtp_server.stop()
    for _ in range(4 * config.section("alerts")["max_attempts"]):
        assert delivery.deliver(config, db, now=LATER).failed == 0
    assert outbox.counts(db) == {"pending": 2, "sent": 0, "failed": 0}
    smtp_server.start()
    assert delivery.deliver(config, db, now=LATER).sent == 2
    assert len(smtp_server.messages) == 2 and outbox.counts(db)["failed"] == 0


def test_outage_waits_with_backoff_up_to_backoff_max(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    smtp_server.stop()
    delivery.deliver(config, db)
    (row,) = [r for r in db.query("SELECT * FROM outbox") if r["deferrals"]]
    wait = (datetime.fromisoformat(row["next_attempt"]) - datetime.now(UTC)).total_seconds()
    assert 0 < wait <= config.duration("alerts", "backoff") + 1 and row["attempts"] == 0
    for _ in range(30):
        delivery.deliver(config, db, now=LATER)
    waits = [(datetime.fromisoformat(r["next_attempt"]) - datetime.now(UTC)).total_seconds()
             for r in db.query("SELECT * FROM outbox")]
    assert max(waits) <= config.duration("alerts", "backoff_max") + 1


def test_queue_lifetime_then_failed_and_alerts_send_retries(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    smtp_server.stop()
    delivery.deliver(config, db, now=LATER)
    db.execute("UPDATE outbox SET created = '2020-01-01T00:00:00+00:00'")
    db.conn.commit()
    report = delivery.deliver(config, db, now=LATER)
    assert report.failed == 2 and outbox.counts(db) == {"pending": 0, "sent": 0, "failed": 2}
    errors = [r["last_error"] for r in db.query("SELECT last_error FROM outbox ORDER BY id")]
    assert all(e.startswith("expired: not delivered within [alerts] max_age (5 days)") for e in errors)
    assert "Connection refused" in errors[0]
    smtp_server.start()
    assert delivery.deliver(config, db, now=LATER).sent == 0  # the daemon leaves failed rows alone
    assert delivery.deliver(config, db, retry=True).sent == 2  # `newsmon alerts send`


def test_4xx_is_retried_with_backoff(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    smtp_server.handler.fail_data = ["451 4.3.0 try again later"] * 3
    first = delivery.deliver(config, db)
    assert first.retrying == 2 and first.sent == 0 and "451" in first.errors[0]
    assert delivery.deliver(config, db).messages == 0  # backoff: not due yet
    delivery.deliver(config, db, now=LATER)
    assert len(smtp_server.messages) == 1
    delivery.deliver(config, db, now=LATER)
    assert len(smtp_server.messages) == 2 and outbox.counts(db)["sent"] == 2


def test_5xx_refusal_stays_queued_and_is_delivered_once_fixed(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    smtp_server.handler.refuse_rcpt["intl@example.org"] = "550 5.1.1 no such user"
    report = delivery.deliver(config, db)
    assert report.failed == 0 and report.retrying == 2 and outbox.counts(db)["pending"] == 2
    assert "550" in next(db.query("SELECT last_error FROM outbox"))["last_error"]
    del smtp_server.handler.refuse_rcpt["intl@example.org"]
    delivery.deliver(config, db, now=LATER)
    delivery.deliver(config, db, now=LATER)
    assert len(smtp_server.messages) == 2 and outbox.counts(db)["sent"] == 2


def test_max_attempts_of_5xx_then_failed(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    smtp_server.handler.fail_data = ["554 5.6.0 message refused"] * 100
    results = [delivery.deliver(config, db, now=LATER) for _ in range(5)]
    assert [r.failed for r in results] == [0, 0, 0, 0, 2]
    assert delivery.deliver(config, db, now=LATER).messages == 0
    smtp_server.handler.fail_data = []
    assert outbox.retry(db) == 2 and delivery.deliver(config, db).sent == 2


def test_4xx_never_spends_attempts(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    smtp_server.handler.fail_data = ["421 4.3.2 shutting down"] * 20
    results = [delivery.deliver(config, db, now=LATER) for _ in range(10)]
    assert sum(r.failed for r in results) == 0 and outbox.counts(db)["pending"] == 2
    assert {r["attempts"] for r in db.query("SELECT attempts FROM outbox")} == {0}
    smtp_server.handler.fail_data = []
    assert delivery.deliver(config, db, now=LATER).sent == 2


def test_no_smtp_goes_to_maildir(tmp_path):
    config, db = setup(tmp_path, None)
    assert delivery.deliver(config, db).sent == 2
    subjects = sorted(m["Subject"] for m in mailbox.Maildir(config.maildir))
    assert len(subjects) == 2 and all("cooperation news" in s for s in subjects)


def test_redelivery_after_crash_keeps_message_id(tmp_path, smtp_server):
    """A crash between 'accepted' and 'marked sent' resends with the same Message-ID (the documented window)."""
    config, db = setup(tmp_path, smtp_server)

    class CrashAfterAccept:
        def __init__(self):
            self.inner = delivery.mailer.transport_for(config)

        def send(self, msg):
            self.inner.send(msg)
            raise SystemExit("killed after the server accepted")

        def close(self):
            self.inner.close()

    with pytest.raises(SystemExit):
        delivery.deliver(config, db, transport=CrashAfterAccept())
    delivery.deliver(config, db)
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 3 and len(set(ids)) == 2


def test_second_drain_is_kept_out(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server)
    with locks.delivery_lock(config):
        with pytest.raises(NewsmonError, match="delivery"):
            delivery.deliver(config, db)
    assert delivery.deliver(config, db).sent == 2


def cli_config(tmp_path, smtp: str = "", extra: str = "") -> str:
    path = tmp_path / "newsmon.toml"
    path.write_text(f"""
[storage]
path = "{tmp_path / 'newsmon.db'}"
maildir = "{tmp_path / 'maildir'}"
{smtp}
[alerts]
operator = "ops@example.org"

[[subscriptions]]
name = "intl"
recipients = ["intl@example.org"]
{extra}
""", encoding="utf-8")
    return str(path)


def newsmon(*args: str):
    from click.testing import CliRunner

    from monitor.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_alerts_commands(tmp_path, smtp_server):
    config_path = cli_config(tmp_path, f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_server.port}\n')
    from monitor import config as config_mod

    config = config_mod.load(config_path)
    archive_items(config, [article(1, *COOP_RU), article(2, *OTHER_RU)])
    listed = newsmon("--config", config_path, "alerts", "list")
    assert listed.exit_code == 0 and "pending" in listed.output and COOP_RU[0] in listed.output
    smtp_server.stop()
    failed = newsmon("--config", config_path, "alerts", "send")
    assert failed.exit_code == 1 and "1 to retry" in failed.output and "Connection refused" in failed.output
    smtp_server.start()
    sent = newsmon("--config", config_path, "alerts", "send")
    assert sent.exit_code == 0 and "1 email(s) sent for 1 alert(s)" in sent.output
    assert "sent" in newsmon("--config", config_path, "alerts", "list", "--status", "sent").output
    probe = newsmon("--config", config_path, "alerts", "test")
    assert probe.exit_code == 0 and "ops@example.org" in probe.output
    assert [m["Subject"] for m in smtp_server.messages][-1] == "newsmon test email"


def test_alerts_test_reports_a_broken_server(tmp_path):
    from tests.monitor_fixtures import free_port

    config_path = cli_config(tmp_path, f'[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\n')
    result = newsmon("--config", config_path, "alerts", "test", "--to", "me@example.org")
    assert result.exit_code == 2 and "test email to me@example.org failed" in result.output


def test_status_shows_runs_schedule_and_alerts(tmp_path):
    from monitor import config as config_mod
    from tests.monitor_fixtures import record_run

    config_path = cli_config(tmp_path)
    config = config_mod.load(config_path)
    archive_items(config, [article(1, *COOP_RU)])
    db = connect(config.db_path)
    record_run(db, "spbpu-ru", "ok", started="2020-01-01T00:00:00+00:00", listed=5, new=3, unchanged=2)
    result = newsmon("--config", config_path, "status")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "daemon: not running" in out
    assert "last run: ok at" in out and "3 new, 0 changed, 2 unchanged" in out
    assert "spbpu-en\n  last run: never crawled" in out
    assert "overdue: spbpu-ru" in out
    assert "alerts: 1 pending, 0 sent, 0 failed" in out and "Maildir" in out


def test_an_outage_longer_than_backoff_max_is_a_health_incident(tmp_path, smtp_server):
    from monitor import health

    config, db = setup(tmp_path, smtp_server)
    smtp_server.stop()
    delivery.deliver(config, db, now=LATER)
    assert not [i for i in health.check(config, db) if i.key.startswith("mail-outage:")]  # not yet
    later = datetime.now(UTC) + timedelta(seconds=config.duration("alerts", "backoff_max") + 60)
    (incident,) = [i for i in health.check(config, db, now=later) if i.key.startswith("mail-outage:")]
    assert "waiting for the mail server" in incident.summary and "Connection refused" in incident.text
