"""Drain the outbox: one email per per_item row, one digest per subscription and recipient, health emails.

Exactly once, except for one documented window. A row is marked `sent` only after the server
accepted its message (smtplib returned from DATA). If the process dies between "accepted" and
"marked sent" (one SQLite commit, milliseconds), the row is still pending and the next drain sends
it again: the recipient gets a second copy with the SAME Message-ID (derived from the outbox row,
see `monitor.outbox.message_id`), which mail clients and servers can recognise as a duplicate.
A digest's Message-ID is derived from its rows; a redelivered digest may gain rows queued since.
Outside that window no alert is lost (rows are committed with their article) or sent twice (the
delivery lock keeps two drains apart; sent rows are never picked again).

Failures are judged as a mail server judges them. One that is the server's (connection refused or
dropped, a timeout, a 4xx reply, a login the server refused) is not the message's: it spends none of the
row's attempts, and the row waits with exponential backoff ([alerts] backoff .. backoff_max) for as long
as the queue lifetime ([alerts] max_age) allows; the daemon keeps trying, so alerts arrive by themselves
once the server is back. A 5xx reply to the message (a refused recipient, a rejected message) spends an
attempt; after [alerts] max_attempts refusals the row is `failed`. A row whose article is gone fails at
once; a row still undelivered after max_age fails as expired. `failed` rows are shown by `newsmon status`,
`newsmon alerts list` and the health email; `newsmon alerts send` retries them.

Rows of channel `apprise` go to their one target through monitor.channels and are judged the same way: a
target down, timing out or answering 5xx defers; a 4xx answer spends an attempt. An unreachable mail
server or target stops the pass only for its own rows: the others are independent of it.
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import sqlite_utils

from monitor import channels, locks, mailer, outbox
from monitor.config import Config
from monitor.errors import ConfigError
from monitor.topics import load_topics

log = logging.getLogger(__name__)


@dataclass
class Report:
    """What one drain did, counted in rows (a digest is one message of many rows)."""

    messages: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


# The server itself is unreachable or refuses the session: trying each further row now would only wait
# out one timeout per row; the rest stays due for the next delivery.
UNREACHABLE = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPAuthenticationError,
               smtplib.SMTPHeloError, smtplib.SMTPNotSupportedError, ConfigError)


def unreachable(exc: BaseException) -> bool:
    """A failure of the connection or session, not of one message (smtplib's errors are OSErrors too)."""
    if isinstance(exc, channels.TargetError):
        return exc.transient  # an Apprise target down or answering 5xx
    return isinstance(exc, UNREACHABLE) or (isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException))


def _codes(exc: BaseException) -> list[int]:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return [code for code, _ in exc.recipients.values()]
    if isinstance(exc, smtplib.SMTPResponseException):
        return [exc.smtp_code]
    return []


def transient(exc: BaseException) -> bool:
    """The server's problem, not the message's: unreachable, or every reply a 4xx (try again later)."""
    if unreachable(exc):
        return True
    if isinstance(exc, channels.TargetError):
        return False
    codes = _codes(exc)
    return bool(codes) and all(400 <= code < 500 for code in codes)


def describe_error(exc: BaseException) -> str:
    """A one-line error for the outbox row and `newsmon alerts list`."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "recipient refused: " + "; ".join(f"{code} {msg.decode(errors='replace')}"
                                                 for code, msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
    return f"{type(exc).__name__}: {exc}"


def _paragraphs(body: str, limit: int) -> list[str]:
    return [p.strip() for p in (body or "").split("\n\n") if p.strip()][:limit]


def _items(db: sqlite_utils.Database, rows: list[dict[str, Any]], max_paragraphs: int) -> list[dict[str, Any]]:
    """The articles of alert rows, shaped for the alert templates (missing articles are skipped)."""
    ids = [r["article_id"] for r in rows]
    found = {a["id"]: a for a in db.query(
        f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids)}
    items = []
    for row in rows:
        article = found.get(row["article_id"])
        if article is None:
            continue
        payload = json.loads(row["payload"] or "{}")
        items.append({**article, "event": row["event"], "topics": payload.get("topics", {}),
                      "diff": payload.get("diff", ""), "paragraphs": _paragraphs(article["body"], max_paragraphs)})
    return items


def group(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows per message: per_item and health rows alone, digest rows by (subscription, recipient)."""
    singles, digests = [], defaultdict(list)
    for row in rows:
        if row["kind"] == "article" and row["mode"] == "digest":
            digests[(row["subscription"], row["recipient"])].append(row)
        else:
            singles.append([row])
    return singles + list(digests.values())


class Drain:
    """One pass over the due outbox rows with one transport."""

    def __init__(self, config: Config, db: sqlite_utils.Database, transport: Any = None) -> None:
        self.config, self.db = config, db
        self.transport = transport or mailer.transport_for(config)
        self.alerts = config.section("alerts")
        self.labels = {name: t.label for name, t in load_topics(config).items()}
        self.targets: dict[str, channels.Target] = {}  # one Apprise object per target URL
        self.report = Report()

    def build(self, rows: list[dict[str, Any]]) -> EmailMessage | None:
        first = rows[0]
        if first["kind"] == "health":
            payload = json.loads(first["payload"] or "{}")
            return mailer.health_message(self.config, recipient=first["recipient"], summary=payload.get("summary", ""),
                                         text=payload.get("text", ""), incident=first["incident"],
                                         message_id=outbox.message_id(first))
        items = _items(self.db, rows, self.alerts["max_paragraphs"])
        if not items:
            return None
        names = sorted({t for item in items for t in item["topics"]})
        label = " / ".join(self.labels.get(n, n) for n in names) or "news"
        message_id = outbox.message_id(first) if len(rows) == 1 else outbox.digest_message_id(rows)
        return mailer.alert_message(self.config, recipient=first["recipient"], subscription=first["subscription"],
                                    items=items, label=label, message_id=message_id)

    def send(self, rows: list[dict[str, Any]]) -> bool:
        """Send one message; False when the server cannot be reached, so the pass should stop."""
        ids = [r["id"] for r in rows]
        outbox.claim(self.db, ids)
        try:
            if rows[0].get("channel") == outbox.APPRISE:
                self.notify(rows)
            else:
                msg = self.build(rows)
                if msg is None:
                    raise LookupError("the alert's article is no longer in the archive")
                self.transport.send(msg)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
            if transient(exc):
                self.defer(ids, exc)
            else:
                self.fail(ids, exc)
            return not unreachable(exc)
        outbox.mark_sent(self.db, ids)  # the window: accepted by the server, not yet marked sent
        self.report.messages += 1
        self.report.sent += len(ids)
        return True

    def notify(self, rows: list[dict[str, Any]]) -> None:
        """Send the rows' message to their one Apprise target, formatted for it (see monitor.channels)."""
        first = rows[0]
        if first["recipient"] not in self.targets:
            self.targets[first["recipient"]] = channels.Target(first["recipient"])
        target = self.targets[first["recipient"]]
        if first["kind"] == "health":
            payload = json.loads(first["payload"] or "{}")
            target.send(channels.notice(target, f"newsmon health: {payload.get('summary', '')}",
                                        payload.get("text", "")))
            return
        items = _items(self.db, rows, self.alerts["max_paragraphs"])
        if not items:
            raise LookupError("the alert's article is no longer in the archive")
        names = sorted({t for item in items for t in item["topics"]})
        label = " / ".join(self.labels.get(n, n) for n in names) or "news"
        target.send(channels.alert_note(target, items, label, first["subscription"]))

    def defer(self, ids: list[int], exc: Exception) -> None:
        """The server could not take the message now: wait with backoff, attempts untouched."""
        error = mailer.header_safe(describe_error(exc), 500)
        outbox.defer(self.db, ids, error, base=self.config.duration("alerts", "backoff"),
                     cap=self.config.duration("alerts", "backoff_max"))
        self.report.retrying += len(ids)
        self.report.errors.append(error)
        log.warning("alert rows %s deferred (the receiving server's failure, no attempt spent): %s", ids, error)

    def expire(self) -> None:
        """Give up rows past the queue lifetime ([alerts] max_age), counted as failed."""
        expired = outbox.expire(self.db, self.config.duration("alerts", "max_age"))
        if expired:
            self.report.failed += len(expired)
            log.warning("alert rows %s failed: not delivered within [alerts] max_age", expired)

    def fail(self, ids: list[int], exc: Exception) -> None:
        error = mailer.header_safe(describe_error(exc), 500)
        permanent = isinstance(exc, LookupError)  # the article is gone: nothing to retry
        given_up = outbox.mark_failed(
            self.db, ids, error, max_attempts=self.alerts["max_attempts"], permanent=permanent,
            base=self.config.duration("alerts", "backoff"), cap=self.config.duration("alerts", "backoff_max"))
        self.report.failed += len(given_up)
        self.report.retrying += len(ids) - len(given_up)
        self.report.errors.append(error)
        log.warning("alert rows %s not delivered (%s): %s", ids, "failed" if given_up else "will retry", error)

    def run(self, now: str | None = None, stop: threading.Event | None = None) -> Report:
        down: set[str] = set()  # the mail server or targets found unreachable in this pass
        try:
            self.expire()
            for rows in group(outbox.due(self.db, now=now)):
                if stop is not None and stop.is_set():
                    break  # shutting down: the rest stays pending for the next start
                way = rows[0]["recipient"] if rows[0].get("channel") == outbox.APPRISE else outbox.EMAIL
                if way in down:
                    continue  # the others (email, other targets) are independent of it
                if not self.send(rows):
                    down.add(way)
                    log.warning("%s unreachable: its other due alerts wait for the next delivery",
                                "mail server" if way == outbox.EMAIL else channels.mask(way))
        finally:
            self.transport.close()
        return self.report


def deliver(config: Config, db: sqlite_utils.Database, *, transport: Any = None, wait: bool = False,
            now: str | None = None, stop: threading.Event | None = None, retry: bool | None = None) -> Report:
    """Drain due outbox rows once under the delivery lock (skip, or wait when `wait`).

    `retry` (for `newsmon alerts send`): first make every pending row due now, and failed ones too when
    True, under the same lock, so a running drain never sees its rows reset.
    """
    mode = locks.WAIT if wait else locks.SKIP
    timeout = config.duration("scheduler", "lock_timeout") if wait else 0.0
    with locks.delivery_lock(config, mode=mode, timeout=timeout):
        if retry is not None:
            outbox.retry(db, failed=retry)
        report = Drain(config, db, transport).run(now, stop)
    if report.messages or report.errors:
        log.info("delivery: %d message(s), %d row(s) sent, %d retrying, %d failed",
                 report.messages, report.sent, report.retrying, report.failed)
    return report
