"""Shared helpers for the monitor's tests: a real SMTP server on loopback, archives and configs.

`SmtpServer` is an aiosmtpd server on a free 127.0.0.1 port that records every accepted message
and can be told to answer the next N messages with a 4xx/5xx, to refuse recipients, or to go down.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from monitor import config as config_mod
from monitor.alerts import make_on_stored
from storage import archive, runs
from storage.db import connect
from storage.diff import fingerprint


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(config: Path) -> Iterator[str]:
    """`newsmon serve` as a subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    log = config.parent / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "serve",
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"newsmon serve did not start: {log.read_text()}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Recorder:
    """The aiosmtpd handler: records accepted messages, fails on demand."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.fail_data: list[str] = []       # replies for the next DATA commands, e.g. "451 try later"
        self.refuse_rcpt: dict[str, str] = {}  # address -> reply
        self.attempts = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.attempts += 1
            if self.fail_data:
                return self.fail_data.pop(0)
            self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK accepted"


def _authenticator(users: dict[str, str]):
    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and users.get(auth_data.login.decode()) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False)
    return check


class SmtpServer:
    """A recording SMTP server on 127.0.0.1 that can be stopped and started on the same port."""

    def __init__(self, *, users: dict[str, str] | None = None, tls: ssl.SSLContext | None = None,
                 implicit_tls: bool = False) -> None:
        self.port = free_port()
        self.handler = Recorder()
        self.users, self.tls, self.implicit_tls = users, tls, implicit_tls
        self.controller: Controller | None = None

    def start(self) -> SmtpServer:
        kwargs: dict[str, Any] = {}
        if self.users is not None:
            kwargs.update(authenticator=_authenticator(self.users), auth_require_tls=False)
        if self.tls is not None and self.implicit_tls:
            kwargs["ssl_context"] = self.tls
        elif self.tls is not None:
            kwargs.update(tls_context=self.tls, require_starttls=True)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def smtp_config(self, **over: Any) -> dict[str, Any]:
        return {"host": "127.0.0.1", "port": self.port, "security": "none", "timeout": 5.0, **over}


@pytest.fixture
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


def self_signed(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A server SSL context for 127.0.0.1 and the PEM file a client must trust (via SSL_CERT_FILE)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_pem, key_pem = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_pem, key_pem)
    return context, cert_pem


def make_config(tmp_path: Path, **sections: Any) -> config_mod.Config:
    """A Config over the defaults with the archive and Maildir inside tmp_path."""
    raw = {"storage": {"path": str(tmp_path / "newsmon.db"), "maildir": str(tmp_path / "maildir")}, **sections}
    return config_mod.from_dict(raw)


def subscription(**over: Any) -> dict[str, Any]:
    return {"name": "intl", "recipients": ["intl@example.org"], "topics": ["cooperation"], **over}


COOP_RU = ("Политех подписал соглашение о сотрудничестве с Университетом Цинхуа",
           "Ректор и делегация университета подписали соглашение.\n\nСтороны договорились о совместных программах.")
COOP_EN = ("SPbPU and TU Wildau sign a memorandum of understanding",
           "The universities agreed on joint research.\n\nA delegation visited the campus.")
OTHER_RU = ("Политехники победили в турнире по волейболу", "Команда выиграла финал.\n\nПоздравляем спортсменов!")


def article(n: int, title: str, body: str, *, source: str = "spbpu-ru", section: str = "other",
            published: str = "2024-09-27") -> dict[str, Any]:
    """An archive item as the pipelines hand it to storage.archive.store."""
    lang = "en" if source.endswith("en") else "ru"
    host = "english.spbstu.ru" if lang == "en" else "www.spbstu.ru"
    return {"url": f"https://{host}/media/news/{section}/item-{n}/", "source": source, "lang": lang,
            "section": section, "section_name": section, "title": title, "body": body, "published": published,
            "fingerprint": fingerprint(title, body, published)}


def archive_items(config: config_mod.Config, items: list[dict[str, Any]], *, alerts: bool = True,
                  db: sqlite_utils.Database | None = None) -> list[archive.Stored]:
    """Store items through the monitor's hook, as the archive pipeline does."""
    db = db or connect(config.db_path)
    hook = make_on_stored(config, alerts_enabled=alerts)
    return [archive.store(db, item, on_stored=hook) for item in items]


def record_run(db: sqlite_utils.Database, source: str, outcome: str = "ok", *, started: str | None = None,
               **counts: int) -> int:
    """A finished crawl record, optionally back-dated."""
    run_id = runs.start_run(db, source, "incremental", pid=None)
    runs.finish_run(db, run_id, outcome, counts, {}, 1.0)
    if started:
        db.execute("UPDATE crawl_runs SET started = ?, finished = ? WHERE id = ?", [started, started, run_id])
        db.conn.commit()
    return run_id


FAKE_ITEMS_ENV = "FAKE_CRAWL_ITEMS"  # JSON file {source: [item, ...]}: the "site" the fake crawl sees
FAKE_SLEEP_ENV = "FAKE_CRAWL_SLEEP"  # seconds to stay in the crawl (for locks, timeouts, kills)
FAKE_FAIL_ENV = "FAKE_CRAWL_FAIL"    # "1": the crawl ends failed
FAKE_COMMAND = "{python} -m tests.monitor_fixtures --config {config} {sources} {full}"


def fake_crawl(argv: list[str]) -> int:
    """A stand-in for `newsmon crawl` with the same contract: source lock, crawl record, archive + hook;
    several `--source` run side by side in the one process, like a batch."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--config")
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--full", action="store_true")
    parsed = parser.parse_args(argv)
    config = config_mod.load(parsed.config)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(1, len(parsed.source))) as pool:  # a batch's spiders run side by side
        codes = list(pool.map(lambda source: fake_crawl_one(config, source, parsed.full), parsed.source))
    return max(codes, default=0)


def fake_crawl_one(config: config_mod.Config, source: str, full: bool) -> int:
    """One source of a (batched) fake crawl."""
    import json
    import os
    import sys
    import time
    from types import SimpleNamespace

    from monitor.commands.crawl import EXIT_LOCKED
    from monitor.errors import SourceLocked
    from monitor.locks import source_lock

    args = SimpleNamespace(source=source, full=full)
    counts: dict[str, int] = {}
    try:
        with source_lock(config, args.source):
            db = connect(config.db_path)
            alerts = runs.has_baseline(db, args.source)
            run_id = runs.start_run(db, args.source, "full" if args.full else "incremental", pid=os.getpid())
            site = json.loads(Path(os.environ[FAKE_ITEMS_ENV]).read_text(encoding="utf-8"))
            counts = {"listed": 0, "new": 0, "changed": 0, "unchanged": 0}
            hook = make_on_stored(config, alerts_enabled=alerts)
            for item in site.get(args.source, []):
                counts["listed"] += 1
                counts[archive.store(db, item, on_stored=hook).status] += 1
                time.sleep(float(os.environ.get(FAKE_SLEEP_ENV, "0")) / max(1, len(site[args.source])))
            failed = os.environ.get(FAKE_FAIL_ENV) == "1"
            runs.finish_run(db, run_id, "failed" if failed else "ok", counts, {}, 0.1, "fake failure" if failed else None)
    except SourceLocked as exc:
        print(f"Error: {exc}", file=sys.stderr)
        print(f"{source}: skipped: another newsmon process is crawling it")
        return EXIT_LOCKED
    print(f"{args.source}: {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(fake_crawl(sys.argv[1:]))


def started_pool(processes: int = 1) -> Any:
    """A spiders.parsing.pool.ParsePool whose worker processes are up (at most 60 s to start)."""
    from spiders.parsing.pool import ParsePool

    pool = ParsePool(processes)
    pool.warm()
    deadline = time.monotonic() + 60
    while not pool.active and time.monotonic() < deadline:
        assert not pool.broken, "the worker processes could not start"
        time.sleep(0.05)
    assert pool.active, "the worker processes did not answer within 60 s"
    return pool


def pool_workers(pool: Any) -> list[int]:
    """The pids of a started pool's worker processes."""
    assert pool.workers
    return [worker.pid for worker in pool.workers]
