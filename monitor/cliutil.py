"""Shared pieces of the click CLI: the loaded config, the archive, and user-facing errors."""

from __future__ import annotations

import errno
import functools
import sqlite3
from collections.abc import Callable
from typing import Any

import click
import sqlite_utils

from monitor import config as config_mod
from monitor.errors import ArchiveUnusable, NewsmonError


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


def user_error(exc: BaseException) -> NewsmonError | None:
    """The one-line error a user should see for an exception a command met, or None for a real bug.

    A broken, read-only or full archive, a query nested too deeply to parse, a number too large for
    the archive: all are the user's situation to fix, not tracebacks.
    """
    from storage.db import ArchiveError, describe

    if isinstance(exc, NewsmonError):
        return exc
    if isinstance(exc, ArchiveError):
        return ArchiveUnusable(str(exc))
    if isinstance(exc, sqlite3.DatabaseError):
        return ArchiveUnusable(describe(exc, state().config.db_path))
    if isinstance(exc, RecursionError):
        return NewsmonError("the input is nested too deeply to read (too many parentheses?); simplify it")
    if isinstance(exc, OverflowError):
        return NewsmonError(f"a number is out of range (the archive's ids end at {2 ** 63 - 1}): {exc}")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT):
        return NewsmonError(f"cannot write {exc.filename or 'a file'}: {exc.strerror}")
    return None


def state() -> State:
    """The State of the running command."""
    return click.get_current_context().find_object(State)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a NewsmonError (or an error `user_error` knows) into one line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            error = user_error(exc)
            if error is None:
                raise
            click.echo(f"Error: {error}", err=True)
            raise SystemExit(error.exit_code) from None

    return wrapper
