"""newsmon crawl: crawl the sources now and say, per source, what was new, changed, unchanged or an error."""

from __future__ import annotations

import sys

import click

from monitor.cliutil import state, user_errors
from monitor.config import parse_duration
from monitor.crawl_inprocess import CrawlOptions, log_path, run_crawls
from storage.runs import last_run

EXIT_LOCKED = 3  # a source was skipped: another newsmon process holds its lock


def summary_line(run: dict) -> str:
    """`partner-uni: 3 new, 1 changed, 57 unchanged, 0 errors (18 requests, 4.2 s)` from a crawl record."""
    extra = []
    if run["dropped"]:
        extra.append(f"{run['dropped']} dropped")
    if run["skipped"]:
        extra.append(f"{run['skipped']} skipped")
    if run["flagged"]:
        extra.append(f"{run['flagged']} flagged")
    tail = f", {', '.join(extra)}" if extra else ""
    requests = run["requests"]
    line = (f"{run['source']}: {run['new']} new, {run['changed']} changed, {run['unchanged']} unchanged, "
            f"{run['errors']} errors{tail} ({requests} request{'' if requests == 1 else 's'}, {run['elapsed'] or 0:.1f} s)")
    if run["outcome"] != "ok":
        line += f" — {run['outcome']}: {run['message'] or 'see the log'}"
    return line


@click.command()
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Crawl only this source (repeatable; default: all enabled sources).")
@click.option("--full", is_flag=True, help="Walk every listing page and re-check every article (conditional GET).")
@click.option("--alert-backlog", is_flag=True, help="Let a source's first crawl send alerts too.")
@click.option("--time-limit", default="0", metavar="DURATION",
              help="Stop a source's crawl after this long (e.g. 10m); the other sources go on. Default: none.")
@user_errors
def crawl(sources: tuple[str, ...], full: bool, alert_backlog: bool, time_limit: str) -> None:
    """Crawl the news sources now and archive what is new or changed.

    Prints one line per source; exit status 1 when a source failed, 3 when a source was skipped
    because another newsmon process is crawling it.

    Example: newsmon crawl --source partner-uni --full
    """
    st = state()
    config = st.config
    for name in sources:
        config.source(name)  # an unknown name: one line naming the known sources
    names = list(sources) or config.source_names
    before = {name: (last_run(st.db(), name) or {}).get("id") for name in names}
    verbose = click.get_current_context().find_root().params.get("verbose", 0)
    limit = parse_duration(time_limit, "--time-limit", "newsmon crawl")
    options = CrawlOptions(names, full=full, alert_backlog=alert_backlog, progress=sys.stderr.isatty(),
                           verbose=verbose, time_limit=limit)
    report = run_crawls(config, options)
    skipped = report.skipped
    db = st.db(readonly=True)
    failed = False
    for name in names:
        if name in skipped:
            click.echo(f"{name}: skipped: another newsmon process is crawling it")
            continue
        run = last_run(db, name)
        stopped = report.stopped.get(name)
        if run is None or run["id"] == before[name]:
            click.echo(f"{name}: {stopped or f'no crawl record: the crawl did not start (see {log_path(config)})'}")
            failed = True
            continue
        if run["outcome"] == "running" and stopped:
            click.echo(f"{name}: crawl failed: {stopped}")
            failed = True
            continue
        click.echo(summary_line(run))
        failed |= run["outcome"] != "ok"
    if failed:
        raise SystemExit(1)
    if skipped:
        raise SystemExit(EXIT_LOCKED)


COMMANDS = [crawl]
