"""Alert emails: multipart plain text + HTML from Jinja2 templates, sent by SMTP or kept in a Maildir.

Scraped text reaches headers only through `header_safe` (no CR/LF, so no header injection) and
HTML only through Jinja2's autoescaping. Non-ASCII headers (Cyrillic titles) are RFC 2047-encoded
by `email.policy.default`. The SMTP password is read only from $NEWSMON_SMTP_PASSWORD.
"""

from __future__ import annotations

import mailbox
import os
import re
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from monitor.config import Config
from monitor.errors import ConfigError

PASSWORD_ENV = "NEWSMON_SMTP_PASSWORD"
SUBJECT_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def header_safe(text: Any, limit: int = SUBJECT_MAX) -> str:
    """One header line: control characters (CR, LF, TAB ...) become spaces; long text is cut with '…'."""
    text = " ".join(_CONTROL.sub(" ", str(text or "")).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The template environment over monitor/templates (HTML autoescaped, undefined names are errors)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(name: str, **context: Any) -> tuple[str, str]:
    """The plain text and HTML bodies of template pair `name`.txt / `name`.html."""
    env = templates()
    return env.get_template(f"{name}.txt").render(**context), env.get_template(f"{name}.html").render(**context)


def alert_subject(items: list[dict[str, Any]], label: str) -> str:
    """`New cooperation news: <title>` for one item, `3 new cooperation news items` for several."""
    if len(items) == 1:
        word = "Changed" if items[0]["event"] == "changed" else "New"
        return header_safe(f"{word} {label} news: {items[0]['title']}")
    adjective = "new" if all(i["event"] == "new" for i in items) else "new or changed"
    return header_safe(f"{len(items)} {adjective} {label} news items")


def message(config: Config, recipient: str, subject: str, text: str, html: str, message_id: str) -> EmailMessage:
    """A multipart/alternative email with the headers every newsmon email carries."""
    msg = EmailMessage()
    msg["From"] = header_safe(config.section("smtp")["sender"])
    msg["To"] = header_safe(recipient)
    msg["Subject"] = header_safe(subject)
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = header_safe(message_id)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def alert_message(config: Config, *, recipient: str, subscription: str, items: list[dict[str, Any]],
                  label: str, message_id: str) -> EmailMessage:
    """The alert for one item (per_item) or several (digest); items carry title, url, paragraphs, topics ..."""
    subject = alert_subject(items, label)
    text, html = render("alert", items=items, subject=subject, subscription=subscription)
    return message(config, recipient, subject, text, html, message_id)


def health_message(config: Config, *, recipient: str, summary: str, text: str, incident: str,
                   message_id: str) -> EmailMessage:
    """One health incident for the operator."""
    subject = header_safe(f"newsmon health: {summary}")
    body, html = render("health", summary=summary, text=text, incident=incident, subject=subject)
    return message(config, recipient, subject, body, html, message_id)


def probe_message(config: Config, recipient: str) -> EmailMessage:
    """The email `newsmon alerts test` sends to check the settings."""
    sent_at = datetime.now(UTC).isoformat(timespec="seconds")
    subject = "newsmon test email"
    text, html = render("test", transport=describe(config), sent_at=sent_at, subject=subject)
    stamp = re.sub(r"\W", "", sent_at)
    return message(config, recipient, subject, text, html, f"<newsmon.test.{stamp}.{os.getpid()}@newsmon>")


def describe(config: Config) -> str:
    """Where mail goes, in words, for `status` and the test email."""
    smtp = config.section("smtp")
    if not smtp["host"]:
        return f"Maildir {config.maildir} (no [smtp] host configured)"
    user = f" as {smtp['username']}" if smtp["username"] else ""
    return f"SMTP {smtp['host']}:{smtp['port']} ({smtp['security']}){user}"


class SmtpTransport:
    """One SMTP connection, opened on first send and reused until closed or broken."""

    def __init__(self, config: Config) -> None:
        self.smtp = dict(config.section("smtp"))
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        host, port, timeout = self.smtp["host"], self.smtp["port"], self.smtp["timeout"]
        security = self.smtp["security"]
        if security == "tls":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if security == "starttls":
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if self.smtp["username"]:
                password = os.environ.get(PASSWORD_ENV)
                if password is None:
                    raise ConfigError(f"[smtp] username is set but ${PASSWORD_ENV} is not; export the password")
                conn.login(self.smtp["username"], password)
        except BaseException:
            conn.close()
            raise
        return conn

    def send(self, msg: EmailMessage) -> None:
        """Hand one message to the server; returns only once the server accepted it."""
        if self.conn is None:
            self.conn = self._connect()
        try:
            self.conn.send_message(msg)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None


class MaildirTransport:
    """With no [smtp] host: every email lands in a local Maildir (nothing is lost, nothing is sent)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, msg: EmailMessage) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        box = mailbox.Maildir(self.path, create=True)
        box.add(msg)

    def close(self) -> None:
        pass


def transport_for(config: Config) -> SmtpTransport | MaildirTransport:
    """SMTP when [smtp] host is set, else the Maildir at [storage] maildir."""
    if config.section("smtp")["host"]:
        return SmtpTransport(config)
    return MaildirTransport(config.maildir)
