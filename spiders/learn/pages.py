"""One sample page seen as blocks of text: which repeat on other pages (chrome), which vary (content).

A block is the text a block-level element holds itself (its inline children included). A block whose
normalised text recurs on most pages of the sample is chrome; a block that is mostly link text is
navigation; the title and the date are fields, not body. Everything else varies from page to page: content.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from spiders.extraction import dom
from spiders.extraction.boilerplate import normalise
from spiders.extraction.chain import Extracted, extract

_SKIP = frozenset({"head", "script", "style", "noscript", "template", "title", "meta", "link"})


@dataclass(eq=False)
class SamplePage:
    """A page of the sample: its tree, what the generic chain reads from it, and its blocks' text."""

    url: str
    html: str
    root: etree._Element
    generic: Extracted
    blocks: dict[etree._Element, list] = field(default_factory=dict)  # owner -> [text, link chars]
    content: dict[etree._Element, int] = field(default_factory=dict)  # element -> content chars under it
    text: dict[etree._Element, int] = field(default_factory=dict)  # element -> all block chars under it
    chrome: set[str] = field(default_factory=set)  # chrome blocks on this page (normalised)
    fetched: Any = None  # the page as fetched (bytes and headers), for reading it again as a crawl does

    @property
    def total_content(self) -> int:
        return self.content.get(self.root, 0)

    def keys(self) -> set[str]:
        return {normalise(text) for text, _ in self.blocks.values() if text}


def load(url: str, html: str) -> SamplePage:
    """A page parsed once, with its generic reading and its blocks."""
    page = SamplePage(url, html, dom.parse(html), extract(html, url))
    page.blocks = _blocks(page.root)
    return page


def _blocks(root: etree._Element) -> dict[etree._Element, list]:
    """Text and link-text length per block-level element, scripts and the head left out (one walk)."""
    blocks: dict[etree._Element, list] = {}

    def add(owner: etree._Element, text: str | None, linked: bool) -> None:
        if text and text.strip():
            entry = blocks.setdefault(owner, ["", 0])
            entry[0] += " " + text
            entry[1] += len(text.strip()) if linked else 0

    stack: list[tuple[etree._Element, etree._Element, bool]] = [(root, root, False)]
    while stack:
        el, parent_owner, parent_linked = stack.pop()
        tag = dom.tag_of(el)
        if tag in _SKIP or not tag:
            continue
        owner = el if tag in dom.BLOCK_TAGS else parent_owner
        linked = parent_linked or tag == "a"
        add(owner, el.text, linked)
        for child in reversed(el):
            stack.append((child, owner, linked))
    # tails belong to the parent's block; a second pass keeps the walk simple
    for el in root.iter():
        parent = el.getparent()
        if parent is None or not el.tail or not el.tail.strip() or not isinstance(el.tag, str):
            continue
        owner, linked = _owner_of(parent, blocks)
        if owner is not None:
            add(owner, el.tail, linked)
    for entry in blocks.values():
        entry[0] = dom.clean(entry[0])
    return blocks


def _owner_of(el: etree._Element, blocks: dict) -> tuple[etree._Element | None, bool]:
    """The block a tail under `el` belongs to, and whether it sits inside a link."""
    linked = False
    node = el
    while node is not None:
        tag = dom.tag_of(node)
        if tag in _SKIP:
            return None, False
        linked = linked or tag == "a"
        if tag in dom.BLOCK_TAGS or node.getparent() is None:
            return node, linked
        node = node.getparent()
    return None, False


def classify(pages: Sequence[SamplePage]) -> None:
    """Mark each page's chrome (blocks on most pages) and count content characters under every element."""
    seen = Counter(key for page in pages for key in page.keys())
    need = max(2, math.ceil(len(pages) / 2))
    for page in pages:
        title = normalise(page.generic.title or "")
        page.chrome = {key for key in page.keys() if seen[key] >= need}
        for owner, (text, linked) in page.blocks.items():
            if not text:
                continue
            key = normalise(text)
            is_content = (key not in page.chrome and key != title and linked < len(text) / 2
                          and not is_date_line(text, page) and not _names_title(key, title))
            for el in (owner, *owner.iterancestors()):
                page.text[el] = page.text.get(el, 0) + len(text)
                if is_content:
                    page.content[el] = page.content.get(el, 0) + len(text)


def _names_title(key: str, title: str) -> bool:
    """A short block holding the page's title (breadcrumbs, "You are here: ... » title"): navigation."""
    return bool(title) and title in key and len(key) < len(title) + 60


def is_date_line(text: str, page: SamplePage) -> bool:
    """A short line showing the page's own date, or a bare date: a field, not body."""
    from spiders.extraction import dates

    if len(text) > 60:
        return False
    if len(text) <= 30 and dates.parse_date(text) is not None:
        return True  # a bare date (a related post's, an "updated" stamp): never prose
    if not page.generic.published:
        return False
    value = dates.parse_date(text) or dates.find_date(text)
    return value is not None and value.isoformat()[:10] == page.generic.published[:10]
