"""Which sources of a batch may be pre-checked, and the crawl record of a source the pre-check found idle.

A source is pre-checked only when its own crawl would end at the same answer: an incremental crawl, the
last crawl finished ok (else every listing page is walked), no failed article waiting for a retry, one
poll URL (the feed, or the only listing page) with validators from that crawl. Everything else gets its
crawler as before. An idle source's record is what its own crawl would have written: outcome ok, one
request, its bytes, its response status, and the validators kept.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from typing import Any

from monitor.config import Config
from spiders.precheck import Poll
from spiders.source import from_config
from storage import runs
from storage.db import connect
from storage.validators import load_validators, save_validators

logger = logging.getLogger(__name__)


def poll_url(table: dict[str, Any], name: str) -> str | None:
    """The one URL whose answer decides an idle poll of this source, if there is one."""
    source = from_config(name, table)
    if source.feed_url:
        return source.feed_url
    return source.listing_urls[0] if len(source.listing_urls) == 1 else None


def eligible(config: Config, names: list[str]) -> list[Poll]:
    """The polls of the sources that may be pre-checked (see the module's docstring); none when the archive
    cannot be read: each source's own crawl then says why, in its record or on stderr, as before."""
    try:
        return _eligible(config, names)
    except (sqlite3.Error, OSError) as exc:
        logger.warning("no idle pre-check: %s", exc)
        return []


def _eligible(config: Config, names: list[str]) -> list[Poll]:
    polls = []
    db = connect(config.db_path)
    try:
        for name in names:
            url = poll_url(config.source(name), name)
            old = load_validators(db, name).get(url) if url else None
            if old is None or _last_unfinished(db, name) or not runs.previous_crawl_complete(db, name) \
                    or runs.retry_candidates(db, name, limit=1):
                continue
            polls.append(Poll(name, old))
    finally:
        db.close()
    return polls


def _last_unfinished(db: Any, name: str) -> bool:
    """Whether the source's last crawl record is still `running`: a killed crawl, which the source's own
    crawl closes as killed and follows by walking every listing page."""
    last = runs.last_run(db, name)
    return last is not None and last["outcome"] == "running"


class IdleRecorder:
    """Writes the crawl record (and keeps the validators) of each source the pre-check found idle."""

    def __init__(self, config: Config) -> None:
        self.path = config.db_path
        self.db: Any = None

    def record(self, poll: Poll) -> None:
        if self.db is None:
            self.db = connect(self.path)
        db = self.db
        runs.close_stale_runs(db, poll.source)
        run_id = runs.start_run(db, poll.source, "incremental", os.getpid())
        runs.finish_run(db, run_id, "ok", {"requests": 1, "bytes": poll.bytes}, {str(poll.status): 1}, poll.elapsed)
        if poll.seen is not None and poll.seen != poll.old:
            save_validators(db, poll.source, [poll.seen])
        logger.info("%s: %s unchanged since the last crawl: nothing to do", poll.source, poll.old.url)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
