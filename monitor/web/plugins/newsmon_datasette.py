"""Datasette plugin for `newsmon serve`: the reader's pages, stemmed search functions, a topic facet,
readable cells, and the privacy guard on every connection.

Loaded through Datasette's plugins_dir. The SQL functions call storage/search.py, so the web UI
stems a query exactly as the CLI and the index do. The pages live in monitor/web/pages.py.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from markupsafe import Markup, escape

from monitor.errors import QueryError
from monitor.web import pages, privacy
from storage import search

MARK = ("\ue000", "\ue001")  # private-use marks: never in real text, swapped for <mark> when rendered
NO_MATCH = '""'  # an FTS5 query that matches nothing (a blank search box)
BODY_CELL = 200  # characters of the body a table view shows; the article page has the whole text


def newsmon_match(query: str | None) -> str:
    """SQL: the FTS5 MATCH text for a user's query; a bad query raises with its one-line reason."""
    if not query or not query.strip():
        return NO_MATCH
    try:
        return search.to_fts(query)
    except QueryError as exc:
        raise ValueError(str(exc)) from None


def newsmon_snippet(title: str | None, body: str | None, query: str | None) -> str:
    """SQL: a snippet of the article with the query's words marked."""
    try:
        match = search.parse(query) if query and query.strip() else search.Match("")
    except QueryError:
        match = search.Match("")
    return (search.snippet(body or "", match, mark=MARK, require_hit=True)
            or search.snippet(f"{title or ''}\n{body or ''}", match, mark=MARK))


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    """Register the functions; runs after Datasette's own so escape_fts (the table search box) is stemmed."""
    conn.create_function("newsmon_match", 1, newsmon_match, deterministic=True)
    conn.create_function("newsmon_snippet", 3, newsmon_snippet, deterministic=True)
    conn.create_function("escape_fts", 1, newsmon_match, deterministic=True)
    privacy.protect(conn)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    """The reader's pages; Datasette's own database, table and query pages stay under /<archive name>/."""
    return [
        (r"^/$", pages.front),
        (r"^/article/(?P<id>\d+)$", pages.article),
        (r"^/changed$", pages.changed),
        (r"^/status$", pages.status),
        (r"^/feed\.atom$", pages.feed),
        (r"^/-/databases(\.(?P<format>json))?$", privacy.databases),
    ]


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Marked snippets, titles linking to their article page, bodies cut to a snippet, diffs preformatted."""
    if isinstance(value, str) and MARK[0] in value:
        html = str(escape(value)).replace(MARK[0], "<mark>").replace(MARK[1], "</mark>")
        return Markup(html)
    keys = row.keys() if hasattr(row, "keys") else []
    if column == "body" and isinstance(value, str) and len(value) > BODY_CELL:
        short = " ".join(value[:BODY_CELL].split())
        link = f'/article/{row["id"]}' if table == "articles" and "id" in keys else None
        more = f' <a href="{escape(link)}" aria-label="full text">…</a>' if link else "…"
        return Markup(f"{escape(short)}{more}")
    if table is None and column == "title" and "id" in keys and isinstance(row["id"], int):
        href = f'/article/{row["id"]}'
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if column == "diff" and isinstance(value, str) and value:
        return Markup(f'<pre style="white-space: pre-wrap">{escape(value)}</pre>')
    return None


class TopicFacet(Facet):
    """Facet articles by the topics in article_topics: metadata `facets: [{topic: topic}]`, toggled by ?_topic=."""

    type = "topic"

    async def suggest(self) -> list[dict[str, Any]]:
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        if self.table != "articles" or not self.get_configs():
            return [], []
        sql = (f"select t.topic as value, count(*) as count from article_topics t where t.article_id in"
               f" (select id from ({self.sql})) group by t.topic order by count desc, value")
        rows = (await self.ds.execute(self.database, sql, self.params, truncate=False,
                                      custom_time_limit=self.ds.setting("facet_time_limit_ms"))).rows
        chosen = set(self.request.args.getlist("_topic"))
        values = []
        for row in rows:
            selected = row["value"] in chosen
            path = (path_with_removed_args(self.request, {"_topic": row["value"]}) if selected
                    else path_with_added_args(self.request, {"_topic": row["value"]}))
            values.append({"value": row["value"], "label": row["value"], "count": row["count"],
                           "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(path)),
                           "selected": selected})
        return [{"name": "topic", "type": self.type, "hideable": False, "toggle_url": "", "results": values,
                 "truncated": False}], []


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [TopicFacet]


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> FilterArguments | None:
    """?_topic=NAME on the articles table keeps the articles tagged with that topic."""
    topics = request.args.getlist("_topic")
    if table != "articles" or not topics:
        return None
    clauses, params = [], {}
    for i, topic in enumerate(topics):
        clauses.append(f"{escape_sqlite('id')} in (select article_id from article_topics where topic = :topic_{i})")
        params[f"topic_{i}"] = topic
    return FilterArguments(clauses, params=params, human_descriptions=[f'topic is "{t}"' for t in topics])
