"""HTML of the replay's pages, following docs/site-model.md: listing cards, article, print page."""

from __future__ import annotations

import html
from dataclasses import dataclass

from tests.replay import chrome
from tests.replay.corpus import Article, Host
from tests.replay.model import SECTIONS, Block, card_date, inline_html, meta_date, print_date, section_name

_LABELS = {
    "ru": dict(news="Новости", print="Версия для печати", prev="Пред.", next="След.", related="Другие новости",
               share="Поделиться", home="Главная"),
    "en": dict(news="News", print="Print version", prev="Prev", next="Next", related="Other news",
               share="Share", home="Home"),
}


@dataclass
class Bases:
    """The replay's own base URLs (no trailing slash): this host's and both languages'."""

    own: str
    ru: str
    en: str


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def page(lang: str, title: str, main: str, bases: Bases, canonical: str, og_image: str = "") -> str:
    """A full Bitrix-weight page around `main`."""
    parts = chrome.parts(lang)
    og = f'<meta property="og:image" content="{bases.own}{og_image}">\n' if og_image else ""
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<link rel="canonical" href="{bases.own}{canonical}">',
        f'<meta property="og:title" content="{esc(title)}">', f'<meta property="og:url" content="{bases.own}{canonical}">',
        og + f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{bases.own}/media/news/rss/">',
        parts["head"], "</head>", "<body>", chrome.header(lang, bases.ru, bases.en),
        '<div class="page-wrap"><div class="container">', main, "</div></div>", parts["footer"],
        chrome.volatile(), "</body>", "</html>",
    ])


def block_html(block: Block, lang: str, entities: bool, captions: bool = True) -> str:
    """One body block as the article template writes it."""
    if block.kind == "lead":
        return f'<p class="lead"><b>{block.html or inline_html(block.text, lang, entities)}</b></p>'
    if block.kind == "p":
        return f"<p>{inline_html(block.text, lang, entities)}</p>"
    if block.kind in ("h2", "h3", "h4"):
        return f"<{block.kind}>{inline_html(block.text, lang, entities)}</{block.kind}>"
    if block.kind == "ul":
        return "<ul>" + "".join(f"<li>{inline_html(i, lang, entities)}</li>" for i in block.items) + "</ul>"
    if block.kind == "quote":
        return f"<blockquote><p>{inline_html(block.text, lang, entities)}</p></blockquote>"
    image = block.image
    assert image is not None
    if not captions:
        return f'<div class="news-image"><img src="{image.view}" alt=""></div>'
    caption = f'<div class="caption">{esc(image.caption)}</div>' if image.caption else ""
    return (f'<div class="news-image"><a href="{image.full}"><img src="{image.view}" alt="{esc(image.caption)}">'
            f"</a>{caption}</div>")


def content_html(article: Article, captions: bool = True) -> str:
    spec = article.spec
    return "\n".join(block_html(b, spec.lang, spec.entities, captions) for b in article.blocks)


def article_page(host: Host, article: Article, bases: Bases, views: int) -> str:
    """The article page: h1, meta line (date, section, views), #content_page, share, related news."""
    spec, lang = article.spec, article.spec.lang
    labels = _LABELS[lang]
    related = "".join(f'<li class="related-item"><a href="{a.path}">{esc(a.spec.title)}</a>'
                      f'<span class="related-when">{meta_date(lang, a.spec.when)}</span></li>'
                      for a in host.older_in_section(article))
    first_image = next((b.image.full for b in article.blocks if b.image), "")
    main = f"""<ul class="breadcrumbs"><li><a href="/">{labels['home']}</a></li><li><a href="/media/news/">{labels['news']}</a></li><li><a href="/media/news/{spec.section}/">{section_name(lang, spec.section)}</a></li></ul>
<div class="news-detail">
<h1>{esc(spec.title)}</h1>
<div class="news-meta">
<span class="news-date">{meta_date(lang, spec.when)}</span>
<a class="news-section" href="/media/news/{spec.section}/">{section_name(lang, spec.section)}</a>
<span class="news-views"><svg class="icon icon-eye"><use xlink:href="#icon-eye"></use></svg>{views}</span>
</div>
<div id="content_page" class="content_page">
{content_html(article)}
<div class="print-link-wrap"><a class="print-link" href="?print=Y">{labels['print']}</a></div>
</div>
<div class="share-buttons"><span class="share-title">{labels['share']}</span><a class="share-vk" href="#share" data-url="{bases.own}{article.path}">VK</a><a class="share-tg" href="#share" data-url="{bases.own}{article.path}">Telegram</a></div>
<div class="related-news"><h3 class="related-title">{labels['related']}</h3><ul class="related-list">{related}</ul></div>
</div>"""
    return page(lang, spec.title, main, bases, article.path, first_image)


def print_page(article: Article, date_text: str | None = None) -> str:
    """The Bitrix print template: title, body, date line, two links; Russian labels on both hosts."""
    spec = article.spec
    stamp = date_text if date_text is not None else print_date(spec.when)
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<link rel="canonical" href="{article.path}">
</head>
<body class="print-page">
<div class="print-logo"><img src="/local/templates/spbstu/images/logo-print.png" alt=""></div>
<div class="news-detail print-version">
<h1>{esc(spec.title)}</h1>
<div id="content_page" class="content_page">
{content_html(article, captions=False)}
</div>
<div class="print-date">Дата публикации: {stamp}</div>
<p class="print-nav"><a href="{article.path}">&gt;&gt;Перейти к новости</a></p>
<p class="print-nav"><a href="/media/news/">&gt;&gt;Перейти ко всем новостям</a></p>
</div>
</body>
</html>
"""


def card_html(lang: str, path: str, title: str, section: str, when_text: str | None, thumb: str) -> str:
    """One listing card exactly as docs/site-model.md shows it."""
    _, _, css = SECTIONS[section]
    label = f'\n<span class="article-tag-label {css}">{section_name(lang, section)}</span>' if css else ""
    date = f'\n<div class="article-date">{when_text}</div>' if when_text is not None else ""
    return f"""<div class="item article-item">
<div class="article-img">
<a href="{path}"><img class="img-responsive" src="{thumb}" alt="{esc(title)}"></a>{label}
</div>{date}
<h4 class="article-title"><a href="{path}">{esc(title)}</a></h4>
</div>"""


def article_card(article: Article) -> str:
    spec = article.spec
    thumb = next((b.image.thumb for b in article.blocks if b.image), "/upload/no_photo.jpg")
    return card_html(spec.lang, spec.path, spec.title, spec.section, card_date(spec.lang, spec.when), thumb)


def pager_html(lang: str, base_path: str, param: str, current: int, total: int) -> str:
    """Bitrix pager: prev, a window of page numbers, next (class="next"); page 1 has no parameter."""
    if total <= 1:
        return ""
    labels = _LABELS[lang]

    def url(n: int) -> str:
        return base_path if n == 1 else f"{base_path}?{param}={n}"

    items = [f'<li class="bx-pag-prev"><a href="{url(current - 1)}"><span>{labels["prev"]}</span></a></li>'
             if current > 1 else f'<li class="bx-pag-prev"><span>{labels["prev"]}</span></li>']
    for n in range(max(1, current - 2), min(total, current + 2) + 1):
        items.append(f'<li class="bx-active"><span>{n}</span></li>' if n == current
                     else f'<li><a href="{url(n)}"><span>{n}</span></a></li>')
    items.append(f'<li class="bx-pag-next"><a class="next" href="{url(current + 1)}"><span>{labels["next"]}</span>'
                 f"</a></li>" if current < total else f'<li class="bx-pag-next"><span>{labels["next"]}</span></li>')
    return ('<div class="bx-pagination"><div class="bx-pagination-container"><ul>'
            + "".join(items) + "</ul></div></div>")


def listing_page(host: Host, section: str | None, n: int, bases: Bases, extra_cards: str = "") -> str:
    """A listing page: section tabs, the cards of page n, the pager."""
    lang = host.lang
    base_path = f"/media/news/{section}/" if section else "/media/news/"
    heading = section_name(lang, section) if section else _LABELS[lang]["news"]
    tabs = "".join(f'<li><a href="/media/news/{code}/">{section_name(lang, code)}</a></li>' for code in SECTIONS)
    cards = "\n".join(article_card(a) for a in host.page(section, n))
    main = (f'<h2 class="section-heading">{heading}</h2>\n<ul class="news-tabs">{tabs}</ul>\n'
            f'<div class="news-list clearfix">\n{cards}\n{extra_cards}</div>\n'
            f"{pager_html(lang, base_path, host.pagen, n, host.pages(section))}")
    canonical = base_path if n == 1 else f"{base_path}?{host.pagen}={n}"
    return page(lang, heading, main, bases, canonical)


def not_found_page(lang: str) -> str:
    text = "Страница не найдена" if lang == "ru" else "Page not found"
    return f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>404</title></head>' \
           f"<body><div class=\"error-404\">{text}</div></body></html>\n"
