"""Shared pieces of the click CLI: the loaded config, the archive, and user-facing errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click
import sqlite_utils

from monitor import config as config_mod
from monitor.errors import NewsmonError


class State:
    """What every command gets through the click context: the config, loaded once on first use."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._config: config_mod.Config | None = None

    @property
    def config(self) -> config_mod.Config:
        if self._config is None:
            self._config = config_mod.load(self.config_path)
        return self._config

    def db(self, *, readonly: bool = False) -> sqlite_utils.Database:
        """The archive named by [storage] path, migrated (or opened read-only)."""
        from storage.db import connect

        path = self.config.db_path
        if readonly and not path.exists():
            raise NewsmonError(f"no archive at {path} yet; run 'newsmon crawl' first")
        return connect(path, readonly=readonly)


def state() -> State:
    """The State of the running command."""
    return click.get_current_context().find_object(State)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a NewsmonError into one line on stderr and exit status 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsmonError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(exc.exit_code) from None

    return wrapper
