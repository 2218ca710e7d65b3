"""Article links of any listing page, told apart from menus, breadcrumbs, sidebars, tag clouds, pagers and footers.

A news list is a run of sibling cards of one structure under one parent (or under parents of one structure:
a grid's rows), each card holding a link with a long text and, often, a date. So: skip the page regions that
are never the list (header, nav, footer, aside, role=navigation...), find each link's card (its nearest
ancestor repeated among its siblings), group cards by the structure of their container, score the groups
by cards x title length x dates, and return the best group's links in page order.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from lxml import etree

from spiders.discovery import dom, urls
from spiders.discovery.cards import HEADINGS, Link, card_of, class_key, date_side, date_text
from spiders.discovery.sidebar import sidebar_filter, sidebar_urls

__all__ = ["Link", "article_links", "date_text", "sidebar_filter", "sidebar_urls"]

# Never the list. Not <form>: ASP.NET WebForms pages wrap the whole page in one.
SKIP_TAGS = frozenset({"nav", "aside", "script", "style", "noscript", "template", "select"})
SKIP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
_PAGE_TAGS = frozenset({"header", "footer"})  # the page's own; those inside an <article> card are the card's
_HINT = re.compile(r"(?:^|[\s_-])(?:side-?bar|sidebar-\w+|widgets?|aside|menu|breadcrumbs?|footer|header|navbar|nav|"
                   r"related|popular|recent|most-?read|tag-?cloud|tags|share|social|banners?|cookies?|promo|"
                   r"advert|ads|subscribe|calendar)(?:$|[\s_-])", re.I)
_LAYOUT_PREFIXES = ("has-", "with-", "no-", "layout", "page-", "l-", "body-", "main-", "content-")
_SPACES = re.compile(r"\s+")

_Entry = tuple[etree._Element, str, etree._Element]  # (card, article URL, anchor)


@dataclass
class _Group:
    cards: list[_Entry]  # in page order
    hinted: bool = False


def article_links(html: str, url: str, pattern: re.Pattern[str] | str | None = None, base_url: str = "",
                  exclude: Collection[str] = ()) -> list[Link]:
    """The listing's article links in page order (newest first as the page shows them).

    `pattern` (searched in the URL path, as `article_pattern` is written; "" = none) keeps only article URLs;
    `base_url` (origin and optional path prefix) bounds the site, by default the page's host; `exclude` drops
    URLs known not to be the list (a sidebar's).
    """
    if isinstance(pattern, str):
        pattern = re.compile(pattern) if pattern else None
    doc = dom.parse(html)
    if doc is None:
        return []
    walker = _Walker(url)
    groups, candidates = _groups(doc, walker, base_url or urls.origin(url), pattern, set(exclude))
    if not groups:
        return []
    ranked = sorted(groups.values(), key=lambda g: -walker.score(g, with_dates=False))[:4]
    best = max(ranked, key=lambda g: walker.score(g, with_dates=True))
    return walker.links(walker.with_leading(best, candidates))


def _groups(doc: etree._Element, walker: _Walker, bound: str, pattern: re.Pattern[str] | None,
            exclude: set[str]) -> tuple[dict[tuple[int, str], _Group], list[tuple[etree._Element, str]]]:
    """Candidate links grouped by card structure, and every candidate (anchor, URL) in page order."""
    groups: dict[tuple[int, str], _Group] = {}
    candidates: list[tuple[etree._Element, str]] = []
    for anchor in doc.iter("a"):
        href = anchor.get("href")
        if not href or walker.skipped(anchor):
            continue
        if href not in walker.resolved:
            walker.resolved[href] = _article_url(href, walker.page, bound, pattern, exclude)
        link = walker.resolved[href]
        if not link:
            continue
        candidates.append((anchor, link))
        card = card_of(anchor)
        if card is None:
            continue
        parent = card.getparent()
        key = (walker.signature(parent), card.tag)
        group = groups.setdefault(key, _Group(cards=[]))
        group.cards.append((card, link, anchor))
        group.hinted = group.hinted or walker.hinted(parent)
    return groups, candidates


def _article_url(href: str | None, page: str, bound: str, pattern: re.Pattern[str] | None,
                 exclude: set[str]) -> str | None:
    """href as a candidate article URL, or None for what is never an article from this listing."""
    found = urls.canonical(href, page)
    if not found or found in exclude or not urls.same_site(found, bound):
        return None
    if urls.is_feed(found) or urls.is_pager(found) or urls.is_file(found):
        return None
    if pattern is None and urls.is_taxonomy(found):  # a source's own pattern knows its paths better
        return None
    path, here = urls.path_of(found), urls.path_of(page)
    if path.rstrip("/") in ("", here.rstrip("/")) or here.startswith(path.rstrip("/") + "/"):
        return None  # the listing itself, a parent section or the home page
    if pattern is not None and not pattern.search(path):
        return None
    return found


class _Walker:
    """One page's facts, cached across its links: skipped and hinted regions, structure ids, texts, weights."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.resolved: dict[str, str | None] = {}  # href -> candidate article URL
        self._texts: dict[etree._Element, str] = {}
        self._weights: dict[etree._Element, tuple[bool, int]] = {}
        self._skip: dict[etree._Element, bool] = {}
        self._hint: dict[etree._Element, bool] = {}
        self._sig: dict[etree._Element, int] = {}
        self._ids: dict[tuple[int, str, str], int] = {}

    def skipped(self, element: etree._Element | None) -> bool:
        if element is None:
            return False
        if element not in self._skip:
            self._skip[element] = _skip_here(element) or self.skipped(element.getparent())
        return self._skip[element]

    def hinted(self, element: etree._Element | None) -> bool:
        if element is None or element.tag in ("html", "body"):
            return False
        if element not in self._hint:
            own = _hinted_names(f"{element.get('class') or ''} {element.get('id') or ''}")
            self._hint[element] = own or self.hinted(element.getparent())
        return self._hint[element]

    def signature(self, element: etree._Element | None) -> int:
        """The same number for elements at the same tag/class path from the root (a grid's rows share it)."""
        if element is None:
            return 0
        if element not in self._sig:
            key = (self.signature(element.getparent()), str(element.tag), class_key(element))
            self._sig[element] = self._ids.setdefault(key, len(self._ids) + 1)
        return self._sig[element]


    def text(self, element: etree._Element) -> str:
        if element not in self._texts:
            self._texts[element] = dom.text(element)
        return self._texts[element]

    def weight(self, anchor: etree._Element) -> tuple[bool, int]:
        """(in a heading, text length): how much a link looks like a card's title."""
        if anchor not in self._weights:
            heading = any(a.tag in HEADINGS for a in anchor.iterancestors()) or any(
                h.tag in HEADINGS for h in anchor.iter())
            self._weights[anchor] = (heading, len(self.text(anchor)))
        return self._weights[anchor]

    def title(self, card: etree._Element, link: str) -> str:
        """The card's title for its link: the link in a heading first, else the longest link text, else an
        image's alt."""
        texts = [(*self.weight(other), self._own_title(other))
                 for other in card.iter("a") if self.resolved.get(other.get("href") or "") == link]
        in_heading, _, best = max(texts, default=(False, 0, ""))
        if not in_heading:  # "Подробнее" / "Read more" under a heading that is not a link
            heading = next((h for h in card.iter(*HEADINGS)), None)
            text = self.text(heading) if heading is not None else ""
            if len(text) > len(best):
                return text
        if best:
            return best
        image = next(iter(card.iter("img")), None)
        return _SPACES.sub(" ", image.get("alt") or "").strip() if image is not None else ""

    def _own_title(self, anchor: etree._Element) -> str:
        """A link's text, or the heading inside it when the whole card is one link (picture, title, date)."""
        heading = next((h for h in anchor.iter(*HEADINGS)), None)
        text = self.text(heading) if heading is not None else self.text(anchor)
        return text or (anchor.get("title") or "").strip()

    def distinct(self, cards: Iterable[_Entry]) -> list[_Entry]:
        """One entry per card (its best link: in a heading, else the longest text) and per URL."""
        best: dict[int, _Entry] = {}
        order: list[int] = []
        for card, link, anchor in cards:
            key = id(card)
            if key not in best:
                order.append(key)
                best[key] = (card, link, anchor)
            elif self.weight(anchor) > self.weight(best[key][2]):
                best[key] = (card, link, anchor)
        seen: set[str] = set()
        return [best[k] for k in order if not (best[k][1] in seen or seen.add(best[k][1]))]

    def score(self, group: _Group, with_dates: bool) -> float:
        """Cards x title length (menus have one or two words) x share of dated cards; a hinted region less."""
        cards = self.distinct(group.cards)
        if not cards:
            return 0.0
        if with_dates:  # the finalists: their cards' titles, headings included
            words = sum(min(len(self.title(card, link).split()), 12) for card, link, _ in cards)
        else:
            words = sum(min(len(self.text(a).split()) or len((a.get("title") or "").split()), 12)
                        for _, _, a in cards)
        text_factor = min(max(words / len(cards) / 4, 0.15), 2.0)
        score = len(cards) * text_factor * (0.35 if group.hinted else 1.0)
        if with_dates:
            side = date_side([card for card, _, _ in cards])
            dated = sum(1 for card, _, _ in cards if date_text(card, side=side))
            score *= 1 + dated / len(cards)
        return score

    def with_leading(self, best: _Group, candidates: list[tuple[etree._Element, str]]) -> _Group:
        """The best group plus headline links set apart inside the same list container: a CMS's "leading"
        article (Joomla's blog, a featured first post) has its own wrapper but is an item of the list all the
        same."""
        cards = self.distinct(best.cards)
        container = _common_ancestor([card for card, _, _ in cards])
        if container is None or len(cards) < 2:
            return best
        shape = Counter(_depth(link) for _, link, _ in cards).most_common(1)[0][0]
        listed = {link for _, link, _ in cards}
        extra = []
        for anchor, link in candidates:
            if link in listed or _depth(link) != shape or not self.weight(anchor)[0]:
                continue
            chain = [anchor, *anchor.iterancestors()]
            if container in chain:
                extra.append((chain[chain.index(container) - 1], link, anchor))
                listed.add(link)
        if not extra:
            return best
        position = {element: i for i, element in enumerate(container.iter())}
        merged = sorted(best.cards + extra, key=lambda entry: position[entry[2]])
        return _Group(cards=merged, hinted=best.hinted)

    def links(self, group: _Group) -> list[Link]:
        found = []
        cards = self.distinct(group.cards)
        side = date_side([card for card, _, _ in cards])
        for card, link, _ in cards:
            title = self.title(card, link)
            when = date_text(card, title, side)
            if when and when in title and title.replace(when, "").strip(" -–—|,:"):
                title = title.replace(when, "").strip(" -–—|,:")  # "12.03.2024 Title" in one link
            found.append(Link(url=link, title=title, date_text=when))
        return found


@functools.lru_cache(maxsize=4096)
def _hinted_names(names: str) -> bool:
    """Whether a class or id names a menu, sidebar, widget...; layout names that merely mention one
    ("has-sidebar", "layout-sidebar-left", "main-with-sidebar") wrap the content too and do not count."""
    return any(_HINT.search(name) for name in names.lower().split()
               if not name.startswith(_LAYOUT_PREFIXES) and "-with-" not in name)


def _skip_here(element: etree._Element) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in SKIP_TAGS:
        return True
    if (element.get("role") or "").lower() in SKIP_ROLES:
        return True
    if tag in _PAGE_TAGS:
        return not any(a.tag == "article" for a in element.iterancestors())
    return False


def _depth(link: str) -> int:
    return len([s for s in urls.path_of(link).split("/") if s])


def _common_ancestor(elements: list[etree._Element]) -> etree._Element | None:
    if not elements:
        return None
    chain = [elements[0], *elements[0].iterancestors()]
    for element in elements[1:]:
        ancestors = {element, *element.iterancestors()}
        chain = [node for node in chain if node in ancestors]
    return chain[0] if chain else None


