"""The archive pipeline's hook: topics and outbox rows, written in the article's own transaction.

`storage.archive.store(db, item, on_stored=make_on_stored(config, alerts_enabled=...))` calls the
hook inside the article's transaction, so an article and its alert rows are committed together:
a crash can neither lose an alert nor create two (the outbox's unique index covers re-crawls).
"""

from __future__ import annotations

import logging
from typing import Any

import sqlite_utils

from monitor import outbox
from monitor.analysis import topics_digest
from monitor.config import Config
from monitor.outbox import APPRISE, EMAIL
from monitor.topics import Match, Topic, load_topics, match_article
from storage import topics as topic_rows
from storage.archive import OnStored, Stored
from storage.diff import CHANGED, NEW

log = logging.getLogger(__name__)


def save_topics(db: sqlite_utils.Database, article_id: int, matches: list[Match]) -> None:
    """Replace an article's topic rows with the topics it matches now."""
    topic_rows.save_topics(db, article_id, [(m.topic, m.score, m.terms_json()) for m in matches])


def wants(sub: dict[str, Any], row: dict[str, Any], status: str, topics: set[str]) -> list[str]:
    """The topics of `sub` this article alerts for ([] when the subscription does not want it)."""
    if sub["sources"] and row["source"] not in sub["sources"]:
        return []
    if sub["languages"] and row["lang"] not in sub["languages"]:
        return []
    if status == CHANGED and not sub["changed"]:
        return []
    return [t for t in sub["topics"] if t in topics]


def enqueue_alerts(db: sqlite_utils.Database, subscriptions: list[dict[str, Any]], stored: Stored,
                   row: dict[str, Any], matches: list[Match]) -> int:
    """One outbox row per wanting subscription and target (address or Apprise URL); returns how many were new."""
    by_topic = {m.topic: m for m in matches}
    queued = 0
    for sub in subscriptions:
        topics = wants(sub, row, stored.status, set(by_topic))
        if not topics:
            continue
        payload: dict[str, Any] = {"topics": {t: by_topic[t].terms for t in topics}}
        if stored.status == CHANGED:
            payload["diff"] = stored.diff or ""
        targets = [(r, EMAIL) for r in sub["recipients"]] + [(url, APPRISE) for url in sub.get("notify", [])]
        for recipient, channel in targets:  # one row per target: each is retried and failed on its own
            row_id = outbox.enqueue(db, subscription=sub["name"], recipient=recipient, event=stored.status,
                                    article_id=stored.article_id, version=stored.version, mode=sub["mode"],
                                    payload=payload, channel=channel)
            queued += row_id is not None
    return queued


def make_on_stored(config: Config, *, alerts_enabled: bool, topics: dict[str, Topic] | None = None,
                   not_before: str | None = None) -> OnStored:
    """The callback for `storage.archive.store`: topics for new/changed articles, alerts when enabled.

    `alerts_enabled=False` during a source's first (baseline) crawl, unless `--alert-backlog`.
    `not_before` (an ISO date): a new article published before it is old news found late (a --full sweep
    backfilling, a retried timeout): archived and tagged, but it sends no alert.
    """
    topics = topics if topics is not None else load_topics(config)
    digest = topics_digest(topics)
    subscriptions = config.section("subscriptions")

    def on_stored(db: sqlite_utils.Database, stored: Stored, row: dict[str, Any]) -> None:
        if stored.status not in (NEW, CHANGED):
            return
        analysis = row.get("analysis")  # matched in a worker process, against these topics (monitor.analysis)
        if analysis is not None and analysis.topics == digest:
            matches = list(analysis.matches)
        else:
            matches = match_article(topics.values(), row["title"], row["body"], row.get("section"),
                                    row.get("section_name"))
        save_topics(db, stored.article_id, matches)
        old_news = (stored.status == NEW and not_before is not None
                    and (row.get("published") or "9999")[:10] < not_before)
        if old_news and matches:
            log.info("article %s published %s, before %s: old news found late, no alert", stored.article_id,
                     row.get("published"), not_before)
        reread = stored.status == CHANGED and row.get("extractor_changed")
        if reread:
            log.info("article %s re-read by another extractor (a redesign?): new version, no alert",
                     stored.article_id)
        if alerts_enabled and matches and not old_news and not reread:
            queued = enqueue_alerts(db, subscriptions, stored, row, matches)
            if queued:
                log.info("%s article %s (%s): %d alert(s) queued", stored.status, stored.article_id,
                         ", ".join(m.topic for m in matches), queued)

    return on_stored
