"""State 3: SPbPU's article pages after a redesign (a 2025-style Bitrix template), same content and URLs.

What changes against render.py: the chrome (header, menu, footer: new classes), the title block
(`.news-card__head`, `h1.news-card__title`), the date (`div.news-card__date`, same `17 июля 2024` form), the body
container (`div.news-body`, figures with `figcaption`), the share bar and the related block; a JSON-LD
`NewsArticle` appears. What does not: listings, RSS, URLs, text. The print template is gone: `?print=Y` is an
unknown parameter to the new template and gets the ordinary article page, as Bitrix does.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache

from tests.replay import chrome
from tests.replay.corpus import Article, Host
from tests.replay.model import MSK, Block, inline_html, meta_date, section_name
from tests.replay.render import Bases, esc

_LABELS = {
    "ru": dict(news="Новости", home="Главная", share="Поделиться", more="Читайте также", views="Просмотры",
               menu="Меню", search="Поиск по сайту", subscribe="Подпишитесь на новости Политеха в Telegram"),
    "en": dict(news="News", home="Home", share="Share", more="Read also", views="Views",
               menu="Menu", search="Search the site", subscribe="Follow Polytech news on Telegram"),
}


@lru_cache(maxsize=4)
def _chrome(lang: str) -> dict[str, str]:
    """The new header and footer: the old link texts, new markup (built once per language)."""
    rng = random.Random(f"spbstu-2025-{lang}")
    words = chrome._WORDS[lang]
    menu = []
    for i, top in enumerate(chrome._MENU[lang]):
        links = "".join(f'<a class="nav-panel__link" href="/{chrome._slug(rng, words)}/">'
                        f'{" ".join(rng.choice(words) for _ in range(rng.randint(2, 4))).capitalize()}</a>'
                        for _ in range(28))
        menu.append(f'<li class="nav-menu__item" data-nav="{i}"><button class="nav-menu__button" type="button">'
                    f'{top}</button><div class="nav-panel"><div class="nav-panel__grid">{links}</div></div></li>')
    cols = "".join(
        f'<div class="footer-2025__col"><div class="footer-2025__title">{rng.choice(words).capitalize()}</div>'
        + "".join(f'<a class="footer-2025__link" href="/{chrome._slug(rng, words)}/">{rng.choice(words).capitalize()}'
                  f" {rng.choice(words)}</a>" for _ in range(12)) + "</div>" for _ in range(5))
    address = ("195251, Санкт-Петербург, ул. Политехническая, 29" if lang == "ru"
               else "29 Polytechnicheskaya st., St. Petersburg, 195251, Russia")
    return {
        "menu": f'<nav class="nav-menu" aria-label="{_LABELS[lang]["menu"]}"><ul class="nav-menu__list">'
                + "".join(menu) + "</ul></nav>",
        "footer": f'<footer class="footer-2025"><div class="footer-2025__grid">{cols}</div>'
                  f'<div class="footer-2025__bottom"><p class="footer-2025__address">{address}</p>'
                  f'<p class="footer-2025__copy">© 1899–2025 SPbPU</p></div></footer>',
    }


def _block(block: Block, lang: str, entities: bool) -> str:
    if block.kind == "lead":
        return f'<p class="news-body__lead">{block.html or inline_html(block.text, lang, entities)}</p>'
    if block.kind == "p":
        return f"<p>{inline_html(block.text, lang, entities)}</p>"
    if block.kind in ("h2", "h3", "h4"):
        return f'<{block.kind} class="news-body__subtitle">{inline_html(block.text, lang, entities)}</{block.kind}>'
    if block.kind == "ul":
        return '<ul class="news-body__list">' + "".join(
            f"<li>{inline_html(i, lang, entities)}</li>" for i in block.items) + "</ul>"
    if block.kind == "quote":
        return f'<blockquote class="news-body__quote"><p>{inline_html(block.text, lang, entities)}</p></blockquote>'
    image = block.image
    assert image is not None
    caption = f"<figcaption>{esc(image.caption)}</figcaption>" if image.caption else ""
    return (f'<figure class="news-body__figure"><img src="{image.view}" data-full="{image.full}" alt="" '
            f'loading="lazy">{caption}</figure>')


def _json_ld(article: Article, bases: Bases) -> str:
    spec = article.spec
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title,
            "datePublished": spec.when.astimezone(MSK).isoformat(),
            "dateModified": article.modified.astimezone(MSK).isoformat(),
            "mainEntityOfPage": bases.own + article.path, "inLanguage": spec.lang,
            "publisher": {"@type": "Organization", "name": "SPbPU"}}
    image = next((b.image for b in article.blocks if b.image), None)
    if image:
        data["image"] = [bases.own + image.full]
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def article_page(host: Host, article: Article, bases: Bases, views: int) -> str:
    """The redesigned article page (same head weight: Bitrix core scripts survive a template change)."""
    spec, lang = article.spec, article.spec.lang
    labels, parts, new = _LABELS[lang], chrome.parts(lang), _chrome(lang)
    section = section_name(lang, spec.section)
    body = "\n".join(_block(b, lang, spec.entities) for b in article.blocks)
    more = "".join(f'<a class="more-card" href="{a.path}"><span class="more-card__title">{esc(a.spec.title)}</span>'
                   f'<span class="more-card__date">{meta_date(lang, a.spec.when)}</span></a>'
                   for a in host.older_in_section(article))
    og_image = next((f'<meta property="og:image" content="{bases.own}{b.image.full}">\n' for b in article.blocks
                     if b.image), "")
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{lang}" class="theme-2025">', "<head>", '<meta charset="utf-8">',
        f"<title>{esc(spec.title)} | SPbPU</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<link rel="canonical" href="{bases.own}{article.path}">', '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(spec.title)}">',
        og_image + f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{bases.own}/media/news/rss/">',
        parts["head"], _json_ld(article, bases), "</head>", '<body class="page-news-detail">', parts["sprite"],
        f'<header class="header-2025"><div class="header-2025__bar"><a class="header-2025__logo" href="/">SPbPU</a>'
        f'<div class="header-2025__lang"><a href="{bases.ru}/">RU</a><a href="{bases.en}/">EN</a></div>'
        f'<form class="header-2025__search" action="/search/"><input type="search" name="q" '
        f'placeholder="{labels["search"]}"></form></div>{new["menu"]}</header>',
        '<main class="page-news">',
        f'<nav class="crumbs" aria-label="breadcrumb"><ol class="crumbs__list"><li><a href="/">{labels["home"]}</a>'
        f'</li><li><a href="/media/news/">{labels["news"]}</a></li><li><a href="/media/news/{spec.section}/">'
        f"{section}</a></li></ol></nav>",
        '<article class="news-card news-card--full">', '<div class="news-card__head">',
        f'<a class="news-card__tag" href="/media/news/{spec.section}/">{section}</a>',
        f'<h1 class="news-card__title">{esc(spec.title)}</h1>',
        f'<div class="news-card__info"><div class="news-card__date">{meta_date(lang, spec.when)}</div>'
        f'<div class="news-card__views" title="{labels["views"]}">{views}</div></div>', "</div>",
        f'<div class="news-body">\n{body}\n</div>',
        f'<div class="news-share"><span class="news-share__label">{labels["share"]}</span>'
        f'<a class="news-share__vk" href="#share" data-url="{bases.own}{article.path}">VK</a>'
        f'<a class="news-share__tg" href="#share" data-url="{bases.own}{article.path}">Telegram</a></div>',
        f'<aside class="news-subscribe"><a href="#telegram">{labels["subscribe"]}</a></aside>', "</article>",
        f'<section class="news-more"><h2 class="news-more__title">{labels["more"]}</h2>'
        f'<div class="news-more__list">{more}</div></section>', "</main>", new["footer"], chrome.volatile(),
        "</body>", "</html>",
    ])
