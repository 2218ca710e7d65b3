"""Health checks over the crawl records and the outbox; one message per incident to `[alerts] operator`
(email) and to each `[alerts] operator_notify` target (Apprise).

An incident has a stable key built from the first crawl record that showed the problem (or the last
good one), so the check may run every few minutes and still send one email per incident: the
outbox's unique index drops the twins. A new streak (after a good run) is a new incident.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from monitor import channels, locks, outbox
from monitor.config import Config, parse_duration
from storage.db import write_transaction
from storage.runs import finished_runs, last_ok_run

log = logging.getLogger(__name__)

FAILING_STREAK = 3
NO_DATE_SHARE = 0.2
OVERDUE_FACTOR = 2
BAD_OUTCOMES = ("failed", "killed")


@dataclass
class Incident:
    """One problem worth an email: a stable key, a one-line summary and the details."""

    key: str
    source: str
    summary: str
    text: str


def source_period(config: Config, source: str, now: datetime | None = None) -> float:
    """Seconds between two scheduled crawls of a source (its cron's next gap, else its interval)."""
    spec = config.source(source)
    if spec["cron"]:
        from monitor import cron

        trigger = cron.trigger(spec["cron"], None, f"[sources.{source}] cron")
        first = trigger.get_next_fire_time(None, now or datetime.now(UTC))
        second = trigger.get_next_fire_time(first, first)
        return (second - first).total_seconds()
    return parse_duration(spec["interval"])


def _finished(db: sqlite_utils.Database, source: str, limit: int = 50) -> list[dict[str, Any]]:
    return finished_runs(db, source, limit)


def _markup_problem(run: dict[str, Any]) -> str | None:
    """'parsed-none' or 'no-date' when a run suggests the site's markup changed."""
    parsed = run["new"] + run["changed"] + run["unchanged"]
    tried = run["mode"] == "full" or run["errors"] + run["dropped"] > 0
    if run["listed"] > 0 and parsed == 0 and tried:
        return "parsed-none"
    if parsed > 0 and run["no_date"] > NO_DATE_SHARE * parsed:
        return "no-date"
    return None


def failing(source: str, runs: list[dict[str, Any]]) -> Incident | None:
    streak = []
    for run in runs:
        if run["outcome"] not in BAD_OUTCOMES:
            break
        streak.append(run)
    if len(streak) < FAILING_STREAK:
        return None
    lines = [f"run {r['id']} started {r['started']}: {r['outcome']} {r['message'] or ''}".rstrip() for r in streak]
    return Incident(f"failing:{source}:{streak[-1]['id']}", source,
                    f"{source} failed {len(streak)} crawls in a row", "\n".join(lines))


def markup(source: str, runs: list[dict[str, Any]]) -> Incident | None:
    if not runs or not (kind := _markup_problem(runs[0])):
        return None
    streak = _takewhile(runs, lambda r: _markup_problem(r) == kind)
    run = runs[0]
    parsed = run["new"] + run["changed"] + run["unchanged"]
    if kind == "parsed-none":
        summary = f"{source}: the crawl listed {run['listed']} items but parsed none"
    else:
        summary = f"{source}: {run['no_date']} of {parsed} parsed articles have no date"
    text = (f"{summary} (run {run['id']}, {run['started']}). The site's markup probably changed: "
            f"check the source's selectors against a live article (`newsmon extract URL`) and update "
            f"[sources.{source}.selectors] or its profile.")
    return Incident(f"markup:{source}:{kind}:{streak[-1]['id']}", source, summary, text)


def _fell_back(run: dict[str, Any]) -> bool:
    return bool(run.get("fallbacks"))


def fallbacks(source: str, runs: list[dict[str, Any]]) -> Incident | None:
    """The source's profile or selectors stopped matching: articles were read generically instead."""
    if not runs or not _fell_back(runs[0]):
        return None
    streak = _takewhile(runs, _fell_back)
    run = runs[0]
    extractors = json.loads(run.get("extractors") or "{}")
    misses = extractors.get("selector_misses", {})
    fields = ", ".join(f"{name} ({count} pages)" for name, count in sorted(misses.items())) or "some fields"
    summary = f"{source}: selectors stopped matching ({fields}); articles were read generically"
    generic = {name: sum(c for e, c in by.items() if e in ("metadata", "generic"))
               for name, by in extractors.items() if name in ("title", "body", "date")}
    text = (f"{summary} (run {run['id']}, {run['started']}: {run['fallbacks']} fields fell back; read by the "
            f"generic extractors: {', '.join(f'{k} {v}' for k, v in sorted(generic.items()))}). Nothing was "
            f"dropped, but the site was probably redesigned. Check it with `newsmon sources test {source}`, "
            f"then relearn the selectors with `newsmon sources add LISTING_URL --name {source} --replace --write` "
            f"(or update [sources.{source}.selectors] or the source's profile) and crawl again.")
    return Incident(f"fallback:{source}:{streak[-1]['id']}", source, summary, text)


def _takewhile(rows: list[dict[str, Any]], keep: Any) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        if not keep(row):
            break
        out.append(row)
    return out


def overdue(config: Config, db: sqlite_utils.Database, source: str, now: datetime,
            since: datetime | None = None) -> Incident | None:
    """A source whose last ok crawl (or, never crawled, the daemon's start) is older than two periods.

    Not while a crawl of it runs (its lock is held): a long first crawl is not an outage, and a hung
    one ends at the daemon's time limit.
    """
    if locks.is_locked(config, source):
        return None
    period = source_period(config, source, now)
    ok = [run for run in [last_ok_run(db, source)] if run]
    if ok:
        last, key = datetime.fromisoformat(ok[0]["started"]), str(ok[0]["id"])
    elif since is not None:
        last, key = since, "never"
    else:
        return None
    late = (now - last).total_seconds()
    if late <= OVERDUE_FACTOR * period:
        return None
    summary = f"{source} is overdue: no successful crawl for {late / 60:.0f} minutes"
    text = (f"{summary} (the schedule expects one every {period / 60:.0f} minutes; "
            f"last ok crawl: {ok[0]['started'] if ok else 'never'}). Is the daemon running? See `newsmon status`.")
    return Incident(f"overdue:{source}:{key}", source, summary, text)


def failed_alerts(db: sqlite_utils.Database) -> Incident | None:
    rows = outbox.failed_articles(db)
    if not rows:
        return None
    lines = [f"#{r['id']} to {channels.display(r)}: {r['title']!r}: {r['last_error']}" for r in rows]
    summary = f"{len(rows)} alert email(s) could not be delivered"
    text = "\n".join(lines) + "\n\nFix the mail settings, then `newsmon alerts send` retries them."
    return Incident(f"alerts-failed:{rows[0]['id']}", "", summary, text)


def mail_outage(config: Config, db: sqlite_utils.Database, now: datetime) -> Incident | None:
    """Alerts still pending after failed delivery attempts for longer than [alerts] backoff_max: an outage.

    The email is queued like any other and arrives once mail works again (or lands in the Maildir);
    `newsmon status` and the daemon's log show it at once.
    """
    row = outbox.waiting(db)
    if row is None:
        return None
    waited = (now - datetime.fromisoformat(row["since"])).total_seconds()
    if waited <= config.duration("alerts", "backoff_max"):
        return None
    summary = f"{row['n']} alert(s) waiting for the mail server for {waited / 60:.0f} minutes"
    max_age = config.duration("alerts", "max_age")
    text = (f"{summary}; last error: {row['last_error']}. They are retried with backoff and sent once the server"
            f" takes them; an alert still undelivered {max_age / 86400:g} days after it was queued"
            " ([alerts] max_age) is marked failed. Check the mail server and [smtp].")
    return Incident(f"mail-outage:{row['id']}", "", summary, text)


def check(config: Config, db: sqlite_utils.Database, *, now: datetime | None = None,
          since: datetime | None = None) -> list[Incident]:
    """Every current incident; `since` is when the daemon started (for never-crawled sources)."""
    now = now or datetime.now(UTC)
    incidents: list[Incident | None] = []
    for source in config.source_names:
        runs = _finished(db, source)
        incidents += [failing(source, runs), markup(source, runs), fallbacks(source, runs),
                      overdue(config, db, source, now, since)]
    incidents += [failed_alerts(db), mail_outage(config, db, now)]
    return [i for i in incidents if i is not None]


def report(config: Config, db: sqlite_utils.Database, *, now: datetime | None = None,
           since: datetime | None = None) -> list[Incident]:
    """Queue one operator email per new incident; returns the incidents queued now."""
    operator = config.section("alerts")["operator"]
    targets = ([(operator, outbox.EMAIL)] if operator else []) + [
        (url, outbox.APPRISE) for url in config.section("alerts")["operator_notify"]]
    queued = []
    incidents = check(config, db, now=now, since=since)
    with write_transaction(db):
        for incident in incidents:
            payload = {"summary": incident.summary, "text": incident.text, "source": incident.source}
            new = [outbox.enqueue(db, kind="health", event="health", subscription="health", recipient=recipient,
                                  incident=incident.key, payload=payload, channel=channel)
                   for recipient, channel in targets]
            if any(row_id is not None for row_id in new):
                queued.append(incident)
    for incident in queued:
        log.warning("health: %s", incident.summary)
    if incidents and not targets:
        log.warning("health: %d incident(s) but no [alerts] operator or operator_notify to tell: %s", len(incidents),
                    "; ".join(i.summary for i in incidents))
    return queued
