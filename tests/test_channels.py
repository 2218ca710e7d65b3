"""Alerts to Apprise targets against real receivers on loopback: exactly once per target, independence of
email and webhooks, a kill between two targets, Telegram's length limit, config errors and masking."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import markupsafe
import pytest

from monitor import channels, delivery, health, outbox
from monitor import config as config_mod
from monitor.errors import ConfigError
from storage.db import connect
from tests.conftest import REPO, run_newsmon
from tests.http_receiver import Receiver
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
TITLES = sorted(f"New cooperation news: {t}" for t in (COOP_RU[0], COOP_EN[0]))
TOKEN = "123456789:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789"


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def setup(tmp_path, notify, smtp=None, **sub):
    config = make_config(tmp_path, smtp=smtp or {}, alerts={"max_attempts": 3, "backoff": "1s"},
                         subscriptions=[subscription(**{"recipients": [], "notify": notify, **sub})])
    archive_items(config, [article(1, *COOP_RU), article(2, *OTHER_RU), article(3, *COOP_EN, source="spbpu-en")])
    return config, connect(config.db_path)


@pytest.mark.parametrize("scheme", ["json", "form"])
def test_receiver_down_for_three_attempts_then_each_item_once(tmp_path, receiver, scheme):
    config, db = setup(tmp_path, [receiver.url(scheme)])
    receiver.stop()
    for _ in range(3):
        report = delivery.deliver(config, db, now=LATER)
        # a target that is down spends no attempt and keeps its other rows for the next pass
        assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    receiver.start()
    assert delivery.deliver(config, db, now=LATER).sent == 2
    assert delivery.deliver(config, db, now=LATER).sent == 0
    assert receiver.titles() == TITLES
    assert outbox.counts(db) == {"pending": 0, "sent": 2, "failed": 0}
    assert all("/media/news/other/item-" in p["message"] for p in receiver.accepted)  # the link


def test_500_then_200_is_delivered_once(tmp_path, receiver):
    config, db = setup(tmp_path, [receiver.url()])
    receiver.replies = [500]
    first = delivery.deliver(config, db)
    assert (first.sent, first.retrying, first.failed) == (0, 1, 0) and "500" in first.errors[0]
    assert delivery.deliver(config, db).sent == 1  # the row skipped in the first pass; the other waits (backoff)
    assert delivery.deliver(config, db, now=LATER).sent == 1
    assert delivery.deliver(config, db, now=LATER).sent == 0
    assert receiver.titles() == TITLES and receiver.hits == 3
    assert [r["attempts"] for r in db.query("SELECT attempts FROM outbox ORDER BY id")] == [1, 1]


def test_refusal_4xx_spends_attempts_then_failed(tmp_path, receiver):
    config, db = setup(tmp_path, [receiver.url()])
    receiver.replies = [404] * 10
    for _ in range(3):
        delivery.deliver(config, db, now=LATER)
    assert outbox.counts(db) == {"pending": 0, "sent": 0, "failed": 2}
    assert receiver.accepted == []


def test_each_target_is_its_own_row(tmp_path):
    first, second = Receiver().start(), Receiver().start()
    try:
        config, db = setup(tmp_path, [first.url(path="a"), second.url(path="b")])
        second.replies = [500] * 2
        report = delivery.deliver(config, db, now=LATER)
        assert (report.sent, report.retrying) == (2, 1)  # the first target is not held back by the second
        assert first.titles() == TITLES and second.accepted == []
        delivery.deliver(config, db, now=LATER)
        delivery.deliver(config, db, now=LATER)
        assert first.titles() == TITLES and second.titles() == TITLES
    finally:
        first.stop()
        second.stop()


def test_email_and_webhook_are_independent(tmp_path, receiver, smtp_server):
    config, db = setup(tmp_path, [receiver.url()], smtp=smtp_server.smtp_config(), recipients=["intl@example.org"])
    smtp_server.stop()
    report = delivery.deliver(config, db, now=LATER)
    assert report.sent == 2 and receiver.titles() == TITLES  # the mail outage does not block the webhook
    smtp_server.start()
    receiver.stop()
    report = delivery.deliver(config, db, now=LATER)
    assert report.sent == 2 and len(smtp_server.messages) == 2  # nor does the webhook's outage block email
    assert len(receiver.accepted) == 2
    receiver.start()
    receiver.replies = [500]
    archive_items(config, [article(4, "Политех и Университет Цинхуа: соглашение о сотрудничестве", COOP_RU[1])])
    delivery.deliver(config, db, now=LATER)
    delivery.deliver(config, db, now=LATER)
    assert delivery.deliver(config, db, now=LATER).sent == 0
    assert len(receiver.accepted) == 3 and len(smtp_server.messages) == 3  # each exactly once
    assert sorted(m["Subject"].strip() for m in smtp_server.messages) == receiver.titles()


def write_config(tmp_path, targets: list[str], extra: str = "") -> str:
    path = tmp_path / "newsmon.toml"
    quoted = ", ".join(f'"{t}"' for t in targets)
    path.write_text(f"""
[storage]
path = "{tmp_path / 'newsmon.db'}"
maildir = "{tmp_path / 'maildir'}"
{extra}
[[subscriptions]]
name = "intl"
notify = [{quoted}]
topics = ["cooperation"]
""", encoding="utf-8")
    return path


def test_sigkill_between_two_targets_loses_and_repeats_nothing(tmp_path):
    first, second = Receiver().start(), Receiver().start()
    try:
        path = write_config(tmp_path, [first.url(path="a"), second.url(path="b")])
        config = config_mod.load(path)
        archive_items(config, [article(1, *COOP_RU), article(3, *COOP_EN, source="spbpu-en")])
        second.hold.set()
        proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(path), "alerts", "send"],
                                cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert second.holding.wait(60), "the delivery never reached the second target"
        os.kill(proc.pid, signal.SIGKILL)  # the first target accepted, the second has not answered
        proc.wait(10)
        db = connect(config.db_path)
        states = [(r["recipient"].endswith("/a"), r["status"]) for r in db.query("SELECT * FROM outbox ORDER BY id")]
        assert states == [(True, "sent"), (False, "pending"), (True, "pending"), (False, "pending")]
        second.hold.clear()
        second.release.set()
        delivery.deliver(config, db, now=LATER)
        assert delivery.deliver(config, db, now=LATER).sent == 0
        assert first.titles() == TITLES and second.titles() == TITLES
    finally:
        first.stop()
        second.stop()


def replay_items(count: int) -> list[dict]:
    """The longest articles of the replay site (state 2), shaped as delivery shapes them, every paragraph."""
    from tests.replay.corpus import build_hosts
    from tests.replay.model import inline_text

    def text(a) -> str:
        return "\n\n".join(inline_text(b.text) if b.text else "\n".join(inline_text(i) for i in b.items)
                           for b in a.blocks if b.text or b.items)

    hosts = build_hosts(2)
    arts = sorted((a for h in hosts.values() for a in h.articles), key=lambda a: len(text(a)), reverse=True)
    return [{"title": a.spec.title, "url": f"https://english.spbstu.ru{a.spec.path}", "event": "new",
             "published": a.spec.when.date().isoformat(), "section": a.spec.section, "section_name": "",
             "topics": {"cooperation": ["cooperation"]}, "diff": "", "lang": a.spec.lang,
             "paragraphs": delivery._paragraphs(text(a), 100)} for a in arts[:count]]


@pytest.mark.parametrize("case", ["longest", "longest, body three times", "digest of ten"])
def test_telegram_message_fits_4096_and_keeps_title_and_link(monkeypatch, case):
    monkeypatch.setenv("NEWSMON_TG_TOKEN", TOKEN)
    target = channels.Target("tgram://${NEWSMON_TG_TOKEN}/12345")
    assert (target.limit, target.format, target.blended) == (4096, "html", True)
    items = replay_items(10 if case.startswith("digest") else 1)
    if case.endswith("three times"):
        items[0]["paragraphs"] = items[0]["paragraphs"] * 3
        assert sum(len(p) for p in items[0]["paragraphs"]) > 4096  # the cut is needed
    note = channels.alert_note(target, items, "cooperation", "intl")
    assert len(note.title) + len(note.body) <= 4096 and note.title == ""  # Telegram has no title apart
    for item in items:
        assert str(markupsafe.escape(item["title"])) in note.body and f'<a href="{item["url"]}">' in note.body
    if case == "longest":
        assert all(str(markupsafe.escape(p)) in note.body for p in items[0]["paragraphs"])  # nothing cut when it fits
    elif case.endswith("three times"):
        lead = str(markupsafe.escape(items[0]["paragraphs"][0]))
        assert lead[:40] in note.body and "…" in note.body  # quoted paragraphs cut from their end


def test_a_digest_too_long_for_one_telegram_message_is_split(monkeypatch):
    monkeypatch.setenv("NEWSMON_TG_TOKEN", TOKEN)
    target = channels.Target("tgram://${NEWSMON_TG_TOKEN}/12345")
    items = replay_items(97)
    note = channels.alert_note(target, items, "cooperation", "intl")
    parts = target.plugin._apply_overflow(body=note.body, title=note.title, body_format=target.format)
    assert len(parts) > 1 and all(len(p["title"]) + len(p["body"]) <= 4096 for p in parts)
    sent = "".join(p["body"] for p in parts)
    assert all(f'<a href="{item["url"]}">' in sent for item in items)
    assert all(p["body"].count("<a ") == p["body"].count("</a>") for p in parts)  # no link torn apart


@pytest.mark.parametrize("url, words", [
    ("foo://example.org/x", ["notify", "unknown scheme 'foo://'"]),
    ("tgram://", ["notify", "not a valid tgram:// URL"]),
    ("tgram://${NEWSMON_UNSET_TOKEN}/12345", ["notify", "${NEWSMON_UNSET_TOKEN} is not set"]),
])
def test_bad_target_is_one_line_naming_the_key(tmp_path, url, words):
    path = write_config(tmp_path, [url])
    proc = run_newsmon(path, "alerts", "list", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "[[subscriptions]] #1 (intl) notify" in proc.stderr and all(w in proc.stderr for w in words)


def test_operator_notify_is_checked_too(tmp_path):
    with pytest.raises(ConfigError, match=r"\[alerts\] operator_notify: unknown scheme"):
        make_config(tmp_path, alerts={"operator_notify": ["nope://x"]})


def test_alerts_list_and_test_mask_secrets(tmp_path, receiver, monkeypatch):
    monkeypatch.setenv("NEWSMON_TG_TOKEN", TOKEN)
    monkeypatch.setenv("NEWSMON_HOOK_SECRET", "s3cr3t-path-token")
    hook = f"json://user:pa55word@127.0.0.1:{receiver.port}/${{NEWSMON_HOOK_SECRET}}"
    path = write_config(tmp_path, ["tgram://${NEWSMON_TG_TOKEN}/12345", hook])
    archive_items(config_mod.load(path), [article(1, *COOP_RU)])
    listed = run_newsmon(path, "alerts", "list")
    assert "tgram://1...9/12345" in listed.stdout and "${NEWSMON_HOOK_SECRET}" in listed.stdout
    for secret in (TOKEN, "pa55word", "s3cr3t-path-token", TOKEN.split(":")[1]):
        assert secret not in listed.stdout
    probe = run_newsmon(path, "alerts", "test", "--target", hook)
    assert "test message sent to json://user:****@127.0.0.1" in probe.stdout and "pa55word" not in probe.stdout
    assert receiver.accepted[-1]["title"] == "newsmon test message"
    assert receiver.accepted[-1]["path"] == "/s3cr3t-path-token"  # expanded at send time
    receiver.stop()
    failed = run_newsmon(path, "alerts", "test", "--target", hook, check=False)
    assert failed.returncode == 2 and "not delivered" in failed.stderr and "pa55word" not in failed.stderr


def test_health_incidents_go_to_operator_notify(tmp_path, receiver):
    config = make_config(tmp_path, alerts={"operator": "ops@example.org", "operator_notify": [receiver.url()]})
    db = connect(config.db_path)
    from tests.monitor_fixtures import record_run

    for _ in range(3):
        record_run(db, "spbpu-ru", "failed")
    queued = health.report(config, db)
    assert queued and health.report(config, db) == []  # one row per target and incident, never twice
    rows = list(db.query("SELECT channel, recipient FROM outbox WHERE kind = 'health'"))
    assert {r["channel"] for r in rows} == {"email", "apprise"}
    delivery.deliver(config, db)
    assert receiver.accepted and all(p["title"].startswith("newsmon health: ") for p in receiver.accepted)


def test_logs_and_stored_errors_never_show_secrets(tmp_path, receiver, monkeypatch, caplog):
    monkeypatch.setenv("NEWSMON_HOOK_SECRET", "s3cr3t-path-token")
    config, db = setup(tmp_path, [f"json://user:pa55word@127.0.0.1:{receiver.port}/${{NEWSMON_HOOK_SECRET}}"])
    receiver.replies = [500, 403]
    caplog.set_level("DEBUG")
    delivery.deliver(config, db, now=LATER)
    delivery.deliver(config, db, now=LATER)
    errors = " ".join(r["last_error"] or "" for r in db.query("SELECT last_error FROM outbox"))
    assert "error=500" in caplog.text and "error=403" in errors
    for secret in ("pa55word", "s3cr3t-path-token"):
        assert secret not in caplog.text and secret not in errors
