"""HTML of the Drupal-like site (a Bartik-derived Drupal 9 theme, RDF module on, no JSON-LD, no feed).

The listing `/news` is a view with a 0-based `?page=N` pager (`nav.pager > ul.pager__items`, links written as
`?page=N`, the first page as `?page=0`), cards dated `12 марта 2024 г.`; nodes show `12.03.2024` in
`.node__meta` and carry RDFa (`schema:dateCreated` in UTC). Pages are text; routes encode them in windows-1251.
"""

from __future__ import annotations

import html
import secrets
import zlib
from datetime import UTC

from tests.replay import drupal_chrome
from tests.replay.model import RU_MONTHS_GEN, Block, inline_html
from tests.replay.unis import Corpus, UniArticle

SITE_NAME = "ВолжГТУ"
SLOGAN = "Волжский государственный технический университет"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def card_date(article: UniArticle) -> str:
    when = article.spec.when
    return f"{when.day} {RU_MONTHS_GEN[when.month - 1]} {when.year} г."


def node_date(article: UniArticle) -> str:
    return article.spec.when.strftime("%d.%m.%Y")


def _styled(path: str, style: str) -> str:
    """An image style derivative URL with its itok token, as Drupal writes it."""
    rel = path.removeprefix("/sites/default/files/")
    return f"/sites/default/files/styles/{style}/public/{rel}?itok={zlib.crc32((style + rel).encode()):08x}"


def block_html(block: Block) -> str:
    """One body block as CKEditor saved it in the body field."""
    if block.kind == "lead":
        return f"<p><strong>{inline_html(block.text, 'ru')}</strong></p>"
    if block.kind == "p":
        return f"<p>{inline_html(block.text, 'ru')}</p>"
    if block.kind in ("h2", "h3", "h4"):
        return f"<h3>{inline_html(block.text, 'ru')}</h3>"
    if block.kind == "ul":
        return "<ul>\n" + "\n".join(f"\t<li>{inline_html(i, 'ru')}</li>" for i in block.items) + "\n</ul>"
    if block.kind == "quote":
        return f"<blockquote>\n<p>{inline_html(block.text, 'ru')}</p>\n</blockquote>"
    image = block.image
    assert image is not None
    return (f'<figure role="group" class="caption caption-img align-center"><img alt="{esc(image.caption)}" '
            f'data-entity-type="file" src="{image.full}" width="800" height="533" loading="lazy" />'
            f"<figcaption>{esc(image.caption)}</figcaption></figure>")


def _views_rows(items: list[UniArticle], with_date: str) -> str:
    return "".join(f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content">'
                   f'<a href="{a.path}" hreflang="ru">{esc(a.spec.title)}</a></span></div><div class="views-field '
                   f'views-field-created"><span class="field-content">{node_date(a) if with_date == "node" else card_date(a)}'
                   f"</span></div></div>" for a in items)


def page(corpus: Corpus, title: str, canonical: str, body_class: str, content: str, crumbs: list[tuple[str, str]],
         head_extra: str = "") -> str:
    """A whole page: head, header with the menu, breadcrumb, content region, sidebar, footer, cookie notice."""
    parts = drupal_chrome.parts()
    crumb = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in crumbs)
    latest = _views_rows(corpus.recent(), "node")
    build_id = secrets.token_urlsafe(32)  # the search form's form_build_id: new on every uncached response
    return f"""<!DOCTYPE html>
<html lang="ru" dir="ltr" prefix="content: http://purl.org/rss/1.0/modules/content/  dc: http://purl.org/dc/terms/  foaf: http://xmlns.com/foaf/0.1/  og: http://ogp.me/ns#  rdfs: http://www.w3.org/2000/01/rdf-schema#  schema: http://schema.org/  sioc: http://rdfs.org/sioc/ns#  sioct: http://rdfs.org/sioc/types#  skos: http://www.w3.org/2004/02/skos/core#  xsd: http://www.w3.org/2001/XMLSchema# ">
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset=windows-1251" />
<meta name="Generator" content="Drupal 9 (https://www.drupal.org)" />
<meta name="MobileOptimized" content="width" />
<meta name="HandheldFriendly" content="true" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<link rel="icon" href="/themes/custom/vstu/favicon.ico" type="image/vnd.microsoft.icon" />
<link rel="canonical" href="{canonical}" />
{head_extra}
    <title>{esc(title)} | {SITE_NAME}</title>
    {parts["css"]}
  </head>
  <body class="{body_class} layout-one-sidebar layout-sidebar-first">
        <a href="#main-content" class="visually-hidden focusable skip-link">Перейти к основному содержанию</a>
    <div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
    <div id="page-wrapper"><div id="page">
<header id="header" class="header" role="banner" aria-label="Шапка сайта"><div class="section layout-container clearfix">
{parts["accessibility"]}
<div class="clearfix region region-header"><div id="block-vstu-branding" class="clearfix site-branding block block-system block-system-branding-block"><a href="/" rel="home" class="site-branding__logo"><img src="/themes/custom/vstu/logo.svg" alt="Главная" /></a><div class="site-branding__text"><div class="site-branding__name"><a href="/" title="Главная" rel="home">{SITE_NAME}</a></div><div class="site-branding__slogan">{SLOGAN}</div></div></div>
<div class="search-block-form block block-search container-inline" data-drupal-selector="search-block-form" id="block-vstu-search" role="search"><form action="/search/node" method="get" id="search-block-form" accept-charset="UTF-8"><div class="js-form-item form-item js-form-type-search form-type-search js-form-item-keys form-item-keys form-no-label"><label for="edit-keys" class="visually-hidden">Поиск</label><input title="Введите ключевые слова для поиска." data-drupal-selector="edit-keys" type="search" id="edit-keys" name="keys" value="" size="15" maxlength="128" class="form-search" /></div><input type="hidden" name="form_build_id" value="form-{build_id}" /><div data-drupal-selector="edit-actions" class="form-actions js-form-wrapper form-wrapper" id="edit-actions"><input data-drupal-selector="edit-submit" type="submit" id="edit-submit" value="Поиск" class="button js-form-submit form-submit" /></div></form></div></div>
<div class="region region-primary-menu"><nav role="navigation" aria-labelledby="block-vstu-main-menu-menu" id="block-vstu-main-menu" class="block block-menu navigation menu--main"><h2 class="visually-hidden" id="block-vstu-main-menu-menu">Главное меню</h2><div class="content">{parts["menu"]}</div></nav></div>
</div></header>
<div id="main-wrapper" class="layout-main-wrapper layout-container clearfix"><div id="main" class="layout-main clearfix">
<div class="region region-breadcrumb"><div id="block-vstu-breadcrumbs" class="block block-system block-system-breadcrumb-block"><div class="content"><nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><h2 id="system-breadcrumb" class="visually-hidden">Вы здесь</h2><ol>{crumb}</ol></nav></div></div></div>
<main id="content" class="column main-content" role="main"><section class="section"><a id="main-content" tabindex="-1"></a>
<div class="region region-content">
{content}
</div>
</section></main>
<div id="sidebar-first" class="column sidebar"><aside class="section" role="complementary"><div class="region region-sidebar-first">
<div class="views-element-container block block-views block-views-blocknews-latest-block-1" id="block-views-block-news-latest-block-1"><h2>Последние новости</h2><div class="content"><div><div class="view view-news-latest view-id-news_latest view-display-id-block_1">{latest}<div class="more-link"><a href="/news">Все новости</a></div></div></div></div></div>
<div id="block-vstu-banners" class="block block-block-content"><div class="content"><p><a href="/priem"><img src="/sites/default/files/banners/priem-2024.png" alt="Приёмная кампания 2024" /></a></p><p><a href="/gosuslugi"><img src="/sites/default/files/banners/gosuslugi.png" alt="Госуслуги" /></a></p></div></div>
</div></aside></div>
</div></div>
{parts["footer"]}
</div></div>
    </div>
{parts["cookie"]}
    <script type="application/json" data-drupal-selector="drupal-settings-json">{parts["settings"]}</script>
{parts["js"]}
{parts["metrika"]}
  </body>
</html>
"""


def article_page(corpus: Corpus, article: UniArticle) -> str:
    """A news node in full view mode: title block, RDFa meta, lead image field, body, tags, share, read-also."""
    spec = article.spec
    blocks = list(article.blocks)
    first = blocks.index(next(b for b in blocks if b.image)) if article.images else None
    field_image = ""
    if first is not None and first <= 1:  # the lead image lives in field_image, not in the body
        image = blocks.pop(first).image
        field_image = (f'<div class="field field--name-field-image field--type-image field--label-hidden field__item">'
                       f'<a href="{image.full}" class="colorbox" data-colorbox-gallery="gallery-{spec.node}"><img '
                       f'property="schema:image" src="{_styled(image.full, "large")}" width="480" height="320" '
                       f'alt="" typeof="foaf:Image" class="image-style-large" /></a></div>'
                       f'<div class="field field--name-field-image-caption field--type-string field--label-hidden '
                       f'field__item">{esc(image.caption)}</div>')
    body = "\n".join(block_html(b) for b in blocks)
    category = corpus.desc.categories[spec.category]
    term = 10 + list(corpus.desc.categories).index(spec.category)
    created = spec.when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    share = "".join(f'<a class="share-bar__link share-bar__link--{s}" href="#share-{s}" rel="nofollow" title="{t}">'
                    f"{t}</a>" for s, t in (("vk", "ВКонтакте"), ("ok", "Одноклассники"), ("tg", "Telegram")))
    also = "".join(f'<div class="views-row"><div class="views-field views-field-field-image"><div class="field-content">'
                   f'<a href="{a.path}" hreflang="ru"><img src="{_styled(a.images[0].full, "news_thumb")}" width="220" '
                   f'height="147" alt="" loading="lazy" /></a></div></div><div class="views-field views-field-title">'
                   f'<span class="field-content"><a href="{a.path}" hreflang="ru">{esc(a.spec.title)}</a></span></div>'
                   f"</div>" for a in corpus.related(article))
    content = f"""<div id="block-vstu-page-title" class="block block-core block-page-title-block"><div class="content"><h1 class="title page-title"><span property="schema:name" class="field field--name-title field--type-string field--label-hidden">{esc(spec.title)}</span></h1></div></div>
<div id="block-vstu-content" class="block block-system block-system-main-block"><div class="content">
<article data-history-node-id="{spec.node}" role="article" about="{article.path}" typeof="schema:Article" class="node node--type-news node--promoted node--view-mode-full">
  <span property="schema:name" content="{esc(spec.title)}" class="rdf-meta hidden"></span>
  <div class="node__meta"><span class="news-date">{node_date(article)}</span><span property="schema:dateCreated" content="{created}" class="rdf-meta hidden"></span></div>
  <div class="node__content clearfix">
  {field_image}
  <div property="schema:text" class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">{body}</div>
  <div class="field field--name-field-tags field--type-entity-reference field--label-inline clearfix"><div class="field__label">Теги</div><div class="field__items"><div class="field__item"><a href="/taxonomy/term/{term}" property="schema:about" hreflang="ru">{category}</a></div></div></div>
  <div class="share-bar"><span class="share-bar__title">Поделиться:</span> {share}</div>
  </div>
</article>
</div></div>
<div class="views-element-container block block-views block-views-blockread-also-block-1" id="block-views-block-read-also-block-1"><h2>Читайте также</h2><div class="content"><div><div class="view view-read-also view-id-read_also view-display-id-block_1"><div class="view-content">{also}</div></div></div></div></div>"""
    crumbs = [("/", "Главная"), ("/news", "Новости")]
    head = f'<link rel="shortlink" href="/node/{spec.node}" />'
    return page(corpus, spec.title, article.path, "path-node page-node-type-news", content, crumbs, head)


def pager(n: int, pages: int) -> str:
    """Drupal 9's pager for 0-based page n: first, previous, a window of numbers, next, last."""
    if pages <= 1:
        return ""
    items = []
    if n > 0:
        items += ['<li class="pager__item pager__item--first"><a href="?page=0" title="Перейти на первую страницу">'
                  '<span class="visually-hidden">Первая страница</span><span aria-hidden="true">« Первая</span></a></li>',
                  f'<li class="pager__item pager__item--previous"><a href="?page={n - 1}" title="Перейти на '
                  f'предыдущую страницу" rel="prev"><span class="visually-hidden">Предыдущая страница</span>'
                  f'<span aria-hidden="true">‹ Предыдущая</span></a></li>']
    for k in range(max(0, n - 4), min(pages, n + 5)):
        if k == n:
            items.append(f'<li class="pager__item is-active"><a href="?page={k}" title="Текущая страница">'
                         f'<span class="visually-hidden">Текущая страница</span>{k + 1}</a></li>')
        else:
            items.append(f'<li class="pager__item"><a href="?page={k}" title="Перейти на страницу {k + 1}">'
                         f'<span class="visually-hidden">Страница</span>{k + 1}</a></li>')
    if n < pages - 1:
        items += [f'<li class="pager__item pager__item--next"><a href="?page={n + 1}" title="Перейти на следующую '
                  f'страницу" rel="next"><span class="visually-hidden">Следующая страница</span><span '
                  f'aria-hidden="true">Следующая ›</span></a></li>',
                  f'<li class="pager__item pager__item--last"><a href="?page={pages - 1}" title="Перейти на последнюю '
                  f'страницу"><span class="visually-hidden">Последняя страница</span><span aria-hidden="true">'
                  f"Последняя »</span></a></li>"]
    return ('<nav class="pager" role="navigation" aria-labelledby="pagination-heading"><h4 id="pagination-heading" '
            'class="visually-hidden">Постраничная навигация</h4><ul class="pager__items js-pager__items">'
            + "".join(items) + "</ul></nav>")


def teaser(article: UniArticle) -> str:
    """The body's trimmed summary: the lead cut at a word boundary near 200 characters."""
    text = article.blocks[0].text
    if len(text) <= 200:
        return esc(text)
    return esc(text[:200].rsplit(" ", 1)[0]) + "…"


def listing_page(corpus: Corpus, items: list[UniArticle], n: int, path: str, heading: str) -> str:
    """A view page: page n (0-based) of `items`, cards with image, date, title and teaser, then the pager."""
    rows = []
    for a in corpus.page(n + 1, items):
        image = (f'<div class="views-field views-field-field-image"><div class="field-content"><a href="{a.path}" '
                 f'hreflang="ru"><img src="{_styled(a.images[0].full, "news_thumb")}" width="220" height="147" alt="" '
                 f'typeof="foaf:Image" class="image-style-news-thumb" /></a></div></div>' if a.images else "")
        rows.append(f'<div class="views-row"><div class="news-teaser">{image}<div class="views-field views-field-'
                    f'created"><span class="field-content">{card_date(a)}</span></div><div class="views-field '
                    f'views-field-title"><span class="field-content"><a href="{a.path}" hreflang="ru">'
                    f'{esc(a.spec.title)}</a></span></div><div class="views-field views-field-body"><div class="field-'
                    f'content">{teaser(a)}</div></div></div></div>')
    dom_id = f"{zlib.crc32(f'{path}{n}'.encode()):08x}" * 8
    content = (f'<div id="block-vstu-page-title" class="block block-core block-page-title-block"><div class="content">'
               f'<h1 class="title page-title">{esc(heading)}</h1></div></div><div id="block-vstu-content" class="block '
               f'block-system block-system-main-block"><div class="content"><div class="views-element-container">'
               f'<div class="view view-news view-id-news view-display-id-page_1 js-view-dom-id-{dom_id}"><div '
               f'class="view-content">{"".join(rows)}</div>{pager(n, corpus.pages(items))}</div></div></div></div>')
    canonical = path if n == 0 else f"{path}?page={n}"
    return page(corpus, heading, canonical, "path-news", content, [("/", "Главная")])


def not_found_page(corpus: Corpus) -> str:
    content = ('<div id="block-vstu-page-title" class="block block-core block-page-title-block"><div class="content">'
               '<h1 class="title page-title">Страница не найдена</h1></div></div><div id="block-vstu-content" '
               'class="block block-system block-system-main-block"><div class="content">Запрошенная страница не '
               "найдена.</div></div>")
    return page(corpus, "Страница не найдена", "/", "path-system", content, [("/", "Главная")])
