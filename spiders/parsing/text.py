"""An HTML fragment -> its text paragraphs, in order, with the page's noise removed.

Only the article fragment (a few KB) comes here: BeautifulSoup is thorough but slow, so callers select
the fragment with lxml/parsel first. A paragraph is the inline text between two block boundaries, so a
`<blockquote><p>` gives one paragraph, each `<li>` its own, and nothing is read twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
    "section", "article", "header", "footer", "aside", "main", "figure", "table", "thead", "tbody", "tr",
    "td", "th", "pre", "address", "hr", "center", "body", "html",
})
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # two <br> in a row split a paragraph; one is a space
_BREAK = "\n"


def clean(text: str | None) -> str:
    """One line of text: NBSP and every run of whitespace folded to one space, invisible characters gone."""
    if not text:
        return ""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def soup_of(fragment: str) -> BeautifulSoup:
    """BeautifulSoup with the lxml parser (the fast one) over a small fragment."""
    return BeautifulSoup(fragment, "lxml")


def drop(soup: Tag, selectors: Iterable[str] = (), link_texts: Iterable[str] = ()) -> None:
    """Remove noise in place: every element matching a selector, every link whose whole text is a label."""
    selector = ", ".join(selectors)
    if selector:
        for element in soup.select(selector):
            element.decompose()
    labels = {clean(t).casefold() for t in link_texts}
    if labels:
        for link in soup.find_all("a"):
            if clean(link.get_text()).casefold() in labels:
                link.decompose()


def paragraphs(root: Tag) -> list[str]:
    """The text paragraphs under root, in document order (iterative: hostile nesting cannot blow the stack)."""
    found: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        if pieces:
            for part in _PARAGRAPH_BREAK.split("".join(pieces)):
                text = clean(part)
                if text:
                    found.append(text)
            pieces.clear()

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, _SKIP_STRINGS):
                pieces.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = (node.name or "").lower()
        if name == "br":
            pieces.append(_BREAK)
            continue
        is_block = name in BLOCK_TAGS
        if is_block:
            flush()
        if leaving:
            continue
        if is_block:
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return found


def fragment_paragraphs(fragment: str, selectors: Iterable[str] = (), link_texts: Iterable[str] = ()) -> list[str]:
    """Paragraphs of an HTML fragment after dropping noise (see `drop`)."""
    if not fragment or not isinstance(fragment, str):
        return []
    soup = soup_of(fragment)
    drop(soup, selectors, link_texts)
    return paragraphs(soup)


def join(paras: Iterable[str]) -> str | None:
    """The body form: paragraphs separated by one blank line; None when there is no text at all."""
    text = "\n\n".join(p for p in paras if p)
    return text or None
