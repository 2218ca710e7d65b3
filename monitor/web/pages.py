"""The reader's pages: `/` (latest news and search), `/article/<id>`, `/changed`, `/status`, `/feed.atom`.

Registered as Datasette plugin routes; each page reads the archive through Datasette's read-only
connection with storage/ functions and renders a Jinja template of monitor/web/templates (autoescaped:
scraped text is always shown as text). No page needs JavaScript.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from pathlib import Path
from typing import Any

import jinja2
import sqlite_utils
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from monitor.errors import NewsmonError, QueryError
from monitor.web import diffview, i18n
from storage import queries
from storage import web as web_sql

TEMPLATES = Path(__file__).parent / "templates"
MARK = ("\ue000", "\ue001")  # private-use marks around matched words, swapped for <mark> after escaping
PAGE_SIZE = 20
MAX_PAGE = 50  # a search ranks page*size rows: deeper pages are for the CLI and export
FILTERS = ("source", "lang", "section", "topic", "since", "until")
CHOICES_TTL = 300.0  # seconds the filter menus are reused before the archive is asked again
_choices_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def marked(value: str | None) -> Markup:
    """Escape scraped text, then turn the match marks into <mark> elements."""
    html = str(escape(value or ""))
    return Markup(html.replace(MARK[0], "<mark>").replace(MARK[1], "</mark>"))


def day(value: str | None) -> str:
    return (value or "")[:10]


ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                         trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
ENV.filters.update(marked=marked, day=day)


def database(datasette: Any) -> Any:
    """The archive's Datasette database (the one database `newsmon serve` opens)."""
    return datasette.get_database()


def config_of(datasette: Any) -> Any:
    return getattr(datasette, "newsmon_config", None)


def with_args(request: Any, **changes: Any) -> str:
    """The current path with some query arguments replaced (None removes one)."""
    args = [(k, v) for k, v in urllib.parse.parse_qsl(request.query_string, keep_blank_values=False)
            if k not in changes]
    args += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return request.path + ("?" + urllib.parse.urlencode(args) if args else "")


def render(request: Any, datasette: Any, template: str, status: int = 200, **context: Any) -> Response:
    """A page in the reader's language; remembers an explicit ?ui= choice in a cookie."""
    ui_arg = request.args.get("ui")
    lang = i18n.pick(ui_arg, request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))
    other = "ru" if lang == "en" else "en"
    html = ENV.get_template(template).render(
        ui=lang, t=i18n.translator(lang), switch_url=with_args(request, ui=other), path=request.path,
        raw_url=datasette.urls.database(database(datasette).name), **context)
    response = Response.html(html, status=status)
    if ui_arg in i18n.LANGS:
        response.set_cookie(i18n.COOKIE, ui_arg, max_age=365 * 24 * 3600, samesite="lax")
    return response


def error_page(request: Any, datasette: Any, status: int, message: str) -> Response:
    return render(request, datasette, "error.html", status=status, message=message)


def filters_of(request: Any) -> queries.Filters:
    return queries.Filters(**{name: (request.args.get(name) or "").strip() or None for name in FILTERS})


def page_of(request: Any) -> int:
    try:
        return min(max(int(request.args.get("page") or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def known(datasette: Any) -> dict[str, list[str]]:
    """Sources and topics the configuration names (a filter may name them before any article has them)."""
    config = config_of(datasette)
    if config is None:
        return {"sources": [], "topics": []}
    return {"sources": list(config.data["sources"]), "topics": list(config.data["topics"])}


def choices(db: sqlite_utils.Database, name: str) -> dict[str, Any]:
    """The filter menus, reused for CHOICES_TTL seconds (listing them scans indexes of the whole archive)."""
    now = time.monotonic()
    cached = _choices_cache.get(name)
    if cached is None or now - cached[0] > CHOICES_TTL:
        cached = (now, web_sql.choices(db))
        _choices_cache[name] = cached
    return cached[1]


async def front(request: Any, datasette: Any) -> Response:
    """Latest articles of every source, or search results, with filters, pagination and the feed link."""
    q = (request.args.get("q") or "").strip()
    filters, page = filters_of(request), page_of(request)
    ds_db, names = database(datasette), known(datasette)

    def work(conn: Any) -> dict[str, Any]:
        db = sqlite_utils.Database(conn)
        menus = choices(db, ds_db.name)
        queries.check_filters(db, filters, **names)
        hits = queries.search(db, q or None, filters, limit=page * PAGE_SIZE + 1, mark=MARK)
        shown = hits[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        topics = web_sql.topics_for(db, [h["id"] for h in shown])
        return {"menus": menus, "hits": shown, "topics": topics, "more": len(hits) > page * PAGE_SIZE}

    try:
        data = await ds_db.execute_fn(work)
    except QueryError as exc:
        menus = await ds_db.execute_fn(lambda conn: choices(sqlite_utils.Database(conn), ds_db.name))
        return render(request, datasette, "front.html", status=400, error=str(exc), q=q, filters=vars(filters),
                      menus=menus, hits=[], topics={}, page=page, prev_url=None, next_url=None,
                      feed_url=None)
    return render(request, datasette, "front.html", error=None, q=q, filters=vars(filters), page=page,
                  prev_url=with_args(request, page=page - 1 if page > 2 else None) if page > 1 else None,
                  next_url=with_args(request, page=page + 1) if data["more"] and page < MAX_PAGE else None,
                  feed_url="/feed.atom" + ("?" + request.query_string if request.query_string else ""),
                  **data)


async def feed(request: Any, datasette: Any) -> Response:
    """The Atom feed of the front page's current view (`newsmon feed` semantics)."""
    from monitor.feeds import build_feed

    q = (request.args.get("q") or "").strip() or None
    filters, names = filters_of(request), known(datasette)
    self_url = datasette.absolute_url(request, request.full_path)

    def work(conn: Any) -> bytes:
        db = sqlite_utils.Database(conn)
        queries.check_filters(db, filters, **names)
        return build_feed(db, q, filters, limit=50, self_url=self_url).atom_str(pretty=True)

    try:
        body = await database(datasette).execute_fn(work)
    except QueryError as exc:
        return Response.text(f"Error: {exc}\n", status=400)
    return Response(body.decode("utf-8"), content_type="application/atom+xml; charset=utf-8")


def _images(value: str | None) -> list[dict[str, str]]:
    try:
        images = json.loads(value or "[]")
    except ValueError:
        return []
    return [{"url": str(i.get("url") or ""), "caption": str(i.get("caption") or "")}
            for i in images if isinstance(i, dict) and i.get("url")]


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links from scraped data become hrefs (never javascript: or data:)."""
    return url if url and urllib.parse.urlsplit(url).scheme in ("http", "https") else None


async def article(request: Any, datasette: Any) -> Response:
    """One article: its text, images, topics with the matched words, versions with inline diffs."""
    article_id = request.url_vars["id"]

    def work(conn: Any) -> dict[str, Any]:
        db = sqlite_utils.Database(conn)
        row = queries.get_article(db, article_id)
        history = queries.versions(db, row["id"])
        diffs = {v["version"]: diffview.inline(history[i - 1], v) for i, v in enumerate(history) if i}
        return {"a": row, "versions": history, "diffs": diffs, "topics": web_sql.article_topics(db, row["id"])}

    try:
        data = await database(datasette).execute_fn(work)
    except NewsmonError as exc:
        return error_page(request, datasette, 404, str(exc))
    row = data["a"]
    extractors = [(field, row[f"{field}_source"]) for field in ("title", "body", "date")
                  if row.get(f"{field}_source") not in (None, "", "none")]
    return render(request, datasette, "article.html", paragraphs=diffview.paragraphs(row["body"]),
                  images=[i for i in _images(row.get("images")) if _safe_url(i["url"])],
                  original=_safe_url(row["url"]), extractors=extractors, **data)


async def changed(request: Any, datasette: Any) -> Response:
    """Recently edited articles, each with the inline diff of its last edit."""
    page = page_of(request)

    def work(conn: Any) -> list[dict[str, Any]]:
        rows = web_sql.changed(sqlite_utils.Database(conn), offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
        for row in rows:
            versions = row["versions"]
            row["blocks"] = diffview.inline(versions[0], versions[-1]) if len(versions) == 2 else []
        return rows

    rows = await database(datasette).execute_fn(work)
    return render(request, datasette, "changed.html", rows=rows[:PAGE_SIZE], page=page,
                  prev_url=with_args(request, page=page - 1) if page > 1 else None,
                  next_url=with_args(request, page=page + 1) if len(rows) > PAGE_SIZE else None)


async def status(request: Any, datasette: Any) -> Response:
    """What `newsmon status` says, as a page: last and next crawl per source, overdue, problems, alerts."""
    from monitor.web import status as status_mod

    config = config_of(datasette)
    data = await asyncio.to_thread(status_mod.collect, config, Path(database(datasette).path))
    return render(request, datasette, "status.html", **data)
