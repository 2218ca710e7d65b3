"""newsmon daemon commands: `run` (the scheduler), `status`, and `alerts list|send|test`.

Mail and channel modules (jinja2, smtplib, Apprise) are imported by the commands that use them: every
`newsmon` process loads this module, and a crawl process has no mail to send.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import click

from monitor import locks, outbox
from monitor.cliutil import state, user_errors
from monitor.errors import NewsmonError
from storage import runs


@click.command()
@user_errors
def run() -> None:
    """Run the daemon: crawl each source on its schedule, send alerts, check health, until SIGTERM or Ctrl-C.

    Intervals, cron, jitter and full sweeps come from [sources.NAME]; delivery and health ticks from
    [scheduler]. A second daemon on the same archive waits or refuses per [scheduler] lock.

    Example: newsmon --config newsmon.toml run
    """
    from monitor.scheduler import Daemon

    if not logging.getLogger().handlers:  # without -v: the daemon's own log says what each job did
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
        logging.getLogger("monitor").setLevel(logging.INFO)
    raise SystemExit(Daemon(state().config).run())


def local_time(value: str | None) -> str:
    """An ISO timestamp (stored in UTC) as this machine's local time, the one zone every status line uses."""
    if not value:
        return "-"
    return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def next_run(config: Any, source: str, daemon: dict[str, Any] | None, last: dict[str, Any] | None) -> str:
    from monitor import health

    if daemon:
        return local_time(daemon["jobs"].get(f"crawl:{source}"))
    period = health.source_period(config, source)
    if last is None:
        return "at daemon start (never crawled)"
    due = datetime.fromisoformat(last["started"]).timestamp() + period
    return f"{local_time(datetime.fromtimestamp(due, UTC).isoformat())} (no daemon running)"


def _last_line(run: dict[str, Any] | None) -> str:
    if run is None:
        return "never crawled"
    if run["outcome"] == "running" and not runs.process_alive(run["pid"]):
        return (f"died at an unknown time after {local_time(run['started'])} without closing its record (killed, or its"
                " disk was full: see the crawl log); the next crawl marks it killed")
    return (f"{run['outcome']} at {local_time(run['started'])} ({run['mode']}): {run['new']} new, {run['changed']} changed,"
            f" {run['unchanged']} unchanged, {run['errors']} errors, {run['listed']} listed")


@click.command()
@user_errors
def status() -> None:
    """Show each source's last and next crawl, overdue sources and problems, and the alert counts.

    Example: newsmon status
    """
    from monitor import health, mailer
    from monitor.scheduler import read_state

    config = state().config
    db = state().db(readonly=True)
    daemon = read_state(config)
    click.echo(f"daemon: running (pid {daemon['pid']}, since {local_time(daemon['started'])})" if daemon
               else "daemon: not running")
    for source in config.source_names:
        last = runs.last_run(db, source)
        busy = " [crawling now]" if locks.is_locked(config, source) else ""
        click.echo(f"{source}{busy}\n  last run: {_last_line(last)}\n  next run: {next_run(config, source, daemon, last)}")
    incidents = health.check(config, db)
    overdue = [i.source for i in incidents if i.key.startswith("overdue:")]
    click.echo(f"overdue: {', '.join(overdue) if overdue else 'none'}")
    for incident in incidents:
        click.echo(f"problem: {incident.summary}")
    counts = outbox.counts(db)
    click.echo(f"alerts: {counts['pending']} pending, {counts['sent']} sent, {counts['failed']} failed"
               f" (mail goes to {mailer.describe(config)})")


@click.group()
def alerts() -> None:
    """Show, send and test alert emails (the outbox).

    Example: newsmon alerts list --status pending
    """


@alerts.command("list")
@click.option("--status", "status_", type=click.Choice(outbox.STATUSES), help="Only rows with this status.")
@click.option("--limit", default=50, show_default=True, help="At most this many rows, newest first.")
@user_errors
def list_alerts(status_: str | None, limit: int) -> None:
    """List alert rows: status, attempts, recipient (targets with secrets masked), article and last error.

    Example: newsmon alerts list --status failed
    """
    from monitor import channels

    db = state().db(readonly=True)
    rows = outbox.rows(db, status=status_, limit=limit)
    if not rows:
        click.echo("no alerts")
    for row in rows:
        what = row["title"] or row["incident"] or "-"
        when = local_time(row["sent_at"] if row["status"] == "sent" else row["next_attempt"])
        deferred = f" ({row['deferrals']} deferred)" if row.get("deferrals") and row["status"] != "sent" else ""
        line = (f"#{row['id']} {row['status']:<7} {row['attempts']}x{deferred} {when}  {row['event']:<7} "
                f"{row['subscription']} -> {channels.display(row)} ({row['mode']}): {what}")
        if row["last_error"] and row["status"] != "sent":
            line += f"\n    last error: {row['last_error']}"
        click.echo(line)


@alerts.command("send")
@click.option("--retry-failed/--no-retry-failed", default=True, show_default=True,
              help="Also retry failed rows (refused max_attempts times, or expired).")
@user_errors
def send(retry_failed: bool) -> None:
    """Send pending alerts now (ignoring backoff) and, by default, retry failed ones.

    Exit status 1 when some alerts could still not be delivered.
    Example: newsmon alerts send
    """
    from monitor import delivery, mailer

    config = state().config
    db = state().db()
    report = delivery.deliver(config, db, wait=True, retry=retry_failed)
    click.echo(f"{report.messages} email(s) sent for {report.sent} alert(s) via {mailer.describe(config)};"
               f" {report.retrying} to retry, {report.failed} failed")
    for error in dict.fromkeys(report.errors):
        click.echo(f"  error: {error}", err=True)
    if report.retrying or report.failed:
        raise SystemExit(1)


def test_target(url: str) -> None:
    """Send one test message to an Apprise target; a failure is one line naming the masked target."""
    from monitor import channels

    target = channels.Target(url, "--target")
    sent_at = datetime.now(UTC).isoformat(timespec="seconds")
    note = channels.notice(target, "newsmon test message",
                           f"This is a test message from newsmon, sent at {sent_at}. If you can read it, "
                           "alerts reach this target.")
    try:
        target.send(note)
    except channels.TargetError as exc:
        raise NewsmonError(f"test message not delivered: {exc}") from None
    click.echo(f"test message sent to {target.shown}")


@alerts.command("test")
@click.option("--to", "recipient", help="Recipient (default: [alerts] operator, else the first subscriber).")
@click.option("--target", "url", help="An Apprise URL (tgram://, slack://, json:// ...) to send to instead of email.")
@user_errors
def test(recipient: str | None, url: str | None) -> None:
    """Send one test email with the current mail settings (or one message to --target) and say where it went.

    Example: newsmon alerts test --to me@example.org
    Example: newsmon alerts test --target 'tgram://${NEWSMON_TG_TOKEN}/12345'
    """
    from monitor import delivery, mailer

    config = state().config
    if url:
        return test_target(url)
    recipient = recipient or config.section("alerts")["operator"] or next(
        (r for sub in config.section("subscriptions") for r in sub["recipients"]), "")
    if not recipient:
        raise NewsmonError("no recipient: pass --to ADDRESS or set [alerts] operator")
    transport = mailer.transport_for(config)
    try:
        transport.send(mailer.probe_message(config, recipient))
    except NewsmonError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is the answer the user asked for
        raise NewsmonError(f"test email to {recipient} failed via {mailer.describe(config)}: "
                           f"{delivery.describe_error(exc)}") from exc
    finally:
        transport.close()
    click.echo(f"test email sent to {recipient} via {mailer.describe(config)}")


COMMANDS: list[click.Command] = [run, status, alerts]
