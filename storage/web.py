"""The reader's web pages' own SQL: what the archive holds (for the filter menus), topic badges and their
matched words, recently changed articles, and the sources crawl records name.

Search, one article and its versions come from storage/queries.py; this module only adds what the pages
need on top, each statement bounded by an index and a LIMIT so a page stays fast at 100,000 articles.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils


def choices(db: sqlite_utils.Database) -> dict[str, list[tuple[str, str]]]:
    """(value, label) pairs of the sources, languages, sections and topics the archive holds, for the menus.

    Sources are open (any name a config gives), so the menus list the archive, never a fixed set.
    """
    def distinct(sql: str) -> list[tuple[str, str]]:
        return [(str(r[0]), str(r[1] or r[0])) for r in db.execute(sql) if r[0]]

    sections = [r[0] for r in db.execute("SELECT DISTINCT section FROM articles WHERE section IS NOT NULL"
                                         " ORDER BY section")]  # from the index, not the rows
    return {
        "source": distinct("SELECT DISTINCT source, source FROM articles ORDER BY source"),
        "lang": distinct("SELECT DISTINCT lang, lang FROM articles ORDER BY lang"),
        "section": [(s, _section_name(db, s)) for s in sections],
        "topic": distinct("SELECT DISTINCT topic, topic FROM article_topics ORDER BY topic"),
    }


def _section_name(db: sqlite_utils.Database, section: str) -> str:
    row = db.execute("SELECT section_name FROM articles WHERE section = ? AND section_name IS NOT NULL LIMIT 1",
                     [section]).fetchone()
    return row[0] if row and row[0] else section


def topics_for(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, list[str]]:
    """The topic names of each listed article (the badges of a result list)."""
    ids = list(ids)
    out: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return out
    for article_id, topic in db.execute(
            f"SELECT article_id, topic FROM article_topics WHERE article_id IN ({', '.join('?' * len(ids))})"
            " ORDER BY topic", ids):
        out[article_id].append(topic)
    return out


def article_topics(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """An article's topics with their score and the words that matched (stored as JSON at archive time)."""
    out = []
    for row in db.query("SELECT topic, score, terms FROM article_topics WHERE article_id = ? ORDER BY topic",
                        [article_id]):
        try:
            terms = json.loads(row["terms"] or "[]")
        except ValueError:
            terms = []
        out.append({"topic": row["topic"], "score": row["score"],
                    "terms": [str(t) for t in terms] if isinstance(terms, list) else []})
    return out


def changed(db: sqlite_utils.Database, *, offset: int = 0, limit: int = 20) -> list[dict[str, Any]]:
    """Articles edited after first being archived, most recent edit first, with their last two versions."""
    rows = list(db.query(
        "SELECT id, url, source, lang, section, section_name, title, published, updated, version FROM articles"
        " WHERE version > 1 ORDER BY updated DESC, id DESC LIMIT ? OFFSET ?", [limit, offset]))
    for row in rows:
        row["versions"] = list(db.query(
            "SELECT version, title, body, published, seen_at FROM versions WHERE article_id = ? AND version IN"
            " (?, ?) ORDER BY version", [row["id"], row["version"] - 1, row["version"]]))
    return rows


def crawled_sources(db: sqlite_utils.Database) -> list[str]:
    """Every source a crawl record names (a source may have left the config but not the archive)."""
    return [r[0] for r in db.execute("SELECT DISTINCT source FROM crawl_runs ORDER BY source")]
