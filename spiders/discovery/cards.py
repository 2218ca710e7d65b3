"""A listing's card: the repeated element around one article link, and the card's date as written.

Knows no site, only how CMS templates repeat one card per article.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from spiders.discovery import dom

STATE_CLASSES = frozenset({"odd", "even", "first", "last", "active", "current", "selected", "hover", "new",
                           "is-active", "clearfix", "row-first", "row-last"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MONTHS = (r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|jan|feb|mar|apr|may|"
           r"jun|jul|aug|sep|oct|nov|dec)[\w.]*")
_FULL_DATE = (rf"\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|\b\d{{4}}[./-]\d{{1,2}}[./-]\d{{1,2}}\b"
              rf"|\b\d{{1,2}}\s+{_MONTHS}\s*,?\s+\d{{4}}\b|\b{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}\b")
DATE_TEXT = re.compile(rf"{_FULL_DATE}|\b\d{{1,2}}\s+{_MONTHS}\b", re.I)
LEADING_DATE = re.compile(rf"^\s*(?:{_FULL_DATE})", re.I)  # "12.03.2024 — Title" inside one link
_DATE_CLASS = re.compile(r"date|time|posted|published|when|дата", re.I)
_DIGIT = re.compile(r"\d")
_NO_CLASSES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Link:
    """One article on a listing: canonical URL, the card's title and the card's date as written ("" if none)."""

    url: str
    title: str
    date_text: str = ""


def class_tokens(element: etree._Element) -> frozenset[str]:
    """The element's classes that describe its kind: states (odd, active) and numbered ones (post-123) dropped."""
    classes = element.get("class")
    if not classes:
        return _NO_CLASSES
    return _tokens(classes)


@functools.lru_cache(maxsize=4096)
def _tokens(classes: str) -> frozenset[str]:
    return frozenset(t for t in classes.lower().split() if t not in STATE_CLASSES and not _DIGIT.search(t))


def class_key(element: etree._Element) -> str:
    return " ".join(sorted(class_tokens(element)))


def card_of(anchor: etree._Element) -> etree._Element | None:
    """The anchor's nearest ancestor-or-self repeated among its siblings: same tag, kindred classes, and a
    link elsewhere (a card's picture link and title link to one URL are parts of one card, not two)."""
    href = anchor.get("href")
    node = anchor
    while node is not None and node.tag not in ("body", "html"):
        parent = node.getparent()
        if parent is None:
            return None
        tokens = class_tokens(node)
        for direction in (False, True):
            checked = 0
            for sibling in node.itersiblings(preceding=direction):
                if sibling.tag != node.tag:
                    continue
                other = class_tokens(sibling)
                if not (tokens & other or not (tokens or other)):
                    continue
                if links_elsewhere(sibling, href):
                    return node
                checked += 1
                if checked >= 2:
                    break
        node = parent
    return None


def links_elsewhere(element: etree._Element, href: str | None) -> bool:
    anchors = [element] if element.tag == "a" else element.iter("a")
    return any(a.get("href") and a.get("href") != href for a in anchors)


def date_text(card: etree._Element, title: str = "", side: str = "") -> str:
    """The card's date as written: a <time>, an element whose class says date, else a date in its text;
    for a flat list (`<p class="date">` beside each `<h3><a>`, no wrapper), the date on the list's `side`
    of the card ("before" or "after"; see `date_side`)."""
    own = _own_date(card, title)
    if own or not side:
        return own
    return _date_beside(card, card.getprevious() if side == "before" else card.getnext())


def date_side(cards: list[etree._Element]) -> str:
    """Where a flat list keeps each card's date: "before" when the first card's previous sibling holds one,
    "after" when its next sibling does (that one is the second card's, if its dates come first), else ""."""
    if not cards or _own_date(cards[0], ""):
        return ""
    first = cards[0]
    if _date_beside(first, first.getprevious()):
        return "before"
    return "after" if _date_beside(first, first.getnext()) else ""


def _date_beside(card: etree._Element, sibling: etree._Element | None) -> str:
    if sibling is None or not isinstance(sibling.tag, str) or len(dom.text(sibling)) >= 80:
        return ""
    mine, theirs = class_tokens(card), class_tokens(sibling)
    if sibling.tag == card.tag and (mine & theirs or not (mine or theirs)):
        return ""  # another card, not this card's date
    return _own_date(sibling, "")


def _own_date(card: etree._Element, title: str) -> str:
    for node in card.iter("time"):
        text = dom.text(node)
        return text or (node.get("datetime") or "").strip()
    for node in card.iter():
        if isinstance(node.tag, str) and _DATE_CLASS.search(node.get("class") or ""):
            text = dom.text(node)
            if any(c.isdigit() for c in text) and len(text) < 80:
                return text
    rest = dom.text(card).replace(title, " ") if title else dom.text(card)
    match = DATE_TEXT.search(rest) or LEADING_DATE.search(title)
    return match[0].strip() if match else ""
