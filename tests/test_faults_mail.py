"""Mail faults test_delivery.py does not cover: the connection dropped or stalled in the middle of DATA, a
421 greeting, a 4xx recipient reply. Each time the alerts stay queued, are retried and arrive exactly once.

A TCP proxy on loopback sits between newsmon and a real aiosmtpd server and breaks the conversation
on demand (the server never sees the end of the message, so it never accepts it).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from monitor import delivery, outbox
from storage.db import connect
from tests.monitor_fixtures import (
    COOP_EN,
    COOP_RU,
    OTHER_RU,
    SmtpServer,
    archive_items,
    article,
    make_config,
    subscription,
)

LATER = "2999-01-01T00:00:00+00:00"  # a `now` past every backoff


class BreakingProxy:
    """Forwards SMTP to `upstream`; mode pass | drop_mid_data | stall_mid_data | greet_421."""

    def __init__(self, upstream: int) -> None:
        self.upstream, self.mode = upstream, "pass"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.broken = 0
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(client, self.mode), daemon=True).start()

    def _session(self, client: socket.socket, mode: str) -> None:
        if mode == "greet_421":
            self.broken += 1  # before the reply: the client may check the count as soon as it reads it
            client.sendall(b"421 4.3.2 service not available, closing channel\r\n")
            client.close()
            return
        server = socket.create_connection(("127.0.0.1", self.upstream))
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
        sent, in_data = 0, False
        try:
            while chunk := client.recv(4096):
                if in_data:  # forward part of the message, never its end
                    server.sendall(chunk[:max(0, 200 - sent)])
                    sent += len(chunk)
                    if sent > 200:
                        self.broken += 1
                        if mode == "stall_mid_data":
                            self.stop.wait(30)
                        break
                    continue
                server.sendall(chunk)
                in_data = mode != "pass" and b"\r\ndata\r\n" in (b"\r\n" + chunk).lower()  # smtplib: "data"
        except OSError:
            pass
        finally:
            for sock in (client, server):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(4096):
                dst.sendall(chunk)
        except OSError:
            pass

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture
def proxy(smtp_server: SmtpServer) -> Iterator[BreakingProxy]:
    p = BreakingProxy(smtp_server.port)
    yield p
    p.close()


def setup(tmp_path, port: int):
    config = make_config(tmp_path, smtp={"host": "127.0.0.1", "port": port, "timeout": 2.0},
                         subscriptions=[subscription()], alerts={"max_attempts": 5, "backoff": "60s"})
    archive_items(config, [article(1, *COOP_RU), article(2, *OTHER_RU), article(3, *COOP_EN, source="spbpu-en")])
    return config, connect(config.db_path)


@pytest.mark.parametrize("mode", ["drop_mid_data", "stall_mid_data", "greet_421"])
def test_broken_conversation_keeps_alerts_queued_then_delivers_once(tmp_path, smtp_server, proxy, mode):
    config, db = setup(tmp_path, proxy.port)
    proxy.mode = mode
    report = delivery.deliver(config, db, now=LATER)
    # a broken session stops the pass: one row is deferred (no attempt spent), the other waits for the next one
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0), report
    assert proxy.broken == 1 and smtp_server.messages == []
    assert outbox.counts(db) == {"pending": 2, "sent": 0, "failed": 0}
    assert delivery.deliver(config, db).messages == 0  # backoff: not due yet
    proxy.mode = "pass"
    assert delivery.deliver(config, db, now=LATER).sent == 2
    assert delivery.deliver(config, db, now=LATER).sent == 0
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 2 and set(ids) == {outbox.message_id(r) for r in db.query("SELECT * FROM outbox")}
    assert sorted(r["attempts"] for r in db.query("SELECT attempts FROM outbox")) == [1, 1]


def test_4xx_recipient_reply_is_retried_not_failed(tmp_path, smtp_server):
    config, db = setup(tmp_path, smtp_server.port)
    smtp_server.handler.refuse_rcpt["intl@example.org"] = "450 4.2.1 mailbox busy, try later"
    report = delivery.deliver(config, db, now=LATER)
    assert (report.sent, report.retrying, report.failed) == (0, 2, 0)
    assert "450" in next(db.query("SELECT last_error FROM outbox"))["last_error"]
    smtp_server.handler.refuse_rcpt.clear()
    assert delivery.deliver(config, db, now=LATER).sent == 2
    assert len(smtp_server.messages) == 2


def test_header_injection_in_title_never_reaches_the_smtp_headers(tmp_path, smtp_server):
    """A scraped title carrying CR LF and fake headers, sent over real SMTP: one Subject, no Bcc, no extra part."""
    config = make_config(tmp_path, smtp=smtp_server.smtp_config(), subscriptions=[subscription()])
    title = "Соглашение о сотрудничестве\r\nBcc: victim@example.org\r\n\r\n<script>alert(1)</script>"
    archive_items(config, [article(7, title, "Политех подписал соглашение о сотрудничестве с партнёром.")])
    db = connect(config.db_path)
    assert delivery.deliver(config, db).sent == 1
    (msg,) = smtp_server.messages
    (_, rcpts), = smtp_server.handler.envelopes
    assert rcpts == ["intl@example.org"] and msg["Bcc"] is None
    assert "\n" not in msg["Subject"].replace("\n ", " ").strip() and "Bcc" in msg["Subject"]
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
