"""newsmon sources add/test/list: learn a university's news section from its listing, check a source, list them.

`add` fetches politely (robots.txt, the delay, [crawl] timeout and user_agent), learns the `[sources.NAME]`
block (spiders/learn/) and appends it to the config file with tomlkit, keeping the file's comments and
layout. `test` reads the newest articles with the crawl's own code, so what it shows is what a crawl archives.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import click

from monitor import config as config_mod
from monitor.cliutil import state, user_errors
from monitor.errors import ConfigError, NewsmonError

FIELDS = ("title", "date", "body")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")


class SourceExists(NewsmonError):
    """A source of that name is already configured."""


class LearnError(NewsmonError):
    """The URL cannot be fetched or learned as a news listing."""


def fetcher_for(delay: float) -> Any:
    """A polite fetcher with the crawl's robots, timeout and user agent settings."""
    from spiders.learn.fetch import PoliteFetcher

    crawl = state().config.section("crawl")
    return PoliteFetcher(user_agent=crawl["user_agent"], timeout=float(crawl["timeout"]), delay=delay,
                         obey_robots=bool(crawl["obey_robots"]))


def config_file() -> Path:
    """The file newsmon is using (--config, $NEWSMON_CONFIG), else ./newsmon.toml (created if missing)."""
    return config_mod.find_config_file(state().config_path) or Path.cwd() / config_mod.DEFAULT_FILE


def source_table(learned: Any, url: str, replace_builtin: bool, delay: float | None = None) -> Any:
    """The learned block as a tomlkit table, with a comment per field that was not learned."""
    import tomlkit

    table = tomlkit.table()
    table.add(tomlkit.comment(f"learned by newsmon sources add from {url}"))
    for key in ("base_url", "listing_urls", "feed_url", "article_pattern", "lang"):
        table.add(key, learned.table[key])
    if delay is not None:
        table.add("download_delay", delay)
    if replace_builtin:
        table.add("profile", "")
    selectors = tomlkit.table()
    for key, value in learned.table["selectors"].items():
        selectors.add(key, value)
    for key, reason in learned.reasons.items():
        where = selectors if key in config_mod.SELECTOR_KEYS else table
        where.add(tomlkit.comment(f'feed_url = "none": {reason}' if key == "feed_url" else
                                  f"{key}: not learned: {reason}"))
    table.add("selectors", selectors)
    return table


def render_block(name: str, table: Any) -> str:
    import tomlkit

    doc = tomlkit.document()
    sources = tomlkit.table(is_super_table=True)
    sources.add(name, table)
    doc.add("sources", sources)
    return tomlkit.dumps(doc).strip()


def write_block(path: Path, name: str, table: Any, replace: bool) -> None:
    """Append (or, with replace, swap in) the block; the result is checked as a config before it is written."""
    import tomlkit

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    sources = doc.get("sources")
    if sources is None:
        sources = tomlkit.table(is_super_table=True)
        doc.add("sources", sources)
    if name in sources:
        if not replace:
            raise SourceExists(f"{path} already has [sources.{name}]; pass --replace to overwrite it")
        del sources[name]
    sources.add(name, table)
    new_text = tomlkit.dumps(doc)
    config_mod.from_dict(tomllib.loads(new_text), path)  # never write a config newsmon cannot load
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(new_text, encoding="utf-8")
    os.replace(temp, path)


def preview_lines(learned: Any, source: Any, count: int = 3) -> list[str]:
    from spiders.learn.reader import read_article, summary

    lines = [f"Preview ({min(count, len(learned.sample))} of {len(learned.sample)} sampled articles, "
             f"read as a crawl reads them):"]
    for page in learned.sample[:count]:
        lines += article_lines(summary(page.url, read_article(page, source)))
    unlearned = {k: v for k, v in learned.reasons.items() if k != "feed_url"}
    if unlearned:
        lines.append("Not learned (read generically):")
        lines += [f"    {key}: {reason}" for key, reason in unlearned.items()]
    return lines


def article_lines(item: dict[str, Any]) -> list[str]:
    """One article: each field with the extractor that gave it, then its problems."""
    by = item["extractors"]
    lines = [f"- {item['url']}",
             f"    title  [{by['title'] or 'missing'}]  {item['title'] or '-'}",
             f"    date   [{by['date'] or 'missing'}]  {item['published'] or '-'}",
             f"    body   [{by['body'] or 'missing'}]  {item['body_words']} words: {item['body'] or '-'}"]
    if item["selector_misses"]:
        lines.append(f"    selectors that matched nothing: {', '.join(item['selector_misses'])}")
    problems = [p for p in item["problems"] if not p.startswith("selector ")]
    if problems:
        lines.append(f"    problems: {'; '.join(problems)}")
    return lines


@click.group("sources")
def sources() -> None:
    """Learn a new source from its news listing, test a source's settings, list every source.

    Example: newsmon sources add https://www.partner.example.edu/news/ --name partner --write
    """


@sources.command("add")
@click.argument("url")
@click.option("--name", required=True, help="The source's name: lower-case letters, digits, '-', '_', '.'.")
@click.option("--lang", default="", help="The source's language (default: what its articles declare).")
@click.option("--sample", default=6, show_default=True, type=click.IntRange(2, 30),
              help="Articles to learn from (a few more are fetched to check what was learned).")
@click.option("--delay", type=click.FloatRange(0), default=None,
              help="Seconds between requests, also written as the block's download_delay (default: 1 s; "
                   "robots.txt Crawl-delay when longer).")
@click.option("--write", is_flag=True, help="Append the block to the config file newsmon is using.")
@click.option("--replace", is_flag=True, help="Overwrite a source of the same name.")
@user_errors
def add(url: str, name: str, lang: str, sample: int, delay: float | None, write: bool, replace: bool) -> None:
    """Learn the [sources.NAME] block of a news listing page: feed, pager, article links, selectors.

    Prints the TOML block and a preview of three articles (each field and the extractor that gave
    it); --write appends the block to the config file, keeping its comments and layout.

    \b
    Example:
      newsmon sources add https://www.partner.example.edu/news/ --name partner --lang en --write
    """
    from spiders.learn.fetch import FetchFailed
    from spiders.learn.site import LearnFailed, learn_source
    from spiders.sites import BUILTIN_SOURCES
    from spiders.source import from_config

    config = state().config
    if not _NAME.match(name):
        raise ConfigError(f"--name {name!r}: a source name is lower-case letters, digits, '-', '_' or '.'")
    if not re.match(r"^https?://[^/\s?#]+", url):
        raise LearnError(f"{url!r} is not an http(s) URL; give the news listing page's address")
    if name in config.data["sources"] and not replace:
        raise SourceExists(f"a source named {name!r} exists already; choose another --name or pass --replace")
    given = delay
    if delay is None:
        delay = float(config.data["sources"].get(name, {}).get("download_delay", 1.0))
    fetcher = fetcher_for(delay)
    try:
        learned = learn_source(url, name, fetcher, sample=sample, lang=lang)
    except (FetchFailed, LearnFailed) as exc:
        raise LearnError(str(exc)) from None
    table = source_table(learned, url, replace_builtin=name in BUILTIN_SOURCES, delay=given)
    click.echo(render_block(name, table))
    click.echo("")
    checked = config_mod.from_dict(tomllib.loads(render_block(name, table)))
    source = from_config(name, checked.data["sources"][name])
    for line in preview_lines(learned, source):
        click.echo(line)
    click.echo(f"\nLearned from {len(learned.sample)} articles, checked on {learned.checked} more "
               f"({learned.requests} requests, {learned.seconds:.1f} s).")
    if write:
        path = config_file()
        write_block(path, name, table, replace)
        click.echo(f"Wrote [sources.{name}] to {path}; check it with: newsmon sources test {name}")


def _newest(source: Any, fetcher: Any, limit: int) -> list[str]:
    """The newest article URLs of a source: its feed when it has one that reads, else its first listing page."""
    from spiders.learn.fetch import FetchFailed
    from spiders.learn.reader import newest_urls

    listing = fetcher.get(source.listing_urls[0]) if not source.feed_url else None
    if source.feed_url:
        try:
            found = newest_urls(None, source, feed=fetcher.get(source.feed_url))
            if found:
                return found[:limit]
        except FetchFailed:
            pass
        listing = fetcher.get(source.listing_urls[0])
    return newest_urls(listing, source)[:limit]


@sources.command("test")
@click.argument("name")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50),
              help="How many of the newest articles to read.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@user_errors
def test(name: str, limit: int, fmt: str) -> None:
    """Read the newest articles with the source's current settings: each field, its extractor, problems.

    Exit status 1 when a field is missing on most of them; a field its configured selector no longer
    finds (read by a fallback) counts as missing: the selectors need relearning.

    Example: newsmon sources test partner --limit 5
    """
    from spiders.learn.fetch import FetchFailed
    from spiders.learn.reader import read_article, summary
    from spiders.source import from_config

    table = state().config.source(name)
    source = from_config(name, table)
    fetcher = fetcher_for(float(table["download_delay"]))
    try:
        urls = _newest(source, fetcher, limit)
    except FetchFailed as exc:
        raise LearnError(str(exc)) from None
    items = []
    for url in urls:
        try:
            items.append(summary(url, read_article(fetcher.get(url), source)))
        except FetchFailed as exc:
            items.append({"url": url, "error": str(exc)})
    missing = {f: sum(1 for i in items if _missing(i, f, source)) for f in FIELDS}
    broken = [f for f, n in missing.items() if not items or n > len(items) / 2]
    if fmt == "json":
        click.echo(json.dumps({"source": name, "articles": items, "missing": missing, "ok": not broken},
                              ensure_ascii=False, indent=2))
    else:
        for item in items:
            click.echo("\n".join(article_lines(item)) if "error" not in item else f"- {item['url']}\n    {item['error']}")
        counts = ", ".join(f"{f} {len(items) - n}/{len(items)}" for f, n in missing.items())
        verdict = f"missing on most: {', '.join(broken)}" if broken else "ok"
        click.echo(f"{name}: {len(items)} articles; {counts} ({verdict})")
    if broken:
        raise SystemExit(1)


def _missing(item: dict[str, Any], field: str, source: Any) -> bool:
    """A field is missing when nothing gave it, or when the source's selector (or profile) for it gave nothing
    and a fallback read it."""
    if "error" in item or not item["extractors"].get(field):
        return True
    configured = getattr(source.selectors, field) or source.profile.has_parsers
    return bool(configured) and item["extractors"][field] != "profile"


@sources.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@user_errors
def list_command(fmt: str) -> None:
    """Every source: name, base URL, how it is read (profile, learned, generic), enabled, archive, last crawl.

    Example: newsmon sources list --format json
    """
    st = state()
    config = st.config
    stats: dict[str, Any] = {"by_source": {}, "last_crawl": {}}
    if config.db_path.exists():
        from storage.queries import stats as archive_stats

        db = st.db(readonly=True)
        try:
            stats = archive_stats(db)
        finally:
            db.close()
    rows = []
    for name, table in config.data["sources"].items():
        last = stats["last_crawl"].get(name)
        rows.append({"name": name, "base_url": table["base_url"],
                     "reads": table["profile"] or ("learned" if any(table["selectors"].values()) else "generic"),
                     "enabled": table["enabled"], "articles": stats["by_source"].get(name, 0),
                     "last_crawl": (last["finished"] or last["started"]) if last else None,
                     "last_outcome": last["outcome"] if last else None})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'name':<16} {'reads':<9} {'enabled':<7} {'articles':>8}  {'last crawl':<27} base URL")
    for row in rows:
        last = f"{row['last_crawl']} {row['last_outcome']}" if row["last_crawl"] else "never"
        click.echo(f"{row['name']:<16} {row['reads']:<9} {'yes' if row['enabled'] else 'no':<7} "
                   f"{row['articles']:>8}  {last:<27} {row['base_url']}")


COMMANDS: list[click.Command] = [sources]
