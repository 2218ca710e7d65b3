"""The constant weight of the Drupal-like site (a Bartik-derived theme): CSS/JS aggregates, settings JSON,
the main menu, the accessibility bar, the footer with the address and the cookie notice. Built once.

None of it holds an `h1`, the node body, the pager or a view row.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache

from tests.replay.content_drupal import ADDRESS, COOKIE, COPYRIGHT, PHONE, SPECIAL

_MENU = {
    "Университет": ["История", "Руководство", "Структура", "Учёный совет", "Документы", "Вакансии", "Контакты",
                    "Противодействие коррупции", "Сведения об образовательной организации", "Музей"],
    "Абитуриентам": ["Приёмная комиссия", "Бакалавриат", "Специалитет", "Магистратура", "Аспирантура",
                     "Подготовительные курсы", "Олимпиады", "Целевое обучение", "Иностранным абитуриентам"],
    "Студентам": ["Расписание", "Стипендии", "Общежития", "Библиотека", "Практика", "Трудоустройство",
                  "Студенческий совет", "Спортивный клуб", "Психологическая служба"],
    "Наука": ["Научные школы", "Диссертационные советы", "Журналы", "Конференции", "Гранты", "Технопарк",
              "Малые инновационные предприятия"],
    "Международная деятельность": ["Партнёры", "Академическая мобильность", "Иностранным студентам",
                                   "Летние школы", "Визовая поддержка"],
    "Пресс-центр": ["Новости", "Анонсы", "СМИ о нас", "Фотобанк", "Газета «Технолог»", "Контакты для прессы"],
}
_WORDS = ("кафедра факультет институт лаборатория центр отдел программа курс проект конкурс стипендия грант "
          "расписание общежитие практика олимпиада семинар журнал архив положение приказ отчёт").split()


def _translit_slug(rng: random.Random) -> str:
    return "-".join(rng.choice(["fakultet", "kafedra", "otdel", "tsentr", "programma", "dokumenty", "struktura",
                                "sveden", "obrazovanie", "nauka", "priem", "studentam"]) for _ in range(2))


def _menu(rng: random.Random) -> str:
    out = ['<ul class="clearfix menu">']
    for top, subs in _MENU.items():
        slug = _translit_slug(rng)
        out.append(f'<li class="menu-item menu-item--expanded"><a href="/{slug}" data-drupal-link-system-path='
                   f'"node/{rng.randrange(10, 900)}">{top}</a><ul class="menu">')
        for sub in subs:
            out.append(f'<li class="menu-item"><a href="/{slug}/{_translit_slug(rng)}" data-drupal-link-system-path='
                       f'"node/{rng.randrange(10, 900)}">{sub}</a></li>')
        out.append("</ul></li>")
    out.append("</ul>")
    return "".join(out)


def _css(rng: random.Random) -> str:
    links = "\n".join(f'<link rel="stylesheet" media="all" href="/sites/default/files/css/css_'
                      f'{rng.getrandbits(128):032x}.css?{rng.getrandbits(24):06x}" />' for _ in range(4))
    rules = []
    for i in range(420):
        rules.append(f".region-{rng.choice(['header', 'content', 'sidebar-first', 'footer-first'])} .block-{i}"
                     f"{{margin:{rng.randrange(30)}px;padding:{rng.randrange(20)}px "
                     f"{rng.randrange(20)}px;color:#{rng.randrange(16 ** 6):06x};font:{rng.randrange(11, 24)}px/"
                     f"{rng.uniform(1.1, 1.8):.2f} 'PT Sans',Arial,sans-serif}}")
    return links + '\n<style media="all">\n' + "\n".join(rules) + "\n</style>"


def _footer(rng: random.Random) -> str:
    cols = []
    for title in ("Университет", "Абитуриентам", "Студентам"):
        links = "".join(f'<li class="menu-item"><a href="/{_translit_slug(rng)}">{x}</a></li>' for x in _MENU[title])
        cols.append(f'<nav role="navigation" class="block block-menu navigation menu--footer"><h2>{title}</h2>'
                    f'<ul class="menu">{links}</ul></nav>')
    address, phone = ADDRESS, PHONE
    return (f'<footer class="site-footer"><div class="layout-container"><div class="site-footer__top clearfix">'
            f'<div class="region region-footer-first">{"".join(cols)}</div><div class="region region-footer-fourth">'
            f'<div id="block-kontakty" class="block block-block-content"><h2>Контакты</h2><div class="content"><div '
            f'class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-'
            f'hidden field__item"><p>{address}</p><p>{phone}</p><p>E-mail: <a href="mailto:rector@volzhgtu.example">'
            f'rector@volzhgtu.example</a></p></div></div></div></div></div><div class="site-footer__bottom"><div '
            f'class="region region-footer-fifth"><div id="block-copyright" class="block block-block-content"><div '
            f'class="content"><p>{COPYRIGHT}. При использовании материалов ссылка на сайт обязательна.</p></div>'
            f"</div></div></div></div></footer>")


def _cookie() -> str:
    return (f'<div class="cookie-notice" id="cookie-notice" role="dialog" aria-live="polite"><div class="cookie-'
            f'notice__text"><p>{COOKIE[0]} {COOKIE[1]} в соответствии с <a href="/politika-konfidentsialnosti">'
            f'политикой конфиденциальности</a>.</p></div><button class="cookie-notice__button button" type="button">'
            f"Согласен</button></div>")


def _scripts(rng: random.Random) -> str:
    libraries = ",".join(f"{m}/{m}" for m in ("core", "system", "views", "vstu", "better_exposed_filters",
                                             "extlink", "google_analytics", "yandex_metrics", "colorbox"))
    metrika = ('<script>(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};'
               'm[i].l=1*new Date();k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,'
               'a.parentNode.insertBefore(k,a)})(window,document,"script","/modules/contrib/yandex_metrics/tag.js",'
               '"ym");ym(' + str(rng.randrange(10 ** 7, 10 ** 8)) + ',"init",{clickmap:true,trackLinks:true,'
               "accurateTrackBounce:true,webvisor:true});</script>")
    js = "\n".join(f'<script src="/sites/default/files/js/js_{rng.getrandbits(128):032x}.js?{rng.getrandbits(24):06x}">'
                   f"</script>" for _ in range(3))
    blob = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(6000))
    settings = {"ajaxPageState": {"libraries": libraries, "theme": "vstu", "theme_token": None, "css": blob},
                "colorbox": {"opacity": "0.85", "current": "{current} из {total}", "previous": "« Назад",
                             "next": "Вперёд »", "close": "Закрыть", "maxWidth": "98%", "maxHeight": "98%"},
                "data": {"extlink": {"extTarget": True, "extClass": "ext", "extLabel": "(ссылка ведёт на внешний сайт)"}}}
    return js, metrika, json.dumps(settings, ensure_ascii=False).replace("/", "\\/")


@lru_cache(maxsize=2)
def parts() -> dict[str, str]:
    """The constant pieces of every page (paths are site-relative, so one copy serves any port)."""
    rng = random.Random("volzhgtu-drupal")
    js, metrika, settings = _scripts(rng)
    accessibility = ('<div class="region region-secondary-menu"><nav class="block block-menu navigation menu--'
                     'account"><ul class="clearfix menu menu--secondary"><li class="menu-item"><a href="/special" '
                     f'class="special-version">{SPECIAL}</a></li><li class="menu-item"><a href="/en">English</a>'
                     '</li><li class="menu-item"><a href="/user/login">Войти</a></li></ul></nav></div>')
    return {"css": _css(rng), "menu": _menu(rng), "footer": _footer(rng), "cookie": _cookie(), "js": js,
            "metrika": metrika, "settings": settings, "accessibility": accessibility}
