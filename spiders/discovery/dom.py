"""The page as plain lxml elements: parsed once, read with cheap helpers.

Plain `etree` elements, not `lxml.html`'s: its per-element class lookup costs more than the parse on a
150 KB page walked link by link.
"""

from __future__ import annotations

import re

from lxml import etree

_SPACES = re.compile(r"\s+")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})


def parse(html: str | None) -> etree._Element | None:
    """The document's root, or None for an empty or unreadable page."""
    if not html or not html.strip():
        return None
    try:
        root = etree.fromstring(html.replace("\x00", ""), _PARSER)
    except (etree.LxmlError, ValueError):
        try:  # a str with an XML encoding declaration: let lxml read the bytes
            root = etree.fromstring(html.encode("utf-8", "replace"), etree.HTMLParser(encoding="utf-8"))
        except (etree.LxmlError, ValueError):
            return None
    return root


def text(element: etree._Element | None, hidden: frozenset[str] = frozenset()) -> str:
    """All text under an element, whitespace folded; scripts, styles and elements with a `hidden` class
    (screen-reader-only parts) left out."""
    if element is None:
        return ""
    if not len(element):
        return _SPACES.sub(" ", element.text or "").strip()
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag in _NOT_TEXT or (hidden and classes(node) & hidden):
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return _SPACES.sub(" ", "".join(parts)).strip()


def classes(element: etree._Element | None) -> set[str]:
    """The element's class names, lower-cased."""
    return set((element.get("class") or "").lower().split()) if element is not None else set()
