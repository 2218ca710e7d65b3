"""newsmon query commands: search, show, export, feed, stats and serve, all over the archive read-only."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

import click
import sqlite_utils

from monitor.cliutil import state, user_errors
from storage import queries

FORMATS = ("table", "json", "jsonl", "csv")


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filters shared by search, export and feed."""
    options = [
        click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY)."),
        click.option("--until", metavar="DATE", help="Published on or before DATE (inclusive)."),
        click.option("--source", metavar="NAME", help="Only this source (a [sources.NAME] of the config)."),
        click.option("--section", metavar="CODE", help="Only this section code, as the archive holds it."),
        click.option("--lang", metavar="LANG", help="Only articles in this language, e.g. ru or en."),
        click.option("--topic", metavar="NAME", help="Only articles the monitor tagged with TOPIC, e.g. cooperation."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(db: sqlite_utils.Database, opts: dict[str, Any]) -> queries.Filters:
    """Filters from the command's options, checked against the config and the archive."""
    filters = queries.Filters(**{k: opts.get(k) for k in ("since", "until", "source", "section", "lang", "topic")})
    config = state().config
    queries.check_filters(db, filters, sources=config.data["sources"], topics=config.data["topics"])
    return filters


@click.command()
@click.argument("query", required=False)
@filter_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True, help="At most N results.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format; json/jsonl/csv carry url, source, lang, section, title, published, "
                   "first_seen, updated, snippet.")
@user_errors
def search(query: str | None, limit: int, fmt: str, **opts: Any) -> None:
    """Search the archive by relevance (any word form, Russian and English), or list the newest without QUERY.

    QUERY takes words (any form: сотрудничеству finds сотрудничество), "phrases", prefix*, AND, OR,
    NOT and parentheses.

    Example: newsmon search 'сотрудничество Китай' --since 2022 --lang ru --format json
    """
    db = state().db(readonly=True)
    hits = queries.search(db, query, _filters(db, opts), limit=limit)
    rows = [{f: h.get(f) for f in queries.FIELDS} | {"id": h["id"]} for h in hits]
    out = sys.stdout
    if fmt == "table":
        _table(rows, out)
    else:
        write_rows((({f: r[f] for f in queries.FIELDS}) for r in rows), fmt, queries.FIELDS, out)


def _table(rows: list[dict[str, Any]], out: TextIO) -> None:
    """One line per article fitted to the terminal, its snippet indented beneath."""
    width = max(shutil.get_terminal_size((100, 24)).columns, 40)
    if not rows:
        click.echo("no matching articles", err=True)
        return
    for row in rows:
        head = f"{row['id']:>6}  {(row['published'] or '-')[:10]:<10}  {row['lang']}  {row['section'] or '-'}  "
        out.write(_fit(head + " ".join(row["title"].split()), width) + "\n")
        if row["snippet"]:
            out.write(_fit("        " + " ".join(row["snippet"].split()), width) + "\n")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, fields: Iterable[str], out: TextIO) -> int:
    """Write rows one at a time as json (a list), jsonl or csv; returns the count."""
    fields = list(fields)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    elif fmt == "jsonl":
        encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
        write = out.write
        for row in rows:
            write(encode(row) + "\n")
            count += 1
    else:
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


@click.command()
@click.argument("ref", metavar="ID|URL")
@click.option("--versions", "show_versions", is_flag=True, help="List every stored version.")
@click.option("--diff", "show_diff", is_flag=True, help="Show the diff between each version and the one before.")
@user_errors
def show(ref: str, show_versions: bool, show_diff: bool) -> None:
    """Show one archived article by id or URL, with its versions and their diffs.

    Example: newsmon show 42 --diff
    """
    db = state().db(readonly=True)
    article = queries.get_article(db, ref)
    for key in ("id", "url", "source", "lang", "section", "published", "first_seen", "updated", "version"):
        click.echo(f"{key + ':':<11} {article[key] if article[key] is not None else '-'}")
    sources = {name: article.get(f"{name}_source") for name in ("title", "body", "date")}
    click.echo(f"{'extracted:':<11} " + ", ".join(f"{name} by {how or '-'}" for name, how in sources.items()))
    click.echo(f"{'topics:':<11} {', '.join(article['topics']) or '-'}")
    click.echo(f"\n{article['title']}\n\n{article['body']}")
    history = queries.versions(db, article["id"]) if show_versions or show_diff else []
    if show_versions:
        click.echo("\nversions:")
        for v in history:
            click.echo(f"  {v['version']:>3}  {v['seen_at']}  {v['fingerprint'][:12]}  {v['title']}")
    if show_diff:
        diffs = [v for v in history if v["diff"]]
        if not diffs:
            click.echo("\nno changes: the article has a single version")
        for v in diffs:
            click.echo(f"\n{v['diff']}")


@click.command()
@filter_options
@click.option("--format", "fmt", type=click.Choice(("jsonl", "csv")), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout.")
@user_errors
def export(fmt: str, output: Path | None, **opts: Any) -> None:
    """Export every field (body included) of the whole archive or a filtered part, streamed row by row.

    Example: newsmon export --format csv --lang en --since 2023 -o english.csv
    """
    db = state().db(readonly=True)
    rows = queries.iter_export(db, _filters(db, opts))
    if output is None:
        write_rows(rows, fmt, queries.EXPORT_FIELDS, sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as out:
        count = write_rows(rows, fmt, queries.EXPORT_FIELDS, out)
    click.echo(f"exported {count} articles to {output}", err=True)


@click.command()
@click.argument("query", required=False)
@filter_options
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The Atom file to write.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="At most N entries.")
@user_errors
def feed(query: str | None, output: Path, limit: int, **opts: Any) -> None:
    """Write an Atom feed of a saved search or topic, for any feed reader.

    Example: newsmon feed --topic cooperation --output data/cooperation.xml
    """
    from monitor.feeds import write_feed

    db = state().db(readonly=True)
    count = write_feed(db, query, _filters(db, opts), output, limit=limit)
    click.echo(f"wrote {count} entries to {output}")


@click.command()
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@user_errors
def stats(fmt: str) -> None:
    """Count the archive: articles by source, language, section and month, versions, last crawl.

    Example: newsmon stats --format json
    """
    data = queries.stats(state().db(readonly=True))
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"articles: {data['articles']}  versions: {data['versions']}  changed articles: "
               f"{data['changed_articles']}")
    for key in ("by_source", "by_lang", "by_section", "by_topic", "by_month"):
        click.echo(f"\n{key.replace('_', ' ')}:")
        for name, count in data[key].items():
            click.echo(f"  {name:<28} {count:>7}")
    click.echo("\nlast crawl:")
    for source, run in data["last_crawl"].items() or [("-", None)]:
        if run is None:
            click.echo("  none yet")
            continue
        click.echo(f"  {source:<12} {run['started']}  {run['outcome']}  new {run['new']}  changed "
                   f"{run['changed']}  unchanged {run['unchanged']}  errors {run['errors']}")


@click.command()
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind; the default keeps the UI on this machine.")
@user_errors
def serve(port: int, host: str) -> None:
    """Read the archive in a browser: latest news, search, articles with their diffs, crawl status.

    Pages: / (search and filters), /article/ID, /changed, /status, /feed.atom; Datasette's tables and
    canned queries under /ARCHIVE-NAME (e.g. /newsmon). Read-only; no JavaScript needed.

    Example: newsmon serve --port 8001   (then open http://127.0.0.1:8001/)
    """
    from monitor.web import serve as serve_web

    db = state().db(readonly=True)  # fails with one line when there is no archive yet
    db.conn.close()
    click.echo(f"serving {state().config.db_path} read-only at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    serve_web(state().config.db_path, host=host, port=port, config=state().config)


COMMANDS: list[click.Command] = [search, show, export, feed, stats, serve]
