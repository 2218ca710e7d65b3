"""Where a page shows its date when no selector and no metadata says: beside the title, in the URL, in the text.

Sidebars ("recent news" with their dates) and prose that cites other dates are the traps: only short
lines beside the title, or the first short lines of the block after it, are read.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from lxml import etree

from spiders.extraction import dates, dom
from spiders.extraction.generic import own_text

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_])")
_ELSEWHERE = re.compile(r"sidebar|related|widget|popular|recommend|footer|menu|\bnav|more-news|latest|recent|"
                        r"other|similar|share|comment")
_DATE_CLASS_XPATH = ("//body//*[contains(@class, 'date') or contains(@class, 'time') or contains(@class, 'publish')"
                     " or contains(@class, 'posted') or contains(@id, 'date') or contains(@class, 'Date')]")
_META_LINE = 200  # a date beside the title sits in a short line; longer text is prose that may cite dates


def _elsewhere(el: etree._Element) -> bool:
    """Whether an element belongs to another story (sidebar, related list) rather than this one's meta line."""
    return bool(_ELSEWHERE.search(f"{el.get('class') or ''} {el.get('id') or ''}".lower()))


def _beside(node: etree._Element, reach: int = 4):
    """The node's siblings, nearest first, alternating after and before."""
    after, before = list(node.itersiblings())[:reach], list(node.itersiblings(preceding=True))[:reach]
    for i in range(reach):
        for group in (after, before):
            if i < len(group):
                yield group[i]


def date_near(title_el: etree._Element, levels: int = 4) -> date | datetime | None:
    """The date in a short line beside the title (the article's meta line), up to `levels` ancestors out."""
    node = title_el
    for _ in range(levels):
        for sib in _beside(node):
            if not isinstance(sib.tag, str) or dom.tag_of(sib) in ("aside", "nav", "footer", "ul", "ol"):
                continue
            for time_el in sib.iter("time"):
                value = dates.parse_date(time_el.get("datetime") or "")
                if value:
                    return value
            if _elsewhere(sib):
                continue
            text = dom.text_of(sib)
            if text and len(text) <= _META_LINE:
                value = dates.find_date(text)
            else:
                value = _date_in_lines(sib)
            if value:
                return value
        node = node.getparent()
        if node is None or dom.tag_of(node) in ("body", "html"):
            break
    return None


def _date_in_lines(el: etree._Element, lines: int = 8) -> date | datetime | None:
    """A date in one of the first short lines inside a long element (its meta line), not in its prose."""
    seen = 0
    for node in el.iter():
        if not isinstance(node.tag, str) or node is el or _elsewhere(node):
            continue
        if dom.tag_of(node) == "time" and dates.parse_date(node.get("datetime") or ""):
            return dates.parse_date(node.get("datetime"))
        own = own_text(node)
        if not own:
            continue
        seen += 1
        if seen > lines:
            break
        if len(own) <= _META_LINE:
            value = dates.find_date(own)
            if value:
                return value
    return None


def date_by_class(root: etree._Element) -> date | datetime | None:
    """The first short element whose class or id says date ("news-date", "post-date", "published"), outside
    sidebars, menus and lists of cards: for pages whose title element could not be found."""
    for el in root.xpath(_DATE_CLASS_XPATH):
        if _elsewhere(el) or any(a.tag in ("aside", "nav", "footer", "li") or _elsewhere(a) for a in el.iterancestors()):
            continue
        value = dates.parse_date(el.get("datetime") or el.get("content") or "")
        text = dom.text_of(el)
        if value is None and text and len(text) <= _META_LINE:
            value = dates.find_date(text)
        if value:
            return value
    return None


def date_in_url(url: str | None) -> date | None:
    """A date in the URL's path, as WordPress and many CMSs put it: /2024/03/12/slug/."""
    match = _URL_DATE.search(url or "")
    return dates.find_date(f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}") if match else None


def date_in_text(root: etree._Element, reach: int = 1500) -> date | None:
    """The first date in the main content's opening text (the last resort, before the feed and listing)."""
    main = root.find(".//main")
    if main is None:
        main = root.find(".//article")
    scope = main if main is not None else root.find(".//body")
    if scope is None:
        return None
    pieces, size = [], 0
    for text in scope.itertext():
        pieces.append(text)
        size += len(text)
        if size > reach:
            break
    return dates.find_date(" ".join(pieces)[:reach])
