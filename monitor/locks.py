"""Advisory locks beside the archive, so two processes never crawl one source or run two daemons.

`fcntl.flock` locks belong to an open file and vanish when the process dies (even by SIGKILL),
so a crashed crawl never leaves a stale lock behind. The holder writes its pid and start time
into the file only so the message for the second process can name it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from monitor.config import Config
from monitor.errors import NewsmonError, SourceLocked

WAIT, SKIP = "wait", "skip"
POLL_SECONDS = 0.1


class DaemonLocked(NewsmonError):
    """Another `newsmon run` already works on this archive."""


class DeliveryLocked(NewsmonError):
    """Another process is draining the outbox right now."""


def lock_path(config: Config, name: str) -> Path:
    """The lock file `<archive>.<name>.lock` beside the archive (name: a source or 'daemon')."""
    db = config.db_path
    return db.with_name(f"{db.name}.{name}.lock")


def _holder(path: Path) -> str:
    """Who holds the lock, as written by the holder ('' when unknown)."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _acquire(path: Path, mode: str, timeout: float) -> IO[str] | None:
    """Open and flock `path`; None when it stays held (at once for skip, after `timeout` for wait)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    deadline = time.monotonic() + (timeout if mode == WAIT else 0.0)
    while True:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.close()
                return None
            time.sleep(POLL_SECONDS)
            continue
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        return handle


def _release(handle: IO[str]) -> None:
    """Forget the holder and drop the lock (closing the file releases the flock)."""
    try:
        handle.seek(0)
        handle.truncate()
        handle.flush()
    finally:
        handle.close()


def _settings(config: Config, mode: str | None, timeout: float | None) -> tuple[str, float]:
    mode = mode or config.section("scheduler")["lock"]
    if mode not in (WAIT, SKIP):
        raise ValueError(f"lock mode must be wait or skip, not {mode!r}")
    return mode, config.duration("scheduler", "lock_timeout") if timeout is None else timeout


def _explain(what: str, holder: str, mode: str, timeout: float, path: Path) -> str:
    who = f" ({holder})" if holder else ""
    if mode == WAIT:
        return f"{what} is held by another newsmon process{who}; gave up after waiting {timeout:g}s (lock {path})"
    return f"{what} is held by another newsmon process{who}; skipped ([scheduler] lock = \"skip\"; lock {path})"


def source_lock(config: Config, source: str, *, mode: str | None = None,
                timeout: float | None = None) -> AbstractContextManager[Path]:
    """Hold the crawl lock of one source; raise SourceLocked if another process keeps it.

    `mode` and `timeout` default to [scheduler] lock ("wait" | "skip") and lock_timeout.
    Example: `with source_lock(config, "partner-uni"): run_the_crawl()`.
    """
    mode, timeout = _settings(config, mode, timeout)
    path = lock_path(config, f"source-{source}")
    what = f"source {source!r} is being crawled: its lock"
    return _Deferred(path, mode, timeout, lambda: SourceLocked(_explain(what, _holder(path), mode, timeout, path)))


def daemon_lock(config: Config, *, mode: str | None = None,
                timeout: float | None = None) -> AbstractContextManager[Path]:
    """Hold the one-daemon-per-archive lock; raise DaemonLocked if another `newsmon run` has it."""
    mode, timeout = _settings(config, mode, timeout)
    path = lock_path(config, "daemon")
    what = f"the archive {config.db_path} already has a `newsmon run` daemon: its lock"
    return _Deferred(path, mode, timeout, lambda: DaemonLocked(_explain(what, _holder(path), mode, timeout, path)))


def delivery_lock(config: Config, *, mode: str = SKIP, timeout: float = 0.0) -> AbstractContextManager[Path]:
    """Hold the outbox-draining lock, so the daemon and `newsmon alerts send` never send one row twice."""
    path = lock_path(config, "delivery")
    what = "alert delivery is running in another newsmon process: its lock"
    return _Deferred(path, mode, timeout, lambda: DeliveryLocked(_explain(what, _holder(path), mode, timeout, path)))


class _Deferred(AbstractContextManager[Path]):
    """A lock taken on __enter__ and dropped on __exit__; the error message is built only when needed."""

    def __init__(self, path: Path, mode: str, timeout: float, error: Callable[[], Exception]) -> None:
        self.path, self.mode, self.timeout, self.error = path, mode, timeout, error
        self.handle: IO[str] | None = None

    def __enter__(self) -> Path:
        self.handle = _acquire(self.path, self.mode, self.timeout)
        if self.handle is None:
            raise self.error()
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            _release(self.handle)
            self.handle = None


def is_locked(config: Config, source: str) -> bool:
    """True while some process holds the source's crawl lock (for `newsmon status`)."""
    path = lock_path(config, f"source-{source}")
    if not path.exists():
        return False
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False
