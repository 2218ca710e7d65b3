"""How each fault URL answers; the broken pages are the normal templates with one thing broken."""

from __future__ import annotations

import html
import re
import socket
import struct
from typing import TYPE_CHECKING

from tests.replay import render
from tests.replay.bodies import build_blocks
from tests.replay.corpus import Article
from tests.replay.faults import BY_SLUG, FAULTS, GARBAGE_DATE, HUGE_BYTES, MALFORMED_CONTENT, OFFSITE, Fault
from tests.replay.model import Block, card_date, meta_date
from tests.replay.routes import HTML, Response, html_response, not_found

if TYPE_CHECKING:
    from tests.replay.server import ReplaySite


def fault_cards() -> str:
    """The extra cards of the Russian all-news listing page 1."""
    cards = []
    for fault in FAULTS:
        when = card_date("ru", fault.card_when) if fault.card_when else None
        cards.append(render.card_html("ru", fault.path, fault.title, "other", when, "/upload/no_photo.jpg"))
    return "\n".join(cards) + "\n"


def fault_article(fault: Fault) -> Article:
    """The article a content fault breaks (empty-body has no blocks at all)."""
    spec = fault.spec()
    blocks = () if fault.code == "empty-body" else build_blocks(spec)
    if fault.code == "malformed":
        blocks = (Block("lead", "", html=""),)
    return Article(spec, blocks, spec.when)


def truncation(page: str, article: Article) -> tuple[int, list[str]]:
    """Where truncated-html cuts the page (mid third paragraph) and the paragraph texts left before it."""
    paragraphs = [b for b in article.blocks if b.kind in ("lead", "p")]
    target = render.block_html(paragraphs[2], article.spec.lang, article.spec.entities)
    start = page.index(target) + len("<p>")
    inner = target[len("<p>"):-len("</p>")]
    cut = inner.index(" ", len(inner) // 2)
    return start + cut, [html.unescape(re.sub(r"<[^>]+>", "", inner[:cut]))]


def _page(site: ReplaySite, fault: Fault, article: Article, printing: bool) -> str:
    bases = site.bases("ru")
    if printing:
        date = GARBAGE_DATE if fault.code.startswith("garbage-date") else None
        text = render.print_page(article, date)
    else:
        host = site.hosts()["ru"]
        if fault.lang == "en":
            host = site.hosts()["en"]
            bases = render.Bases(bases.own, bases.ru, bases.en)
        text = render.article_page(host, article, bases, site.next_view("ru", fault.path))
    if fault.code == "no-h1":
        text = re.sub(r"<h1>.*?</h1>", "", text).replace(f"<title>{render.esc(fault.title)}</title>", "<title></title>")
    if fault.code.startswith("garbage-date") and not printing:
        text = text.replace(f'<span class="news-date">{meta_date("ru", article.spec.when)}</span>',
                            f'<span class="news-date">{GARBAGE_DATE}</span>')
    if fault.code == "malformed":
        text = text.replace('<p class="lead"><b></b></p>', MALFORMED_CONTENT).replace("</body>\n</html>", "")
    return text


def fault_response(site: ReplaySite, path: str, query: dict[str, list[str]], bases: render.Bases) -> Response:
    """The designed answer of one fault URL (see faults.py for the expectations)."""
    fault = BY_SLUG.get(path[len("/media/news/other/"):].strip("/"))
    if fault is None or path != fault.path or fault.code == "404":
        return not_found("ru")
    code = fault.code
    if code == "redirect-offsite":
        return Response(302, b"", headers={"Location": OFFSITE})
    if code == "redirect-loop":
        target = fault.path if query.get("loop") else fault.path + "?loop=1"
        return Response(302, b"", headers={"Location": bases.own + target})
    if code == "500-always" or (code in ("500-once", "503-once") and site.fault_hit(path) % 2 == 1):
        status = 503 if code == "503-once" else 500
        headers = {"Retry-After": "1"} if status == 503 else {}
        return Response(status, b"<html><body>Internal error</body></html>", HTML, headers)
    article = fault_article(fault)
    text = _page(site, fault, article, query.get("print") == ["Y"])
    if code == "truncated-html":
        text = text[:truncation(text, article)[0]]
    response = html_response(text, article.etag, article.modified)
    if code == "cp1251":
        text = text.replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
        response.body, response.ctype = text.encode("cp1251", "xmlcharrefreplace"), "text/html; charset=windows-1251"
    elif code == "wrong-charset":
        response.ctype = "text/html; charset=iso-8859-1"
    elif code == "no-charset":
        response.ctype = "text/html"
    elif code == "slow":
        response.delay = site.slow_seconds
    elif code in ("reset", "short-body"):
        response.action = _cut_connection(code == "reset")
    elif code == "huge":
        response.action = _huge
    return response


def _cut_connection(reset: bool):
    """Send the headers with the full Content-Length and half the body, then RST (reset) or FIN."""

    def act(handler, response: Response) -> None:
        handler.send_head(response, len(response.body))
        handler.wfile.write(response.body[:len(response.body) // 2])
        handler.wfile.flush()
        sock = handler.connection
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            sock.shutdown(socket.SHUT_WR)
        sock.close()
        handler.close_connection = True

    return act


def _huge(handler, response: Response) -> None:
    """A 20 MB page: the article followed by megabytes of comment filler, streamed in chunks."""
    head = response.body.replace(b"</body>", b"")
    handler.send_head(response, HUGE_BYTES)
    chunk = b"<!-- " + b"x" * (64 * 1024 - 9) + b" -->"
    sent = len(head)
    try:
        handler.wfile.write(head)
        while sent < HUGE_BYTES:
            part = chunk[:HUGE_BYTES - sent]
            handler.wfile.write(part)
            sent += len(part)
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True
