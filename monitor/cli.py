"""`newsmon`: the command line. Each family of subcommands lives in monitor/commands/."""

from __future__ import annotations

import logging
import sys

import click

from monitor import config as config_mod
from monitor.cliutil import State
from monitor.commands import crawl, daemon, extract, query, sources
from monitor.errors import NewsmonError
from spiders import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar=config_mod.ENV_VAR,
              help="Configuration file (default: ./newsmon.toml, or $NEWSMON_CONFIG).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(__version__, prog_name="newsmon")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """newsmon: crawl universities' news sections, archive every version, search it, and alert on cooperation news.

    Example: newsmon crawl && newsmon search сотрудничество --since 2024-01-01
    """
    if verbose:
        level = logging.DEBUG if verbose > 1 else logging.INFO
        logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    ctx.obj = State(config_path)


for module in (crawl, extract, query, daemon, sources):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="newsmon")
    except NewsmonError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
