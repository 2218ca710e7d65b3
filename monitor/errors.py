"""One small exception per failure a user can meet; each message says what to do."""

from __future__ import annotations


class NewsmonError(Exception):
    """Base of every error newsmon reports to a user as one line (exit status 2)."""

    exit_code = 2


class ConfigError(NewsmonError):
    """The configuration file has an unknown key or a bad value."""


class SourceNotFound(NewsmonError):
    """A source name that no spider serves."""


class QueryError(NewsmonError):
    """A search query or filter the archive cannot read."""


class ArticleNotFound(NewsmonError):
    """No archived article has that id or URL."""


class SourceLocked(NewsmonError):
    """Another newsmon process is crawling the source right now."""


class ArchiveUnusable(NewsmonError):
    """The archive cannot be opened, read or written (a directory, a damaged file, a read-only or full disk)."""
