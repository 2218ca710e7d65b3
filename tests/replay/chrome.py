"""Bitrix page weight around the article: mega-menu, SVG sprite, inline scripts, cache blobs, footer.

Generated deterministically once per language and cached. It never contains what the parsers read:
no h1, no #content_page, no .news-list/.article-item, no .news-date, no pager, no print link.
"""

from __future__ import annotations

import json
import random
import secrets
from functools import lru_cache

_MENU = {
    "ru": ["Университет", "Абитуриентам", "Студентам", "Наука и инновации", "Международная деятельность",
           "Партнёрам", "Жизнь в Политехе", "Медиа", "Контакты", "Структура"],
    "en": ["University", "Admissions", "Students", "Research", "International", "Partners", "Campus life",
           "Media", "Contacts", "Structure"],
}
_WORDS = {
    "ru": ("история ректорат институты кафедры программы бакалавриат магистратура аспирантура стипендии "
           "общежития расписание библиотека музей лаборатории центры проекты гранты конференции журналы "
           "партнёры выпускники вакансии документы закупки олимпиады курсы спорт творчество волонтёры").split(),
    "en": ("history rectorate institutes departments programs bachelor master postgraduate scholarships "
           "dormitories schedule library museum laboratories centers projects grants conferences journals "
           "partners alumni vacancies documents olympiads courses sport creativity volunteers").split(),
}


def _slug(rng: random.Random, words: list[str]) -> str:
    return "-".join(rng.sample(_WORDS["en"], 2)) + f"-{rng.randrange(100)}"


def _mega_menu(lang: str, rng: random.Random) -> str:
    words = _WORDS[lang]
    out = ['<nav class="main-nav" id="main-nav"><ul class="main-nav__list">']
    for i, top in enumerate(_MENU[lang]):
        out.append(f'<li class="main-nav__item" data-index="{i}"><a class="main-nav__link" href="/{_slug(rng, words)}/">'
                   f'{top}</a><div class="mega-drop"><div class="mega-drop__inner">')
        for col in range(4):
            out.append(f'<div class="mega-col mega-col--{col}"><div class="mega-col__title">'
                       f'{rng.choice(words).capitalize()} {rng.choice(words)}</div><ul class="mega-col__list">')
            for _ in range(8):
                label = " ".join(rng.choice(words) for _ in range(rng.randint(2, 4))).capitalize()
                out.append(f'<li class="mega-col__entry"><a class="mega-col__link" href="/{_slug(rng, words)}/'
                           f'{_slug(rng, words)}/" title="{label}">{label}</a></li>')
            out.append("</ul></div>")
        out.append("</div></div></li>")
    out.append("</ul></nav>")
    return "\n".join(out)


def _sprite(rng: random.Random) -> str:
    out = ['<svg xmlns="http://www.w3.org/2000/svg" style="position:absolute;width:0;height:0;overflow:hidden">']
    names = ["eye", "search", "close", "arrow", "vk", "tg", "ok", "yt", "rutube", "phone", "mail", "map"]
    for i in range(70):
        points = " ".join(f"{rng.uniform(0, 24):.3f},{rng.uniform(0, 24):.3f}" for _ in range(40))
        name = names[i] if i < len(names) else f"glyph-{i}"
        out.append(f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="M{points}Z"/></symbol>')
    out.append("</svg>")
    return "\n".join(out)


def _scripts(lang: str, rng: random.Random) -> str:
    messages = {f"JS_CORE_{i}": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(60))
                for i in range(120)}
    blob = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                   for _ in range(14000))
    return "\n".join([
        f"<script>(window.BX||top.BX).message({json.dumps(messages, ensure_ascii=False)});</script>",
        f"<script>BX.setJSList({json.dumps([f'/bitrix/js/main/core/core_{i}.min.js' for i in range(40)])});"
        f"BX.setCSSList({json.dumps([f'/bitrix/cache/css/s1/spbstu/page_{i}.css' for i in range(30)])});</script>",
        f'<script>window.__BX_COMPOSITE__={{"lang":"{lang}","tz":10800,"data":"{blob}"}};</script>',
        '<script>(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};'
        'm[i].l=1*new Date();k=e.createElement(t),a=e.getElementsByTagName(t)[0];k.async=1;k.src=r;'
        'a.parentNode.insertBefore(k,a)})(window,document,"script","/bitrix/js/metrika/tag.js","ym");</script>',
    ])


def _footer(lang: str, rng: random.Random) -> str:
    words = _WORDS[lang]
    cols = []
    for c in range(5):
        links = "".join(f'<li><a href="/{_slug(rng, words)}/">{rng.choice(words).capitalize()} '
                        f'{rng.choice(words)}</a></li>' for _ in range(14))
        cols.append(f'<div class="footer-col footer-col--{c}"><ul class="footer-links">{links}</ul></div>')
    address = ("195251, Санкт-Петербург, ул. Политехническая, 29" if lang == "ru"
               else "29 Polytechnicheskaya st., St. Petersburg, 195251, Russia")
    return (f'<footer class="site-footer"><div class="footer-top">{"".join(cols)}</div>'
            f'<div class="footer-bottom"><address class="footer-address">{address}</address>'
            f'<span class="footer-copy">© 1899–2024 SPbPU</span></div></footer>')


@lru_cache(maxsize=4)
def parts(lang: str) -> dict[str, str]:
    """The heavy, constant parts of every HTML page of a host (built once)."""
    rng = random.Random(f"spbstu-chrome-{lang}")
    css = "\n".join(f'<link href="/bitrix/cache/css/s1/spbstu/template_{rng.getrandbits(64):016x}.css?'
                    f'{rng.randrange(10**9)}" type="text/css" rel="stylesheet">' for _ in range(12))
    return {"head": css + "\n" + _scripts(lang, rng), "sprite": _sprite(rng), "menu": _mega_menu(lang, rng),
            "footer": _footer(lang, rng)}


def volatile() -> str:
    """What changes on every request and is not content: session id and composite-cache frame ids."""
    return (f"<script>BX.message({{'bitrix_sessid':'{secrets.token_hex(16)}'}});</script>"
            f"<!--'start_frame_cache_{secrets.token_hex(3)}'--><!--'end_frame_cache'-->")


def header(lang: str, ru_base: str, en_base: str) -> str:
    """Top bar with the language switch (absolute links to both replay hosts) and the mega-menu."""
    p = parts(lang)
    switch = (f'<div class="lang-switch"><a href="{ru_base}/">RU</a> <a href="{en_base}/">EN</a></div>')
    search = '<form class="header-search" action="/search/"><input type="text" name="q"></form>'
    return (f'{p["sprite"]}\n<header class="site-header"><div class="header-top"><a class="logo" href="/">'
            f'<svg class="logo-icon"><use xlink:href="#icon-map"></use></svg></a>{switch}{search}</div>\n'
            f'{p["menu"]}</header>')
