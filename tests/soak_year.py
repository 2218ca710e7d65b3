"""The soak: a year of 30-minute polls on a compressed clock, with faults injected at random.

Real processes throughout: `newsmon run` (the daemon, which runs each crawl as a subprocess), the
replay site on loopback publishing and editing articles as it goes, an aiosmtpd server, and the
faults a deployment meets: site 5xx and timeouts, SMTP outages from a minute to a weekend, SIGKILL of
crawls and of the daemon (delivery runs inside it), a full disk (a real tmpfs, when mounting is
permitted), and another process holding the archive's write lock.

One simulated half hour is `cycle` seconds of wall time; every duration of the configuration is
scaled with it (backoff_max = 1 h, max_age = 5 days). At the end the faults stop, the system gets a
bounded time to settle, and `check` compares the archive and the mailbox with what the replay published.
"""

from __future__ import annotations

import math
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.conftest import REPO
from tests.monitor_fixtures import SmtpServer
from tests.replay import ReplaySite, server
from tests.replay.bodies import build_blocks
from tests.replay.corpus import Article, Host, apply_edit
from tests.replay.routes import Response

YEAR_CYCLES = 365 * 48  # 30-minute polls in a year
KINDS = ("site_5xx", "site_timeout", "smtp_outage", "kill_crawl", "kill_daemon", "disk_full", "locked_archive")
RECIPIENT = "intl@example.org"


@dataclass
class Options:
    """How long and how hard: wall seconds of faults, seconds per simulated half hour, the seed."""

    wall: float
    cycle: float = 2.0
    seed: int = 15
    settle: float = 90.0
    sweep_cycles: int = 6       # a --full sweep every N polls (catches edits)
    rates: dict[str, float] = field(default_factory=lambda: {
        "site_5xx": 0.05, "site_timeout": 0.03, "smtp_outage": 0.03, "kill_crawl": 0.04, "kill_daemon": 0.015,
        "disk_full": 0.02, "locked_archive": 0.02})


class LiveReplay:
    """The replay's English host, which publishes and edits articles while it is crawled, and can fail."""

    def __init__(self, rng: random.Random) -> None:
        self.site = ReplaySite(ru_port=0, en_port=0, state=1).start()
        self.rng = rng
        self.fault: str | None = None
        self.published: list[dict[str, Any]] = []  # url, title, coop, at (wall time)
        self.edits = 0
        self.templates = [a.spec for a in self.host().articles]
        for httpd in self.site._servers.values():  # a crawl that gave up on a slow reply resets: no traceback
            httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        _install_fault_hook()
        server_faults[id(self.site)] = self

    def host(self) -> Host:
        return self.site.hosts()["en"]

    def _swap(self, articles: list[Article]) -> None:
        hosts = self.site.hosts()
        with self.site._lock:  # the replay builds hosts once per state: replace this state's English host
            self.site._hosts[self.site.state] = {**hosts, "en": Host("en", articles)}

    def publish(self) -> dict[str, Any]:
        host = self.host()
        template = self.rng.choice(self.templates)
        n = len(self.published) + 1
        spec = replace(template, slug=f"soak-{n}-{template.slug}"[:90], title=f"{template.title} ({n})",
                       when=host.articles[0].spec.when + timedelta(minutes=30))
        self._swap([Article(spec, build_blocks(spec), spec.when), *host.articles])
        item = {"url": self.site.en_url + spec.path, "title": spec.title, "coop": spec.coop, "at": time.time()}
        self.published.append(item)
        return item

    def edit(self) -> None:
        host = self.host()
        target = self.rng.choice(host.articles)
        last = next((b for b in reversed(target.blocks) if b.kind == "p" and b.text), None)
        if last is None:
            return
        self.edits += 1
        blocks = apply_edit(target.blocks, last.text, f"{last.text} Updated ({self.edits}).")
        edited = Article(target.spec, blocks, target.modified + timedelta(minutes=1), True)
        self._swap([edited if a is target else a for a in host.articles])

    def urls(self) -> set[str]:
        return {self.site.en_url + a.path for a in self.host().articles}

    def stop(self) -> None:
        server_faults.pop(id(self.site), None)
        self.site.stop()


server_faults: dict[int, LiveReplay] = {}


def _install_fault_hook() -> None:
    """Route the replay's requests through the soak's site faults (503 or a reply slower than the timeout)."""
    if getattr(server.route, "soak_hook", False):
        return
    original = server.route

    def route(site: Any, label: str, path: str, query: str) -> Response:
        live = server_faults.get(id(site))
        if live is not None and label == "en" and path != "/robots.txt":
            if live.fault == "site_5xx":
                return Response(503, b"service unavailable\n", "text/plain; charset=utf-8")
            if live.fault == "site_timeout":
                response = original(site, label, path, query)
                response.delay = 3.0
                return response
        return original(site, label, path, query)

    route.soak_hook = True  # type: ignore[attr-defined]
    server.route = route


def config_text(data: Path, replay: LiveReplay, smtp: SmtpServer, opts: Options) -> str:
    c = opts.cycle
    return f"""
[storage]
path = "{data / 'newsmon.db'}"
maildir = "{data / 'maildir'}"

[crawl]
timeout = 2
retries = 1
autothrottle = false

[sources.spbpu-ru]
base_url = "{replay.site.ru_url}"
enabled = false

[sources.spbpu-en]
base_url = "{replay.site.en_url}"
download_delay = 0
concurrency = 4
interval = "{c:g}s"
jitter = "0s"
full_sweep = "{opts.sweep_cycles * c:g}s"

[scheduler]
delivery_interval = "1s"
health_interval = "{c:g}s"
crawl_timeout = "60s"
misfire_grace = "5s"

[smtp]
host = "127.0.0.1"
port = {smtp.port}
timeout = 2

[alerts]
backoff = "1s"
backoff_max = "{2 * c:g}s"
max_age = "{5 * 48 * c:g}s"
max_attempts = 3
operator = "ops@example.org"

[[subscriptions]]
name = "intl"
recipients = ["{RECIPIENT}"]
topics = ["cooperation"]
"""


class Daemon:
    """`newsmon run` as a subprocess, restartable after a SIGKILL."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config, self.log = config, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSMON_BUSY_TIMEOUT": "2"}

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(self.config), "run"],
                                         cwd=self.config.parent, stdout=out, stderr=subprocess.STDOUT, env=self.env)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()

    def ensure(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.start()

    def stop(self) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.kill()
            return None


def crawl_pids(config: Path) -> list[int]:
    """Crawl subprocesses started for this config (the daemon's children, in their own sessions)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(config).encode() in argv and b"crawl" in argv:
            pids.append(int(entry.name))
    return pids


HOLD = "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n" \
       "c.execute('BEGIN IMMEDIATE')\ntime.sleep(float(sys.argv[2]))\n"


class Disk:
    """The data directory on a small tmpfs when mounting is permitted (else a plain directory, no disk faults)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(path)], capture_output=True)
        self.mounted = proc.returncode == 0
        self.why = "" if self.mounted else (proc.stderr.decode(errors="replace").strip() or "mount failed")
        self.filler = path / "filler"

    def fill(self) -> None:
        stat = os.statvfs(self.path)
        with self.filler.open("ab") as out:
            try:
                out.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - 32 * 1024))
            except OSError:
                pass

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


@dataclass
class Soak:
    """One soak run: its parts, the faults it injected and the figures it measured."""

    base: Path
    opts: Options
    faults: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def run(self) -> dict[str, Any]:
        rng = random.Random(self.opts.seed)
        self.replay = LiveReplay(rng)
        self.smtp = SmtpServer().start()
        self.disk = Disk(self.base / "data")
        if not self.disk.mounted:
            self.notes.append(f"disk_full not injected: cannot mount a tmpfs ({self.disk.why})")
        self.config = self.base / "newsmon.toml"
        self.config.write_text(config_text(self.disk.path, self.replay, self.smtp, self.opts), encoding="utf-8")
        self.daemon = Daemon(self.config, self.base / "daemon.log")
        self.holders: list[subprocess.Popen[bytes]] = []
        try:
            self.daemon.start()
            self._baseline()
            started = time.monotonic()
            self._faults(rng)
            self.fault_wall = time.monotonic() - started
            self._clear()
            self._settle()
            code = self.daemon.stop()
            if code != 0:
                self.notes.append(f"daemon exit status at the end: {code}")
            return self.check()
        finally:
            self.daemon.kill()
            for holder in self.holders:
                holder.kill()
                holder.wait()
            self.smtp.stop()
            self.replay.stop()
            self.disk.unmount()

    @property
    def db(self) -> Path:
        return self.disk.path / "newsmon.db"

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as conn:
                return conn.execute(sql, args).fetchall()
        except sqlite3.Error:
            return []

    def _baseline(self) -> None:
        deadline = time.monotonic() + 120
        while not self.query("SELECT 1 FROM crawl_runs WHERE outcome = 'ok'"):
            if time.monotonic() > deadline:
                raise AssertionError("no baseline crawl within 120 s; see " + str(self.base / "daemon.log"))
            time.sleep(0.5)

    def _faults(self, rng: random.Random) -> None:
        """Tick once per simulated half hour: publish, edit, and start or end faults."""
        c, ends = self.opts.cycle, {}
        cycles = max(1, int(self.opts.wall / c))
        forced = {int(cycles * (i + 1) / (len(KINDS) + 2)): kind for i, kind in enumerate(KINDS)}
        for tick in range(cycles):
            t0 = time.monotonic()
            now = t0
            for kind, end in list(ends.items()):
                if now >= end:
                    self._end(kind)
                    del ends[kind]
            if rng.random() < 0.5:
                self.replay.publish()
            if rng.random() < 0.15:
                self.replay.edit()
            for kind in KINDS:
                if kind in ends:
                    continue
                if forced.get(tick) == kind or rng.random() < self.opts.rates[kind]:
                    left = (cycles - tick - 1) * c
                    duration = self._start(kind, rng, left)
                    if duration:
                        ends[kind] = time.monotonic() + duration
            self.daemon.ensure()
            time.sleep(max(0.0, c - (time.monotonic() - t0)))
        for kind in list(ends):
            self._end(kind)

    def _start(self, kind: str, rng: random.Random, left: float) -> float:
        """Inject one fault; returns how long it lasts (0 for an instant one, or when it could not start)."""
        c = self.opts.cycle
        if kind in ("site_5xx", "site_timeout"):
            if self.replay.fault:
                return 0.0
            self.replay.fault = kind
            self.faults[kind] += 1
            return rng.uniform(0.5, 2.0) * c
        if kind == "smtp_outage":  # a minute to a weekend, log-uniform, within what is left of the run
            duration = min(math.exp(rng.uniform(math.log(c / 30), math.log(96 * c))), max(c / 30, left * 0.8))
            self.smtp.stop()
            self.faults[kind] += 1
            self.faults["smtp_outage_sim_minutes"] += round(duration / c * 30)
            return duration
        if kind == "kill_crawl":
            pids = crawl_pids(self.config)
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
            self.faults[kind] += bool(pids)
            return 0.0
        if kind == "kill_daemon":
            self.daemon.kill()
            self.faults[kind] += 1
            time.sleep(0.2)
            self.daemon.start()
            return 0.0
        if kind == "disk_full":
            if not self.disk.mounted:
                return 0.0
            self.disk.fill()
            self.faults[kind] += 1
            return rng.uniform(0.5, 2.0) * c
        if kind == "locked_archive":
            seconds = rng.uniform(3.0, 2 * c + 3.0)
            self.holders.append(subprocess.Popen([sys.executable, "-c", HOLD, str(self.db), str(seconds)]))
            self.faults[kind] += 1
            return seconds
        raise ValueError(kind)

    def _end(self, kind: str) -> None:
        if kind in ("site_5xx", "site_timeout"):
            self.replay.fault = None
        elif kind == "smtp_outage":
            self.smtp.start()
        elif kind == "disk_full":
            self.disk.free()

    def _clear(self) -> None:
        self.replay.fault = None
        if self.smtp.controller is None:
            self.smtp.start()
        self.disk.free()
        for holder in self.holders:
            holder.kill()
            holder.wait()
        self.daemon.ensure()

    def _settle(self) -> None:
        """Until an ok incremental crawl and an ok full sweep started after the faults, and nothing pending."""
        since = self.query("SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')")[0][0]
        deadline = time.monotonic() + self.opts.settle
        while time.monotonic() < deadline:
            self.daemon.ensure()
            modes = {r[0] for r in self.query("SELECT mode FROM crawl_runs WHERE outcome = 'ok' AND started > ?",
                                              (since,))}
            pending = self.query("SELECT count(*) FROM outbox WHERE status = 'pending'")
            if modes >= {"incremental", "full"} and pending and pending[0][0] == 0:
                time.sleep(2 * self.opts.cycle)  # a few more ticks must add nothing
                return
            time.sleep(0.5)
        self.notes.append(f"did not settle within {self.opts.settle:.0f} s")

    def check(self) -> dict[str, Any]:
        """The figures: cycles, faults, articles, alerts, lost and duplicated."""
        archived = Counter(r[0] for r in self.query("SELECT url FROM articles"))
        published = self.replay.urls()
        runs = Counter(r[0] for r in self.query("SELECT outcome FROM crawl_runs"))
        cycles = sum(runs.values())
        rows = self.query("SELECT o.id, o.status, a.url, o.kind, o.incident, o.article_id, o.version,"
                          " o.subscription, o.recipient FROM outbox o LEFT JOIN articles a ON a.id = o.article_id")
        from monitor.outbox import message_id

        keys = ("id", "status", "url", "kind", "incident", "article_id", "version", "subscription", "recipient")
        by_mid = {message_id(dict(zip(keys, r, strict=True))): dict(zip(keys, r, strict=True)) for r in rows}
        received = Counter(m["Message-ID"] for m in self.smtp.messages if m["To"] == RECIPIENT)
        per_url: dict[str, set[str]] = {}
        for mid in received:
            row = by_mid.get(mid)
            per_url.setdefault(row["url"] if row else f"unknown {mid}", set()).add(mid)
        coop = [p for p in self.replay.published if p["coop"]]
        lost = [p["url"] for p in coop if p["url"] not in per_url]
        duplicated = [u for u, mids in per_url.items() if len(mids) > 1]
        unexpected = [u for u in per_url if u not in {p["url"] for p in coop}]
        window = sum(n - 1 for n in received.values() if n > 1)
        unwritten = self.query("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM crawl_runs r WHERE"
                               " r.source = a.source AND a.first_seen >= r.started"
                               " AND a.first_seen <= coalesce(r.finished, '9999'))")
        integrity = self.query("PRAGMA integrity_check")
        figures = {
            "fault_wall_s": round(self.fault_wall, 1), "cycle_s": self.opts.cycle,
            "polls": cycles, "polls_by_outcome": dict(runs),
            "simulated_days": round(self.fault_wall / self.opts.cycle / 48, 2),
            "year_wall_hours_extrapolated": round(self.fault_wall / max(1, cycles) * YEAR_CYCLES / 3600, 1),
            "faults": {k: self.faults[k] for k in (*KINDS, "smtp_outage_sim_minutes")},
            "published": len(self.replay.published), "edits": self.replay.edits,
            "site_articles": len(published), "archived": sum(archived.values()),
            "missing": sorted(published - set(archived)), "archived_twice": [u for u, n in archived.items() if n > 1],
            "extra": sorted(set(archived) - published),
            "coop_published": len(coop), "coop_mailed": len(coop) - len(lost), "lost": lost,
            "duplicated": duplicated, "unexpected_alerts": unexpected, "window_copies": window,
            "failed_rows": [r for r in by_mid.values() if r["status"] == "failed"],
            "pending_rows": sum(1 for r in by_mid.values() if r["status"] == "pending"),
            "health_emails": sum(1 for m in self.smtp.messages if m["To"] == "ops@example.org"),
            "articles_without_crawl_record": unwritten[0][0] if unwritten else None,
            "integrity": integrity[0][0] if integrity else "unreadable",
            "running_records": runs.get("running", 0),
            "notes": self.notes,
        }
        return figures


def markdown(figures: dict[str, Any], title: str) -> str:
    """The soak's section of docs/benchmarks.md."""
    f = figures
    faults = ", ".join(f"{k} {v}" for k, v in f["faults"].items())
    return f"""## {title}

`make soak` (tests/test_soak_year.py, the long variant; a short one runs in `make test`): the real daemon, the
replay (English host, publishing an article every other poll and editing one every seventh) and an aiosmtpd server,
one simulated 30-minute poll every {f['cycle_s']:g} s of wall time, faults injected at random (each kind at least once).

| figure | value |
|---|---|
| wall time with faults | {f['fault_wall_s']:.0f} s |
| poll cycles run (crawl records) | {f['polls']} ({', '.join(f'{k} {v}' for k, v in sorted(f['polls_by_outcome'].items()))}) |
| simulated time | {f['simulated_days']:g} days |
| a year of {YEAR_CYCLES} polls, extrapolated | {f['year_wall_hours_extrapolated']:g} h of wall time |
| faults injected | {faults} |
| articles published / edits | {f['published']} / {f['edits']} |
| articles on the site / archived | {f['site_articles']} / {f['archived']} (missing {len(f['missing'])}, twice {len(f['archived_twice'])}) |
| cooperation items published / mailed | {f['coop_published']} / {f['coop_mailed']} |
| lost / duplicated (distinct Message-IDs) | {len(f['lost'])} / {len(f['duplicated'])} |
| copies inside the accepted-but-not-marked window (same Message-ID) | {f['window_copies']} |
| alert rows failed / pending at the end | {len(f['failed_rows'])} / {f['pending_rows']} |
| health emails | {f['health_emails']} |
| articles without a crawl record | {f['articles_without_crawl_record']} |
| archive integrity | {f['integrity']} |
{''.join(f'{chr(10)}Note: {n}' for n in f['notes'])}
"""


def write_section(path: Path, title: str, text: str) -> None:
    """Replace this section of the document (from its heading to the next `## `), or append it."""
    doc = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    head = f"## {title}\n"
    if head in doc:
        start = doc.index(head)
        end = doc.find("\n## ", start + len(head))
        doc = doc[:start] + text.strip() + "\n" + (doc[end:] if end != -1 else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + text.strip() + "\n"
    path.write_text(doc, encoding="utf-8")
