"""A listing page read with a profile's selectors -> its cards and the pager's own links."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field

import parsel

from spiders.parsing import dates, dom, text, urls
from spiders.profile import GENERIC, SiteProfile

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
    feed_url: str | None = None  # autodiscovered from the page's head (generic listings)


def parse_listing(html: str | bytes | parsel.Selector, base_url: str, site: SiteProfile = GENERIC) -> ListingPage:
    """Cards and pager of one listing page, read with the profile's selectors; URLs resolved against base_url."""
    try:
        sel, items = _scope(html, site)
        cards = [card for item in items if (card := parse_card(item, base_url, site))]
        next_url, page_urls = pager_links(sel, base_url, site)
        return ListingPage(cards=_unique(cards), next_url=next_url, page_urls=page_urls)
    except Exception as exc:  # a broken page costs its cards, not the crawl
        log.warning("listing parse failed for %s: %r", base_url, exc)
        return ListingPage()


def _scope(html: str | bytes | parsel.Selector, site: SiteProfile) -> tuple[parsel.Selector, parsel.SelectorList]:
    """(the part of the page read, its card elements): the page from the profile's `listing_start` on when
    that part holds the cards and the pager (a fraction of a real page), else the whole page."""
    if isinstance(html, str) and site.listing_start is not None:
        match = site.listing_start.search(html)
        if match is not None and _no_pager_above(html, match.start(), site):
            tail = dom.selector(html[match.start():])
            items = _card_elements(tail, site)
            if items and (not site.pager or dom.first(tail, site.pager) is not None):
                return tail, items
    sel = dom.selector(html)
    return sel, _card_elements(sel, site)


def _no_pager_above(html: str, cut: int, site: SiteProfile) -> bool:
    """No class or id of the profile's pager selectors occurs above the cut: with a pager (or a pager-like
    element) there, only the whole page says which one the parser reads."""
    if not site.pager:
        return True
    names = _pager_names(site)
    return bool(names) and all(html.find(name, 0, cut) == -1 for name in names)


@functools.lru_cache(maxsize=32)
def _pager_names(site: SiteProfile) -> tuple[str, ...]:
    """The classes and ids the pager selectors name; none when one of them names neither (a bare tag)."""
    if not all(re.search(r"[.#][\w-]", css) for css in site.pager):
        return ()
    return tuple(dict.fromkeys(re.findall(r"[.#]([\w-]+)", " ".join(site.pager))))


def _card_elements(sel: parsel.Selector, site: SiteProfile) -> parsel.SelectorList:
    for query in site.listing_cards:
        found = sel.css(query)
        if found:
            return found
    return parsel.SelectorList()


def parse_card(item: parsel.Selector, base_url: str, site: SiteProfile = GENERIC) -> Card | None:
    """One card, or None when it links nowhere."""
    link = dom.first(item, site.card_link)
    url = urls.canonical(link.attrib.get("href"), base_url) if link is not None else None
    if not url:
        return None
    title = dom.text_of(link) or text.clean(item.css("img::attr(alt)").get())
    lang = urls.lang_of(base_url, title, site)
    date_text = dom.text_of(dom.first(item, site.card_date), " ") if site.card_date else ""
    published = dates.to_iso(dates.parse_date(date_text, lang) or dates.find_date(date_text), site.timezone)
    label = dom.first(item, site.card_label) if site.card_label else None
    section = urls.section_of(url, site)
    name = dom.text_of(label) if label is not None else None
    if not section and label is not None:
        classes = (label.attrib.get("class") or "").split()
        section = next((site.section_by_label[c] for c in classes if c in site.section_by_label), None)
    if not name and section in site.sections:
        name = site.sections[section].name(lang)
    return Card(url=url, title=title, published=published, section=section, section_name=name or None)


def pager_links(sel: parsel.Selector, base_url: str, site: SiteProfile = GENERIC) -> tuple[str | None, list[str]]:
    """(next page, all pager pages): the "next" link by class/rel/text, else the page after the current one."""
    pager = dom.first(sel, site.pager)
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
        if next_url is None and _is_next(link, site):
            next_url = url
    return next_url or _after_current(pager, base_url, site), page_urls


def _is_next(link: parsel.Selector, site: SiteProfile) -> bool:
    classes = set((link.attrib.get("class") or "").split())
    parent_classes = set((link.xpath("..").attrib.get("class") or "").split()) if link.xpath("..") else set()
    if (classes | parent_classes) & set(site.pager_next_classes) or link.attrib.get("rel") == "next":
        return True
    return dom.text_of(link).casefold() in site.pager_next_texts


def _after_current(pager: parsel.Selector, base_url: str, site: SiteProfile) -> str | None:
    """The link numbered one more than the highlighted current page, when the pager has no "next" link."""
    current = dom.text_of(dom.first(pager, site.pager_current)) if site.pager_current else ""
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
