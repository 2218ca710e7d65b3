"""An article page -> its fields: title, body paragraphs, date, section, images, print link.

parsel/lxml selects the news block (a few KB out of ~150 KB of page); only `#content_page` goes to
BeautifulSoup for cleaning. What cannot be found is named in `problems`, never a silent None.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import parsel
from parsel.csstranslator import HTMLTranslator

from spiders.items import Image
from spiders.parsing import dates, dom, text, urls
from spiders.sites import spbpu as site

log = logging.getLogger(__name__)
_NOISE = text.Noise(site.BODY_DROP, site.PRINT_LINK_TEXTS)
# The block alone suffices only when it holds all of these; otherwise the whole page is parsed.
_REGION_NEEDS = (site.TITLE, site.BODY, site.META, site.PRINT_LINK)
_CONTAINER_XPATH = " | ".join(HTMLTranslator().css_to_xpath(css, prefix="ancestor::") for css in site.IMAGE_CONTAINER)


@dataclass
class ArticleFields:
    """What one article (or print) page gives; `problems` names each field that could not be read."""

    title: str | None = None
    body: str | None = None
    published: str | None = None
    date_text: str | None = None
    section: str | None = None
    section_name: str | None = None
    images: list[Image] = field(default_factory=list)
    print_url: str | None = None
    problems: list[str] = field(default_factory=list)


def parse_article(html: str | bytes | parsel.Selector, url: str | None) -> ArticleFields:
    """Fields of an article page at `url` (used for absolute links, section and language).

    A spider may pass `response.selector` instead of the text, to reuse Scrapy's parsed tree.
    """
    try:
        return _parse(*_scopes(html), url)
    except Exception as exc:  # hostile input must cost one item, not the crawl
        log.warning("article parse failed for %s: %r", url, exc)
        return ArticleFields(problems=[f"parse_error: {type(exc).__name__}"])


def _scopes(html: str | bytes | parsel.Selector) -> tuple[parsel.Selector, parsel.Selector]:
    """(news block, whole page): the block alone when it holds everything we read, else the parsed page."""
    if not isinstance(html, parsel.Selector):
        text_ = dom.decode(html)
        block = dom.region(text_, site.NEWS_BLOCK_START)
        if block is not None and all(dom.first(block, css) is not None for css in _REGION_NEEDS):
            return block, block
        html = text_
    sel = dom.selector(html)
    return dom.first(sel, site.NEWS_BLOCK) or sel, sel


def _parse(block: parsel.Selector, sel: parsel.Selector, url: str | None) -> ArticleFields:
    fields = ArticleFields()
    fields.title = title_of(block, sel)
    body_el = dom.first(block, site.BODY) or dom.first(sel, site.BODY)
    if body_el is not None:
        paras = text.fragment_paragraphs(body_el.get(), _NOISE)
        fields.body = text.join(paras)
        fields.images = images_of(body_el, block, url)
    meta = dom.first(block, site.META) or (dom.first(sel, site.META) if sel is not block else None)
    fields.date_text, parsed = _date_of(meta, block)
    fields.published = dates.to_iso(parsed)
    lang = urls.lang_of(url, (fields.title or "") + (fields.body or "")[:500])
    fields.section, fields.section_name = section_of(meta, url, lang)
    fields.print_url = print_url_of(block, sel, url)
    fields.problems = _problems(fields)
    return fields


def title_of(block: parsel.Selector, sel: parsel.Selector) -> str | None:
    """`h1` inside the news block, else the page's first `h1` (never og:title: no h1 means a broken page)."""
    for scope in (block, sel):
        found = dom.text_of(dom.first(scope, site.TITLE))
        if found:
            return found
    return None


def _date_of(meta: parsel.Selector | None, block: parsel.Selector) -> tuple[str | None, date | None]:
    """(the date text as shown, its parsed value): `.news-date`, else the first date-looking text in the meta line."""
    date_el = dom.first(meta, site.DATE) if meta is not None else None
    if date_el is None:
        date_el = dom.first(block, site.DATE[:1])
    if date_el is not None:
        shown = dom.text_of(date_el, " ") or text.clean(date_el.attrib.get("datetime"))
        value = dates.parse_date(shown) or dates.parse_date(date_el.attrib.get("datetime", ""))
        return shown or None, value or dates.find_date(shown)
    if meta is not None:
        shown = dom.text_of(meta, " ")
        found = dates.find_date(shown)
        return (shown or None), found
    return None, None


def section_of(meta: parsel.Selector | None, url: str | None, lang: str | None) -> tuple[str | None, str | None]:
    """(code, name): code from the URL path, else the meta line's section link; name as the page shows it."""
    code = urls.section_of(url)
    name = None
    link = dom.first(meta, site.SECTION_LINK) if meta is not None else None
    if link is not None:
        name = dom.text_of(link) or None
        code = code or urls.section_of(urls.absolute(link.attrib.get("href"), url))
        if not code and name:
            code = site.SECTION_BY_NAME.get(name.casefold().replace("ё", "е"))
    if not name and code in site.SECTIONS:
        name = site.SECTIONS[code].name(lang)
    return code, name


def full_size(img: parsel.Selector, base_url: str | None) -> str | None:
    """The full-size URL: the enclosing link to /upload/..., else derived from a resize_cache src, else src."""
    link = urls.absolute(img.xpath("ancestor::a[1]/@href").get(), base_url)
    if link and site.UPLOAD_IMAGE.search(link.split("?")[0]):
        return link
    src = urls.absolute(img.attrib.get("src") or img.attrib.get("data-src"), base_url)
    if not src or not src.startswith(("http://", "https://")) or site.IMAGE_PATH_MARK not in src:
        return None
    return site.RESIZE_CACHE.sub(r"/upload/\g<dir>/\g<name>", src)


def images_of(body: parsel.Selector, block: parsel.Selector, base_url: str | None) -> list[Image]:
    """Full-size images of the article with their captions, in page order, each once."""
    found: dict[str, Image] = {}
    for img in [*block.css(site.IMAGE_SCOPE_EXTRA), *body.css("img")]:
        full = full_size(img, base_url)
        if not full or full in found:
            continue
        container = img.xpath(_CONTAINER_XPATH)
        caption_el = dom.first(container[-1], site.IMAGE_CAPTION) if container else None
        found[full] = Image(url=full, caption=dom.text_of(caption_el, " "))
    return list(found.values())


def print_url_of(block: parsel.Selector, sel: parsel.Selector, url: str | None) -> str | None:
    """Where the article's own print link points (read, never built)."""
    link = dom.first(block, site.PRINT_LINK) or dom.first(sel, site.PRINT_LINK)
    if link is None:
        for candidate in block.css("a[href]"):
            if dom.text_of(candidate).casefold() in site.PRINT_LINK_TEXTS:
                link = candidate
                break
    return urls.absolute(link.attrib.get("href"), url) if link is not None else None


def _problems(fields: ArticleFields) -> list[str]:
    """no_title, no_body, no_date or unparsed_date: <text>, for the pipelines to count."""
    problems = []
    if not fields.title:
        problems.append("no_title")
    if not fields.body:
        problems.append("no_body")
    if not fields.published:
        problems.append(f"unparsed_date: {fields.date_text}" if fields.date_text else "no_date")
    return problems
