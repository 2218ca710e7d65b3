"""An article page -> its fields: title, body paragraphs, date, section, images, print link.

parsel/lxml selects the news block (a few KB out of ~150 KB of page); only the body fragment goes to
BeautifulSoup for cleaning. What cannot be found is named in `problems`, never a silent None.
"""

from __future__ import annotations

import codecs
import functools
import logging
from dataclasses import dataclass, field
from datetime import date

import parsel
from lxml import etree
from parsel.csstranslator import HTMLTranslator

from spiders.items import Image
from spiders.parsing import dates, dom, text, urls
from spiders.profile import GENERIC, SiteProfile

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=32)
def _noise(site: SiteProfile) -> text.Noise:
    return text.Noise(site.body_drop, site.print_link_texts)


@functools.lru_cache(maxsize=32)
def _region_needs(site: SiteProfile) -> tuple:
    """The block alone suffices only when it holds all of these; otherwise the whole page is parsed."""
    return tuple(x for x in (site.title, site.body, site.meta, site.print_link) if x)


@functools.lru_cache(maxsize=32)
def _container_xpath(site: SiteProfile) -> etree.XPath:
    return etree.XPath(" | ".join(HTMLTranslator().css_to_xpath(css, prefix="ancestor::")
                                  for css in site.image_container), smart_strings=False)


_LINK_HREF = etree.XPath("ancestor::a[1]/@href", smart_strings=False)


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


def parse_article(html: str | bytes | parsel.Selector, url: str | None, site: SiteProfile = GENERIC) -> ArticleFields:
    """Fields of an article page at `url` (used for absolute links, section and language), read with
    the profile's selectors.

    A spider may pass `response.selector` instead of the text, to reuse Scrapy's parsed tree.
    """
    try:
        return _parse(*_scopes(html, site), url, site)
    except Exception as exc:  # hostile input must cost one item, not the crawl
        return _failed(url, exc)


def parse_block(text: str, url: str | None, site: SiteProfile) -> ArticleFields | None:
    """What parse_article gives for a page, from the page cut at its news block's opening tag (see
    block_bytes: a parse worker is sent ~10 KB, not ~150 KB); None when the block alone does not hold
    everything read (the whole page is needed then)."""
    try:
        block = _block(text, site, whole_page=False)
        return _parse(block, block, url, site) if block is not None else None
    except Exception as exc:  # as parse_article
        return _failed(url, exc)


def _failed(url: str | None, exc: Exception) -> ArticleFields:
    log.warning("article parse failed for %s: %r", url, exc)
    return ArticleFields(problems=[f"parse_error: {type(exc).__name__}"])


def block_bytes(body: bytes, encoding: str, site: SiteProfile) -> bytes | None:
    """The page's bytes from the first opening tag that holds the profile's news_block_mark, when the
    encoding keeps ASCII as is (UTF-8, single-byte encodings): what parse_block reads. None otherwise."""
    if not site.news_block_mark or not site.news_block_start or not _ascii_safe(encoding):
        return None
    at = body.find(site.news_block_mark.encode("ascii"))
    return body[max(body.rfind(b"<", 0, at), 0):] if at != -1 else None


@functools.lru_cache(maxsize=64)
def _ascii_safe(encoding: str) -> bool:
    """An encoding where an ASCII byte is always that ASCII character (none of UTF-16's or Shift_JIS's)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in ("utf-8", "ascii") or name.startswith(("cp125", "iso8859-", "koi8-", "latin"))


def _block(text: str, site: SiteProfile, whole_page: bool = True) -> parsel.Selector | None:
    """The news block alone, when the profile says where it starts and it holds everything read."""
    if not site.news_block_start:
        return None
    block = dom.region(text, site.news_block_start, mark=site.news_block_mark, search=whole_page)
    if block is not None and all(dom.first(block, css) is not None for css in _region_needs(site)):
        return block
    return None


def _scopes(html: str | bytes | parsel.Selector, site: SiteProfile) -> tuple[parsel.Selector, parsel.Selector]:
    """(news block, whole page): the block alone when it holds everything we read, else the parsed page."""
    if not isinstance(html, parsel.Selector):
        text_ = dom.decode(html)
        block = _block(text_, site)
        if block is not None:
            return block, block
        html = text_
    sel = dom.selector(html)
    return dom.first(sel, site.news_block) or sel, sel


def _parse(block: parsel.Selector, sel: parsel.Selector, url: str | None, site: SiteProfile) -> ArticleFields:
    fields = ArticleFields()
    fields.title = title_of(block, sel, site)
    body_el = dom.first(block, site.body) or dom.first(sel, site.body)
    if body_el is not None:
        paras = text.fragment_paragraphs(body_el.get(), _noise(site))
        fields.body = text.join(paras)
        fields.images = images_of(body_el, block, url, site)
    meta = None
    if site.meta:
        meta = dom.first(block, site.meta) or (dom.first(sel, site.meta) if sel is not block else None)
    fields.date_text, parsed = _date_of(meta, block, site)
    fields.published = dates.to_iso(parsed, site.timezone)
    lang = urls.lang_of(url, (fields.title or "") + (fields.body or "")[:500], site)
    fields.section, fields.section_name = section_of(meta, url, lang, site)
    fields.print_url = print_url_of(block, sel, url, site)
    fields.problems = _problems(fields)
    return fields


def title_of(block: parsel.Selector, sel: parsel.Selector, site: SiteProfile = GENERIC) -> str | None:
    """`h1` inside the news block, else the page's first `h1` (never og:title: no h1 means a broken page)."""
    for scope in (block, sel):
        found = dom.text_of(dom.first(scope, site.title))
        if found:
            return found
    return None


def _date_of(meta: parsel.Selector | None, block: parsel.Selector,
             site: SiteProfile) -> tuple[str | None, date | None]:
    """(the date text as shown, its parsed value): `.news-date`, else the first date-looking text in the meta line."""
    date_el = dom.first(meta, site.date) if meta is not None and site.date else None
    if date_el is None and site.date:
        date_el = dom.first(block, site.date[:1])
    if date_el is not None:
        shown = dom.text_of(date_el, " ") or text.clean(date_el.attrib.get("datetime"))
        value = dates.parse_date(shown) or dates.parse_date(date_el.attrib.get("datetime", ""))
        return shown or None, value or dates.find_date(shown)
    if meta is not None:
        shown = dom.text_of(meta, " ")
        found = dates.find_date(shown)
        return (shown or None), found
    return None, None


def section_of(meta: parsel.Selector | None, url: str | None, lang: str | None,
               site: SiteProfile = GENERIC) -> tuple[str | None, str | None]:
    """(code, name): code from the URL path, else the meta line's section link; name as the page shows it."""
    code = urls.section_of(url, site)
    name = None
    link = dom.first(meta, site.section_link) if meta is not None and site.section_link else None
    if link is not None:
        name = dom.text_of(link) or None
        code = code or urls.section_of(urls.absolute(link.attrib.get("href"), url), site)
        if not code and name:
            code = site.section_by_name.get(name.casefold().replace("ё", "е"))
    if not name and code in site.sections:
        name = site.sections[code].name(lang)
    return code, name


def full_size(img: parsel.Selector, base_url: str | None, site: SiteProfile = GENERIC) -> str | None:
    """The full-size URL: the enclosing link to /upload/..., else derived from a resize_cache src, else src."""
    hrefs = _LINK_HREF(img.root)
    link = urls.absolute(hrefs[0] if hrefs else None, base_url)
    if link and site.upload_image.search(link.split("?")[0]):
        return link
    src = urls.absolute(img.attrib.get("src") or img.attrib.get("data-src"), base_url)
    if not src or not src.startswith(("http://", "https://")) or site.image_path_mark not in src:
        return None
    return site.resize_cache.sub(site.resize_cache_target, src) if site.resize_cache else src


def images_of(body: parsel.Selector, block: parsel.Selector, base_url: str | None,
              site: SiteProfile = GENERIC) -> list[Image]:
    """Full-size images of the article with their captions, in page order, each once."""
    found: dict[str, Image] = {}
    extra = block.css(site.image_scope_extra) if site.image_scope_extra else []
    for img in [*extra, *body.css("img")]:
        full = full_size(img, base_url, site)
        if not full or full in found:
            continue
        container = _container_xpath(site)(img.root) if site.image_container else []
        caption_el = (dom.first(parsel.Selector(root=container[-1], type="html"), site.image_caption)
                      if container else None)
        found[full] = Image(url=full, caption=dom.text_of(caption_el, " "))
    return list(found.values())


def print_url_of(block: parsel.Selector, sel: parsel.Selector, url: str | None,
                 site: SiteProfile = GENERIC) -> str | None:
    """Where the article's own print link points (read, never built)."""
    link = (dom.first(block, site.print_link) or dom.first(sel, site.print_link)) if site.print_link else None
    if link is None and site.print_link_texts:
        for candidate in block.css("a[href]"):
            if dom.text_of(candidate).casefold() in site.print_link_texts:
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
