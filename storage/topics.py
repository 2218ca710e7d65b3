"""An article's topic rows: which topics it matches, with the score and the terms that matched."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils


def save_topics(db: sqlite_utils.Database, article_id: int, rows: Iterable[tuple[str, float, str]]) -> None:
    """Replace an article's topic rows with (topic, score, terms JSON) rows; call inside its transaction."""
    db.execute("DELETE FROM article_topics WHERE article_id = ?", [article_id])
    db.conn.executemany("INSERT INTO article_topics (article_id, topic, score, terms) VALUES (?, ?, ?, ?)",
                        [[article_id, topic, score, terms] for topic, score, terms in rows])
