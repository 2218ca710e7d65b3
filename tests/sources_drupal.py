"""Drupal-like pages for tests/sources_fixtures.py's site: views rows, `?page=N`, field markup, no feed, no
OpenGraph, the title in <title> with the site's name and in h1, dates as "12 марта 2024", a "Читайте также"
block and tags inside the node, the charset only in the Content-Type header."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.sources_fixtures import CHROME, PER_PAGE, esc

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
NOT_FOUND = (404, "text/html", "<html><body><h1>Страница не найдена</h1></body></html>")


def shown(day: Any) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _page(title: str, main: str, posts: list[Any]) -> str:
    menu = "".join(f'<li class="leaf"><a href="/{slug}">{label}</a></li>' for slug, label in
                   (("o-nas", "О нас"), ("abiturientam", "Абитуриентам"), ("nauka", "Наука"), ("novosti", "Новости")))
    latest = "".join(f'<li class="views-row"><a href="{p.path}">{esc(p.title)}</a></li>' for p in posts[:4])
    return (f'<!DOCTYPE html><html lang="ru" dir="ltr"><head><title>{esc(title)} | Южный федеральный вуз</title>'
            f'</head><body class="html not-front page-node"><div id="page"><div id="header"><div class="region '
            f'region-header"><a href="/" class="logo">Южный федеральный вуз</a><ul class="menu">{menu}</ul></div>'
            f'</div><div id="main"><div class="breadcrumb"><a href="/">Главная</a> » <a href="/novosti">Новости</a>'
            f'</div><div id="content" class="column"><div class="section">{main}</div></div>'
            f'<div class="region region-sidebar-second"><div class="block block-views"><h2>Последние новости</h2>'
            f'<div class="view-content"><ul>{latest}</ul></div></div></div></div>'
            f'<div id="footer"><p>{esc(CHROME[2])}</p><p>Телефон приёмной: +7 000 000-00-00</p></div></div>'
            f'</body></html>')


def _listing(posts: list[Any], number: int) -> str:
    chunk = posts[number * PER_PAGE:(number + 1) * PER_PAGE]
    rows = "".join(
        f'<div class="views-row views-row-{n + 1} {"views-row-odd" if n % 2 == 0 else "views-row-even"}">'
        f'<div class="views-field views-field-title"><span class="field-content"><a href="{p.path}">{esc(p.title)}'
        f'</a></span></div><div class="views-field views-field-created"><span class="field-content">{shown(p.published)}'
        f'</span></div></div>' for n, p in enumerate(chunk))
    last = (len(posts) - 1) // PER_PAGE
    items = []
    if number > 0:
        items.append(f'<li class="pager-previous"><a href="/novosti?page={number - 1}">‹ предыдущая</a></li>')
    for n in range(last + 1):
        items.append(f'<li class="pager-current">{n + 1}</li>' if n == number else
                     f'<li class="pager-item"><a href="/novosti?page={n}">{n + 1}</a></li>')
    if number < last:
        items.append(f'<li class="pager-next"><a href="/novosti?page={number + 1}">следующая ›</a></li>')
    return (f'<h1 class="title" id="page-title">Новости</h1><div class="view view-news"><div class="view-content">'
            f'{rows}</div><div class="item-list"><ul class="pager">{"".join(items)}</ul></div></div>')


def _node(post: Any, posts: list[Any]) -> str:
    also = "".join(f'<li><a href="{p.path}">{esc(p.title)}</a></li>' for p in [q for q in posts if q is not post][:3])
    body = "".join(f"<p>{esc(p)}</p>" for p in post.paragraphs)
    return (f'<h1 class="title" id="page-title">{esc(post.title)}</h1>'
            f'<div id="node-{post.ident}" class="node node-news node-promoted clearfix">'
            f'<div class="submitted"><span class="date-display-single">{shown(post.published)}</span></div>'
            f'<div class="content"><div class="field field-name-body field-type-text-with-summary">'
            f'<div class="field-items"><div class="field-item even">{body}</div></div></div>'
            f'<div class="field field-name-field-tags"><div class="field-label">Теги:&nbsp;</div><div class="field-items">'
            f'<div class="field-item even"><a href="/tags/nauka">наука</a></div><div class="field-item odd">'
            f'<a href="/tags/partnery">партнёры</a></div></div></div>'
            f'<div class="read-also"><h3>Читайте также</h3><ul>{also}</ul></div>'
            f'<div class="share-block">Поделиться: <a href="#vk">ВКонтакте</a> <a href="#tg">Telegram</a></div>'
            f'</div></div>')


def drupal_page(site: Any, path: str, posts: list[Any]) -> tuple[int, str, str]:
    """(status, content type, text) of a path of the Drupal-like site."""
    parts = urlsplit(path)
    if parts.path == "/robots.txt":
        return 200, "text/plain", "User-agent: *\nDisallow: /private/\n"
    if parts.path in ("/novosti", "/private/novosti"):
        number = int((parse_qs(parts.query).get("page") or ["0"])[0])
        if number * PER_PAGE >= len(posts):
            return NOT_FOUND
        return 200, "text/html", _page("Новости", _listing(posts, number), posts)
    for post in posts:
        if parts.path == post.path:
            return 200, "text/html", _page(post.title, _node(post, posts), posts)
    return NOT_FOUND
