"""Which response a replay host gives to a path: robots, RSS, listings, articles, print pages, images."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from tests.replay import faults, render, render_2025
from tests.replay.corpus import Host
from tests.replay.model import SECTIONS, parse_when
from tests.replay.rss import render_rss

if TYPE_CHECKING:
    from tests.replay.server import ReplaySite

HTML = "text/html; charset=utf-8"
_ARTICLE = re.compile(r"^/media/news/([^/]+)/([^/]+)/$")
_SECTION = re.compile(r"^/media/news/([^/]+)/$")
_EPOCH = parse_when("2024-01-01 00:00")
# a 1x1 grey JPEG for every known image path
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a"
    "1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f"
    "0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203"
    "00041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a343536373839"
    "3a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4"
    "a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"
    "ffda0008010100003f00fbd3ffd9")


@dataclass
class Response:
    """What to send; `action` takes over the socket for transport faults (reset, short body, ...)."""

    status: int
    body: bytes = b""
    ctype: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: datetime | None = None
    action: Callable[..., None] | None = None
    delay: float = 0.0               # seconds to wait before answering (the slow fault)


def digest(text: str) -> str:
    """A short stable hash (the same in every process, unlike hash())."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def html_response(text: str, etag: str | None = None, modified: datetime | None = None) -> Response:
    return Response(200, text.encode("utf-8"), HTML, etag=etag, last_modified=modified)


def not_found(lang: str) -> Response:
    return Response(404, render.not_found_page(lang).encode("utf-8"))


def _page_number(query: dict[str, list[str]], param: str) -> int | None:
    """Bitrix reads only its own PAGEN_n; anything else means page 1."""
    raw = query.get(param, ["1"])[0]
    return int(raw) if raw.isdigit() and int(raw) >= 1 else None


def _listing(site: ReplaySite, host: Host, section: str | None, query: dict[str, list[str]],
             bases: render.Bases) -> Response:
    n = _page_number(query, host.pagen)
    if n is None or n > host.pages(section):
        return not_found(host.lang)
    extra = ""
    if site.faults and host.lang == "ru" and section is None and n == 1:
        from tests.replay.fault_pages import fault_cards
        extra = fault_cards()
    items = host.page(section, n)
    modified = max((a.modified for a in items), default=_EPOCH)
    tag = "|".join([str(site.faults), section or "", str(n), str(host.pages(section))] + [a.etag for a in items])
    etag = f'"L{digest(tag)}"'
    return html_response(render.listing_page(host, section, n, bases, extra), etag, modified)


def route(site: ReplaySite, label: str, path: str, raw_query: str) -> Response:
    """The response for a GET/HEAD of `path` on the host `label` in the site's current state."""
    host = site.hosts()[label]
    bases = site.bases(label)
    query = parse_qs(raw_query)
    if path == "/robots.txt":
        text = "\n".join(faults.robots_lines(site.faults)) + f"\nHost: {bases.own}\n"
        return Response(200, text.encode(), "text/plain; charset=utf-8", etag=f'"robots-{int(site.faults)}"',
                        last_modified=_EPOCH)
    if path == "/media/news/rss/":
        newest = host.rss()[0].modified if host.articles else _EPOCH
        text = render_rss(host, bases.own)
        return Response(200, text.encode("utf-8"), "application/rss+xml; charset=utf-8",
                        etag=f'"R{digest(text)}"', last_modified=newest)
    if path.startswith("/upload/"):
        return Response(200, JPEG, "image/jpeg", etag='"img"', last_modified=_EPOCH)
    if path == "/":
        main = f'<div class="home-links"><a href="/media/news/">{render._LABELS[label]["news"]}</a></div>'
        return html_response(render.page(label, "SPbPU", main, bases, "/"))
    if site.faults and label == "ru" and path.startswith(faults.BASE + "replay-fault-"):
        from tests.replay.fault_pages import fault_response
        return fault_response(site, path, query, bases)
    if path == "/media/news/":
        return _listing(site, host, None, query, bases)
    match = _SECTION.match(path)
    if match and match.group(1) in SECTIONS:
        return _listing(site, host, match.group(1), query, bases)
    match = _ARTICLE.match(path)
    article = host.find(path) if match else None
    if article is None:
        if not path.endswith("/") and (host.find(path + "/") or path + "/" == "/media/news/"):
            return Response(301, b"", headers={"Location": f"{bases.own}{path}/"})
        return not_found(label)
    if host.redesign:  # the new template has no print version: ?print=Y is ignored
        page = render_2025.article_page(host, article, bases, site.next_view(label, article.path))
        return html_response(page, article.etag[:-1] + '-2025"', article.modified)
    if query.get("print") == ["Y"]:
        return html_response(render.print_page(article), article.etag[:-1] + '-p"', article.modified)
    views = site.next_view(label, article.path)
    return html_response(render.article_page(host, article, bases, views), article.etag, article.modified)
