"""The archive's read side: filters, ranked search, one article with its versions, export, stats.

Ranking: articles matching in the title come first (by the title's bm25), then the others (by bm25
with the title weighted above the body), each computed inside the FTS5 query with the LIMIT so only the best rows
are read from `articles`; filters are checked on `articles` by primary key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from monitor.errors import ArticleNotFound, QueryError
from storage import search as search_mod
from storage.reindex import is_current

TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
RANK = f"bm25(articles_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
FIELDS = ("url", "source", "lang", "section", "title", "published", "first_seen", "updated", "snippet")
EXPORT_FIELDS = ("id", "url", "source", "lang", "section", "section_name", "title", "body", "published",
                 "date_source", "title_source", "body_source", "summary", "images", "flags", "fingerprint", "version", "first_seen",
                 "last_seen", "updated", "topics")
LANGS = ("ru", "en")  # the languages search understands; a filter accepts any language the archive holds
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_COLUMNS = ("a.id, a.url, a.source, a.lang, a.section, a.section_name, a.title, a.published, a.first_seen,"
            " a.updated, a.version, a.summary")


def parse_date(value: str, *, end: bool = False) -> str:
    """'2024', '2024-03' or '2024-03-05' as the ISO day that starts (or, with end, follows) that span."""
    m = _DATE.match(value.strip())
    if not m:
        raise QueryError(f"bad date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY, as in 2024-01-31")
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        start = date(year, month, day)
    except ValueError as exc:
        raise QueryError(f"bad date {value!r}: {exc}") from None
    if not end:
        return start.isoformat()
    if m.group(3):
        return (start + timedelta(days=1)).isoformat()
    if m.group(2):
        return date(year + month // 12, month % 12 + 1, 1).isoformat()
    return date(year + 1, 1, 1).isoformat()


@dataclass
class Filters:
    """Which articles a search, export or feed covers; dates are on `published` (undated articles drop out)."""

    since: str | None = None
    until: str | None = None
    source: str | None = None
    section: str | None = None
    lang: str | None = None
    topic: str | None = None

    def where(self, alias: str = "a") -> tuple[list[str], list[Any]]:
        """SQL conditions on `articles AS alias` and their parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append(f"{alias}.published >= ?")
            params.append(parse_date(self.since))
        if self.until:
            clauses.append(f"{alias}.published < ?")
            params.append(parse_date(self.until, end=True))
        for column in ("source", "section", "lang"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{alias}.{column} = ?")
                params.append(value)
        if self.topic:
            clauses.append(f"EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = {alias}.id AND t.topic = ?)")
            params.append(self.topic)
        return clauses, params


def check_filters(db: sqlite_utils.Database, filters: Filters, *, sources: Iterable[str] = (),
                  topics: Iterable[str] = ()) -> None:
    """Raise QueryError for a bad date or a source, section, language or topic nobody knows."""
    filters.where()  # parses the dates
    if filters.since and filters.until and parse_date(filters.since) >= parse_date(filters.until, end=True):
        raise QueryError(f"--since {filters.since} is after --until {filters.until}")
    checks = (("source", "source", set(sources)), ("section", "section", set()), ("lang", "lang", set(LANGS)))
    for name, column, known in checks:
        value = getattr(filters, name)
        if value and value not in known and not _exists(db, f"SELECT 1 FROM articles WHERE {column} = ?", value):
            have = known | {r[0] for r in db.execute(f"SELECT DISTINCT {column} FROM articles") if r[0]}
            word = "language" if name == "lang" else name
            raise QueryError(f"unknown {word} {value!r}; known: {', '.join(sorted(have)) or 'none yet'}")
    if filters.topic and filters.topic not in set(topics) | {"cooperation"}:
        if not _exists(db, "SELECT 1 FROM article_topics WHERE topic = ?", filters.topic):
            raise QueryError(f"unknown topic {filters.topic!r}; configured: {', '.join(sorted(set(topics)) or ['cooperation'])}")


def _exists(db: sqlite_utils.Database, sql: str, value: str) -> bool:
    return db.execute(sql + " LIMIT 1", [value]).fetchone() is not None


def search(db: sqlite_utils.Database, query: str | None, filters: Filters | None = None, *,
           limit: int = 20, mark: tuple[str, str] = search_mod.MARK) -> list[dict[str, Any]]:
    """Articles matching `query` by relevance (or all, newest first, without one), each with a snippet."""
    filters = filters or Filters()
    clauses, params = filters.where()
    if not query or not query.strip():
        sql = (f"SELECT {_COLUMNS}, a.body FROM articles a"
               f"{' WHERE ' + ' AND '.join(clauses) if clauses else ''}"
               " ORDER BY a.published DESC, a.id DESC LIMIT ?")
        rows = _rows(db, sql, [*params, limit])
        return [_hit(r, None, mark) for r in rows]
    match = search_mod.parse(query)
    if not is_current(db):
        raise QueryError("the archive's search index predates word-form search; open the archive for writing"
                         " once ('newsmon crawl') to rebuild it")
    ids = ranked_ids(db, match.fts, clauses, params, limit)
    if not ids:
        return []
    rows = {r["id"]: r for r in _rows(db, f"SELECT {_COLUMNS}, a.body FROM articles a WHERE a.id IN"
                                      f" ({', '.join('?' * len(ids))})", ids)}
    return [_hit(rows[i], match, mark) for i in ids if i in rows]


def ranked_ids(db: sqlite_utils.Database, fts: str, clauses: list[str], params: list[Any],
               limit: int) -> list[int]:
    """Ids of the best matches: articles matching in the title first, then the rest, each by bm25.

    Ranking every match with bm25 costs ~2 µs a row; splitting on the title keeps the common case
    (enough title matches to fill the page) to the title's short doclists, and gives titles the
    precedence a heavy title weight means anyway. Without NOT, a match in the title is a match, so the
    title group is asked for with the title filter alone and ordered by the title's bm25: one phrase for
    FTS5 to walk and for bm25 to count (its IDF scans each phrase's whole doclist), ~30 % less time than
    repeating the query (whose second phrase also let the body's count order the title group).
    """
    title_first = f"(title : ({fts})) AND ({fts})" if " NOT " in fts else f"title : ({fts})"
    body_only = f"({fts}) NOT (title : ({fts}))"
    ids = _ranked(db, title_first, clauses, params, limit)
    if len(ids) < limit:
        ids += _ranked(db, body_only, clauses, params, limit - len(ids))
    return ids


def _ranked(db: sqlite_utils.Database, fts: str, clauses: list[str], params: list[Any], limit: int) -> list[int]:
    # FTS first (CROSS JOIN fixes the order): each match is checked by primary key against the filters.
    join = " CROSS JOIN articles a ON a.id = f.rowid" if clauses else ""
    where = "".join(f" AND {c}" for c in clauses)
    sql = (f"SELECT f.rowid FROM articles_fts f{join} WHERE articles_fts MATCH ?{where}"
           f" ORDER BY {RANK} LIMIT ?")
    return [r["rowid"] for r in _rows(db, sql, [fts, *params, limit])]


def _rows(db: sqlite_utils.Database, sql: str, args: list[Any]) -> list[dict[str, Any]]:
    try:
        cursor = db.execute(sql, args)
    except Exception as exc:  # an FTS5 parse error must never reach a user as SQL text
        if "fts5" in str(exc).lower() or "malformed match" in str(exc).lower():
            raise QueryError("the search index cannot read this query; quote unusual words") from None
        raise
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _hit(row: dict[str, Any], match: search_mod.Match | None, mark: tuple[str, str]) -> dict[str, Any]:
    body = row.pop("body")
    if match is None:
        text = row.get("summary") or body
        row["snippet"] = search_mod.snippet(text, search_mod.Match(""), mark=mark)
    else:
        row["snippet"] = (search_mod.snippet(body, match, mark=mark, require_hit=True)
                          or search_mod.snippet(row["title"] + "\n" + body, match, mark=mark))
    return row


def get_article(db: sqlite_utils.Database, ref: str | int) -> dict[str, Any]:
    """One article by id or URL, with its topics; ArticleNotFound otherwise."""
    ref = str(ref).strip()
    column = "id" if ref.isdigit() else "url"
    row = db.execute(f"SELECT * FROM articles WHERE {column} = ?", [int(ref) if column == "id" else ref]).fetchone()
    if row is None and column == "url" and not ref.endswith("/"):
        row = db.execute("SELECT * FROM articles WHERE url = ?", [ref + "/"]).fetchone()
    if row is None:
        raise ArticleNotFound(f"no archived article with {column} {ref!r}; find one with 'newsmon search'")
    names = [d[0] for d in db.execute("SELECT * FROM articles LIMIT 0").description]
    article = dict(zip(names, row, strict=True))
    article["topics"] = [r[0] for r in db.execute(
        "SELECT topic FROM article_topics WHERE article_id = ? ORDER BY topic", [article["id"]])]
    return article


def versions(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """Every stored version of an article, oldest first, each with its diff from the one before."""
    return list(db.query("SELECT version, title, body, published, fingerprint, seen_at, diff FROM versions"
                         " WHERE article_id = ? ORDER BY version", [article_id]))


def iter_export(db: sqlite_utils.Database, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """Every field of the matching articles, one row at a time off a cursor (memory stays flat)."""
    clauses, params = (filters or Filters()).where()
    columns = ", ".join(f"a.{f}" for f in EXPORT_FIELDS if f != "topics")
    sql = (f"SELECT {columns}, (SELECT group_concat(topic, ',') FROM article_topics t WHERE t.article_id = a.id)"
           f" AS topics FROM articles a{' WHERE ' + ' AND '.join(clauses) if clauses else ''} ORDER BY a.id")
    cursor = db.conn.execute(sql, params)
    while batch := cursor.fetchmany(500):
        for row in batch:
            yield dict(zip(EXPORT_FIELDS, row, strict=True))


def stats(db: sqlite_utils.Database) -> dict[str, Any]:
    """Counts of articles by source, language, section and month, versions, and each source's last crawl."""
    def grouped(expr: str) -> dict[str, int]:
        return {str(k): n for k, n in db.execute(
            f"SELECT {expr} AS k, count(*) FROM articles GROUP BY k ORDER BY k")}

    last = {}
    for row in db.query("SELECT * FROM crawl_runs WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY source)"
                        " ORDER BY source"):
        last[row["source"]] = {k: row[k] for k in ("started", "finished", "outcome", "mode", "new", "changed",
                                                   "unchanged", "errors")}
    return {
        "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
        "versions": db.execute("SELECT count(*) FROM versions").fetchone()[0],
        "changed_articles": db.execute("SELECT count(*) FROM articles WHERE version > 1").fetchone()[0],
        "by_source": grouped("source"),
        "by_lang": grouped("lang"),
        "by_section": grouped("coalesce(section, '(none)')"),
        "by_month": grouped("coalesce(substr(published, 1, 7), '(undated)')"),
        "by_topic": {k: n for k, n in db.execute(
            "SELECT topic, count(*) FROM article_topics GROUP BY topic ORDER BY topic")},
        "last_crawl": last,
    }
