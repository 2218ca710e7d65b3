"""The next listing page of any site, read from the pager's own links.

Evidence in order: the source's own selector, `rel="next"`, a "next" class, a "next" text or label
(Russian and English), then the numbered link after the current page. A candidate is kept only when it
stays on the site, differs from the page itself and, when both carry a page number, lies after it: a
"previous", "first" or "last" link can never be taken for "next".
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from lxml.cssselect import CSSSelector

from spiders.discovery import dom, urls

NEXT_CLASSES = frozenset({
    "next", "pager-next", "pager__item--next", "nav-next", "next-page", "nextpage", "page-next", "bx-pag-next",
    "modern-page-next", "pagination-next", "pagination__next", "page-item-next", "navigation-next",
    "older", "older-posts", "arrow-next", "pagenav-next", "forward",
})
NOT_NEXT_CLASSES = frozenset({
    "prev", "previous", "pager-previous", "pager__item--previous", "nav-prev", "prev-page", "bx-pag-prev",
    "modern-page-previous", "pagination-prev", "pagination-previous", "pager-last", "pager__item--last",
    "pager-first", "pager__item--first", "last", "first", "modern-page-last", "modern-page-first",
    "bx-pag-all", "newer", "pagination-start", "pagination-end", "end", "start",
})
_NOT_NEXT_WORDS = re.compile(r"\b(?:prev|previous|newer|last|first|end|start|back)\b|назад|пред|последн|перв"
                             r"|конец|начал|нов(?:ее|ые)")  # labels are casefolded: no re.I, which costs 10x on Cyrillic
_NEXT_WORDS = re.compile(r"\b(?:next|older|forward)\b|следующ|^след\.?$|далее|дальше|вперё?е?д|старые|"
                         r"показать ещё|показать еще|load more|more news")
_NEXT_ARROWS = frozenset({"›", "»", ">", "→", ">>", "››", "→→", "⟩", "❯", "▶", "►"})
_PREV_ARROWS = re.compile(r"^[«‹<←⟨❮◀◄ ]+$")
_CURRENT_CLASSES = frozenset({"active", "current", "is-active", "bx-active", "selected", "modern-page-current",
                              "pager-current", "pager__item--current", "page-item-active", "this-page"})
_DIGITS = re.compile(r"^\d{1,5}$")
_HIDDEN = frozenset({"visually-hidden", "sr-only", "screen-reader-text", "element-invisible", "hidden",
                     "meta-nav", "visuallyhidden", "show-for-sr"})


def _visible(element: etree._Element) -> str:
    """An element's text without the screen-reader-only parts ("Current page", "Page") CMSs put in pagers."""
    return dom.text(element, _HIDDEN)


def next_page(html: str, url: str, selector: str = "") -> str | None:
    """The URL of the listing page after this one, or None on the last page (or when nothing says)."""
    doc = dom.parse(html)
    if doc is None:
        return None
    if selector:
        found = by_selector(doc, url, selector)
        if found:
            return found
    for href in _rel_next(doc):  # the cheap, strong evidence first
        if found := _accept(href, url):
            return found
    by_class, by_text = _flagged(doc)
    for href in by_class:
        if found := _accept(href, url):
            return found
    numbered = _after_current(doc, url)
    for href in by_text:
        if found := _accept(href, url):
            return _nearer(numbered, found)
    return numbered


def _nearer(numbered: str | None, found: str) -> str:
    """The numbered next page when a "»" found by its text skips past it (to the last page, on some sites)."""
    if numbered is None:
        return found
    a, b = page_number(numbered), page_number(found)
    return numbered if a and b and a[0] == b[0] and a[1] < b[1] else found


def by_selector(doc: etree._Element, url: str, selector: str) -> str | None:
    """The next page a configured `next_page` selector gives on the page at `url` (None when it gives none)."""
    try:
        matched = CSSSelector(selector)(doc)
    except Exception:  # a bad selector in a config is the caller's error to report; here it matches nothing
        return None
    for element in matched:
        anchor = element if element.tag == "a" else next(iter(element.iter("a")), None)
        href = urls.absolute(anchor.get("href") if anchor is not None else None, url)
        if href and urls.same_site(href, urls.origin(url)) and not _same_page(href, url):
            return href
    return None


def _rel_next(doc: etree._Element) -> list[str]:
    return [el.get("href") or "" for el in doc.iter("link", "a")
            if "next" in (el.get("rel") or "").lower().split() and el.get("href")]


_classes = dom.classes


def _direction(label: str) -> int:
    """+1 when a link's text says "next", -1 when it says previous/first/last, 0 when it says neither."""
    label = label.strip()
    if len(label) > 40:  # a title or a sentence, not a pager's word
        return 0
    if not label or _PREV_ARROWS.match(label):
        return -1 if label else 0
    if _NOT_NEXT_WORDS.search(label):
        return -1
    if _NEXT_WORDS.search(label) or label.replace(" ", "") in _NEXT_ARROWS:
        return 1
    return 0


def _flagged(doc: etree._Element) -> tuple[list[str], list[str]]:
    """Links marked "next" by their class (or their parent's), then those whose text or label says so.

    A text shared by several links to different places ("Далее" under every card) is a "read more", not a pager.
    """
    by_class, by_text = [], []
    targets: dict[str, set[str]] = {}
    for anchor in doc.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        classes = _classes(anchor) | _classes(anchor.getparent())
        label = dom.text(anchor).casefold()
        hint = " ".join(filter(None, (anchor.get("aria-label"), anchor.get("title")))).casefold()
        said, hinted = _direction(label), _direction(hint)
        if classes & NOT_NEXT_CLASSES or said < 0 or (hinted < 0 and said <= 0):
            continue
        if classes & NEXT_CLASSES:
            by_class.append(href)
        elif said > 0 or (hinted > 0 and not label):
            by_text.append(href)
            targets.setdefault(label or hint, set()).add(href)
    repeated = {href for hrefs in targets.values() if len(hrefs) > 1 for href in hrefs if not urls.is_pager(href)}
    return by_class, [href for href in by_text if href not in repeated]


def _accept(href: str, url: str) -> str | None:
    """href as the next page, if it is on the site, not this page, and not before it."""
    found = urls.absolute(href, url)
    if not found or not urls.same_site(found, urls.origin(url)) or _same_page(found, url):
        return None
    kind, number = page_number(found), page_number(url)
    here = number[1] if number and kind and number[0] == kind[0] else None
    if kind and here is not None and kind[1] <= here:
        return None
    if kind and here is None and kind[1] <= 0:
        return None
    return found


def _same_page(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.path.rstrip("/"), sorted(parse_qsl(pa.query))) == (pb.path.rstrip("/"), sorted(parse_qsl(pb.query)))


def _after_current(doc: etree._Element, url: str) -> str | None:
    """The numbered link after the current page: by the highlighted number's text, else by the URL's number."""
    anchors = [(int(text), href, anchor) for anchor in doc.iter("a")
               if (href := urls.absolute(anchor.get("href"), url)) and urls.same_site(href, urls.origin(url))
               and _DIGITS.match(text := _visible(anchor)) and page_number(href)]
    if not anchors:
        return None
    numbered = [(number, href) for number, href, _ in anchors]
    current = _current_number(doc, anchors[0][2])
    if current is not None:
        for number, href in numbered:
            if number == current + 1 and not _same_page(href, url):
                return href
        return None
    here = page_number(url)
    later = [(n, href) for n, href in numbered
             if (kind := page_number(href)) and (here is None or (kind[0] == here[0] and kind[1] > here[1]))
             and not _same_page(href, url)]
    if here is None:
        later = [(n, href) for n, href in later if n == 2]
    return min(later, key=lambda pair: page_number(pair[1])[1])[1] if later else None  # type: ignore[index]


def _current_number(doc: etree._Element, anchor: etree._Element) -> int | None:
    """The highlighted page number inside the pager that holds `anchor` (a numbered link):
    `aria-current="page"`, a current/active class, or a number that is not a link."""
    pager = anchor.getparent()
    while pager is not None and pager.getparent() is not None and sum(
            1 for a in pager.iter("a") if _DIGITS.match(_visible(a))) < 2:
        pager = pager.getparent()
    if pager is None:
        return None
    for element in pager.iter("a", "span", "li", "strong", "b", "em", "div"):
        text = _visible(element)
        if not _DIGITS.match(text):
            continue
        if element.get("aria-current") == "page" or _classes(element) & _CURRENT_CLASSES:
            return int(text)
        if element.tag != "a" and not list(element.iter("a")) and (
                element.getparent() is None or element.getparent().tag != "a"):
            return int(text)
    return None


def page_number(url: str) -> tuple[str, int] | None:
    """(pager kind, number) a listing URL carries: ("path", N) for `/page/N/`, ("page", N) for `?page=N`
    (and `paged`, `pg`), ("bitrix:PAGEN_1", N), ("offset:start", N); None for a URL without one."""
    parts = urlsplit(url)
    match = urls.PAGE_PATH.search(parts.path)
    if match:
        return "path", int(match[1])
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        lowered = key.lower()
        if not value.isdigit():
            continue
        if urls.BITRIX_KEY.match(key):
            return f"bitrix:{key.upper()}", int(value)
        if lowered in urls.PAGE_KEYS:
            return "page", int(value)
        if lowered in urls.OFFSET_KEYS:
            return f"offset:{lowered}", int(value)
    return None


def pager_kind(url: str) -> str | None:
    """The pager pattern of a page-2 URL: "path" (`/page/2/`), "page" (`?page=`), "bitrix:PAGEN_n",
    "offset:start" (Joomla); "page0" when `?page=1` is the second page (Drupal counts from 0)."""
    found = page_number(url)
    if found is None:
        return None
    kind, number = found
    return "page0" if kind == "page" and number == 1 else kind
