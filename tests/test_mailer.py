"""Alert emails: multipart from templates, encoded Cyrillic headers, escaping, SMTP security modes, Maildir."""

from __future__ import annotations

import mailbox
import smtplib
from email import message_from_bytes, policy

import pytest

from monitor import mailer
from monitor.errors import ConfigError
from tests.monitor_fixtures import SmtpServer, make_config, self_signed


def item(**over):
    base = {"title": "Политех подписал соглашение с Цинхуа", "url": "https://www.spbstu.ru/media/news/x/y/",
            "published": "2024-09-27", "section": "international_activities",
            "section_name": "Международная деятельность", "lang": "ru", "event": "new", "diff": "",
            "topics": {"cooperation": ["соглашение", "section:international_activities"]},
            "paragraphs": ["Первый абзац.", "Второй абзац."]}
    return {**base, **over}


def build(config, items, label="cooperation"):
    return mailer.alert_message(config, recipient="intl@example.org", subscription="intl", items=items,
                                label=label, message_id="<newsmon.outbox.7.abc@newsmon>")


def parsed(msg):
    """The message as a receiving client sees it: serialised to bytes and parsed back."""
    return message_from_bytes(msg.as_bytes(policy=policy.SMTP), policy=policy.default)


def test_single_alert_is_multipart_with_encoded_cyrillic_subject(tmp_path):
    msg = build(make_config(tmp_path), [item()])
    raw = msg.as_bytes(policy=policy.SMTP)
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n")[0].lower()
    back = parsed(msg)
    assert back["Subject"] == "New cooperation news: Политех подписал соглашение с Цинхуа"
    assert back["Message-ID"] == "<newsmon.outbox.7.abc@newsmon>"
    assert [p.get_content_type() for p in back.iter_parts()] == ["text/plain", "text/html"]
    text = back.get_body(("plain",)).get_content()
    for expected in ("2024-09-27", "Международная деятельность", "ru", "https://www.spbstu.ru/media/news/x/y/",
                     "Первый абзац.", "соглашение"):
        assert expected in text


@pytest.mark.parametrize(("events", "subject"), [
    (["new", "new", "new"], "3 new cooperation news items"),
    (["new", "changed"], "2 new or changed cooperation news items"),
    (["changed"], "Changed cooperation news: Политех подписал соглашение с Цинхуа"),
])
def test_subjects(tmp_path, events, subject):
    assert parsed(build(make_config(tmp_path), [item(event=e) for e in events]))["Subject"] == subject


def test_scraped_text_cannot_inject_headers_or_html(tmp_path):
    evil = item(title="Hi\r\nBcc: victim@example.org\r\n\r\nbody", paragraphs=["<script>alert(1)</script> & <b>"])
    back = parsed(build(make_config(tmp_path), [evil]))
    assert back["Bcc"] is None and "\n" not in back["Subject"]
    html = back.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in html


def test_header_safe_cuts_long_text():
    assert len(mailer.header_safe("x" * 500)) == mailer.SUBJECT_MAX


def test_maildir_when_no_smtp_host(tmp_path):
    config = make_config(tmp_path)
    transport = mailer.transport_for(config)
    assert isinstance(transport, mailer.MaildirTransport)
    transport.send(mailer.probe_message(config, "me@example.org"))
    (stored,) = list(mailbox.Maildir(config.maildir))
    assert stored["Subject"] == "newsmon test email"


def test_smtp_plain(tmp_path, smtp_server):
    config = make_config(tmp_path, smtp=smtp_server.smtp_config(sender="Ньюсмон <newsmon@example.org>"))
    transport = mailer.transport_for(config)
    transport.send(build(config, [item()]))
    transport.close()
    (got,) = smtp_server.messages
    assert got["Subject"].startswith("New cooperation news: Политех") and "Ньюсмон" in got["From"]
    assert smtp_server.handler.envelopes[0] == ("newsmon@example.org", ["intl@example.org"])


def test_smtp_login_password_only_from_env(tmp_path, monkeypatch):
    server = SmtpServer(users={"newsmon": "s3cret"}).start()
    try:
        config = make_config(tmp_path, smtp=server.smtp_config(username="newsmon"))
        monkeypatch.delenv(mailer.PASSWORD_ENV, raising=False)
        with pytest.raises(ConfigError, match=mailer.PASSWORD_ENV):
            mailer.SmtpTransport(config).send(build(config, [item()]))
        monkeypatch.setenv(mailer.PASSWORD_ENV, "wrong")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            mailer.SmtpTransport(config).send(build(config, [item()]))
        monkeypatch.setenv(mailer.PASSWORD_ENV, "s3cret")
        mailer.SmtpTransport(config).send(build(config, [item()]))
        assert len(server.messages) == 1
    finally:
        server.stop()


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_smtp_tls_modes(tmp_path, monkeypatch, security):
    context, cert = self_signed(tmp_path)
    server = SmtpServer(tls=context, implicit_tls=security == "tls").start()
    try:
        config = make_config(tmp_path, smtp=server.smtp_config(security=security))
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        transport = mailer.SmtpTransport(config)
        transport.send(build(config, [item()]))
        transport.close()
        assert len(server.messages) == 1
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
        with pytest.raises(ssl_errors()):
            mailer.SmtpTransport(config).send(build(config, [item()]))
    finally:
        server.stop()


def ssl_errors():
    import ssl
    return (ssl.SSLError, ssl.SSLCertVerificationError)
