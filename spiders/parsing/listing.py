"""A listing page (/media/news/, /media/news/<section>/) -> its cards and the pager's own links."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import parsel

from spiders.parsing import dates, dom, text, urls
from spiders.sites import spbpu as site

log = logging.getLogger(__name__)


@dataclass
class Card:
    """One news card: where it links, its title, date, section code and the section name it shows."""

    url: str
    title: str
    published: str | None = None
    section: str | None = None
    section_name: str | None = None


@dataclass
class ListingPage:
    """Cards in page order; `next_url` from the pager's "next" link; `page_urls` every pager link once."""

    cards: list[Card] = field(default_factory=list)
    next_url: str | None = None
    page_urls: list[str] = field(default_factory=list)


def parse_listing(html: str | bytes | parsel.Selector, base_url: str) -> ListingPage:
    """Cards and pager of one listing page; absolute URLs resolved against base_url."""
    try:
        sel = dom.selector(html)
        cards = [card for item in _card_elements(sel) if (card := parse_card(item, base_url))]
        next_url, page_urls = pager_links(sel, base_url)
        return ListingPage(cards=_unique(cards), next_url=next_url, page_urls=page_urls)
    except Exception as exc:  # a broken page costs its cards, not the crawl
        log.warning("listing parse failed for %s: %r", base_url, exc)
        return ListingPage()


def _card_elements(sel: parsel.Selector) -> parsel.SelectorList:
    for query in site.LISTING_CARDS:
        found = sel.css(query)
        if found:
            return found
    return parsel.SelectorList()


def parse_card(item: parsel.Selector, base_url: str) -> Card | None:
    """One card, or None when it links nowhere."""
    link = dom.first(item, site.CARD_LINK)
    url = urls.canonical(link.attrib.get("href"), base_url) if link is not None else None
    if not url:
        return None
    title = dom.text_of(link) or text.clean(item.css("img::attr(alt)").get())
    lang = urls.lang_of(base_url, title)
    date_text = dom.text_of(dom.first(item, site.CARD_DATE), " ")
    published = dates.to_iso(dates.parse_date(date_text, lang) or dates.find_date(date_text))
    label = item.css(site.CARD_LABEL)
    section = urls.section_of(url)
    name = dom.text_of(label[0]) if label else None
    if not section and label:
        classes = (label[0].attrib.get("class") or "").split()
        section = next((site.SECTION_BY_LABEL[c] for c in classes if c in site.SECTION_BY_LABEL), None)
    if not name and section in site.SECTIONS:
        name = site.SECTIONS[section].name(lang)
    return Card(url=url, title=title, published=published, section=section, section_name=name or None)


def pager_links(sel: parsel.Selector, base_url: str) -> tuple[str | None, list[str]]:
    """(next page, all pager pages): the "next" link by class/rel/text, else the page after the current one."""
    pager = dom.first(sel, site.PAGER)
    if pager is None:
        return None, []
    page_urls: list[str] = []
    next_url = None
    for link in pager.css("a[href]"):
        url = urls.absolute(link.attrib.get("href"), base_url)
        if not url:
            continue
        if url not in page_urls:
            page_urls.append(url)
        if next_url is None and _is_next(link):
            next_url = url
    return next_url or _after_current(pager, base_url), page_urls


def _is_next(link: parsel.Selector) -> bool:
    classes = set((link.attrib.get("class") or "").split())
    parent_classes = set((link.xpath("..").attrib.get("class") or "").split()) if link.xpath("..") else set()
    if (classes | parent_classes) & set(site.PAGER_NEXT_CLASSES) or link.attrib.get("rel") == "next":
        return True
    return dom.text_of(link).casefold() in site.PAGER_NEXT_TEXTS


def _after_current(pager: parsel.Selector, base_url: str) -> str | None:
    """The link numbered one more than the highlighted current page, when the pager has no "next" link."""
    current = dom.text_of(dom.first(pager, site.PAGER_CURRENT))
    if not current.isdigit():
        return None
    wanted = str(int(current) + 1)
    for link in pager.css("a[href]"):
        if dom.text_of(link) == wanted:
            return urls.absolute(link.attrib.get("href"), base_url)
    return None


def _unique(cards: list[Card]) -> list[Card]:
    """Each URL once (a card can hold the same link on its picture and its title)."""
    seen: set[str] = set()
    return [c for c in cards if not (c.url in seen or seen.add(c.url))]
