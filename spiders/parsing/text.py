"""An HTML fragment -> its text paragraphs, in order, with the page's noise removed.

Only the article fragment (a few KB) comes here: BeautifulSoup is thorough but slow, so callers select
the fragment with lxml/parsel first (bs4 is imported on first use: a crawl process whose article pages
are all read in worker processes, spiders.parsing.pool, does not load it). A paragraph is the inline text between two block boundaries, so a
`<blockquote><p>` gives one paragraph, each `<li>` its own, and nothing is read twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
    "section", "article", "header", "footer", "aside", "main", "figure", "table", "thead", "tbody", "tr",
    "td", "th", "pre", "address", "hr", "center", "body", "html",
})
# Invisible characters and C0 controls (XML, feeds and email headers refuse them); \t and \n are whitespace.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # two <br> in a row split a paragraph; one is a space
_BREAK = "\n"
_SIMPLE = re.compile(r"(?P<tag>[a-z][a-z0-9]*)?(?:\.(?P<cls>[\w-]+))?(?:#(?P<id>[\w-]+))?")


def clean(text: str | None) -> str:
    """One line of text: NBSP and every run of whitespace folded to one space, invisible characters gone."""
    if not text:
        return ""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def soup_of(fragment: str) -> BeautifulSoup:
    """BeautifulSoup with the lxml parser (the fast one) over a small fragment."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(fragment, "lxml")


class Noise:
    """Simple selectors (`tag`, `.class`, `tag.class`, `#id`) matched by hand: soupsieve costs ms per page."""

    def __init__(self, selectors: Iterable[str] = (), link_texts: Iterable[str] = ()) -> None:
        self.rules: list[tuple[str | None, str | None, str | None]] = []
        for selector in selectors:
            match = _SIMPLE.fullmatch(selector.strip())
            if not match:
                raise ValueError(f"not a simple selector: {selector!r}")
            self.rules.append((match["tag"] or None, match["cls"] or None, match["id"] or None))
        self.link_texts = frozenset(clean(t).casefold() for t in link_texts)
        # Rules of one part (`tag`, `.class`, `#id`) as sets, looked up once per element; the rest in a list.
        self.tags = frozenset(t for t, c, i in self.rules if t and not c and not i)
        self.classes = frozenset(c for t, c, i in self.rules if c and not t and not i)
        self.ids = frozenset(i for t, c, i in self.rules if i and not t and not c)
        self.compound = [r for r in self.rules if sum(part is not None for part in r) != 1]

    def __call__(self, tag: Tag) -> bool:
        """Whether this element (and all it holds) is noise."""
        if self.matches(tag.name, tag.get("class") or (), tag.get("id")):
            return True
        return tag.name == "a" and bool(self.link_texts) and clean(tag.get_text()).casefold() in self.link_texts

    def matches(self, name: str, classes: Iterable[str] = (), ident: str | None = None) -> bool:
        """Whether an element of this name, classes and id is noise by a selector."""
        if name in self.tags or (ident is not None and ident in self.ids):
            return True
        if classes and not self.classes.isdisjoint(classes):
            return True
        return any((rule_tag is None or rule_tag == name) and (rule_cls is None or rule_cls in classes)
                   and (rule_id is None or rule_id == ident) for rule_tag, rule_cls, rule_id in self.compound)


def paragraphs(root: Tag, noise: Noise | None = None) -> list[str]:
    """The text paragraphs under root in document order, skipping noise (iterative: deep nesting is safe)."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    skip_strings = (Comment, Declaration, Doctype, ProcessingInstruction)
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
            if not isinstance(node, skip_strings):
                pieces.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = (node.name or "").lower()
        if not leaving and noise is not None and node is not root and noise(node):
            continue
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


def fragment_paragraphs(fragment: str, noise: Noise | None = None) -> list[str]:
    """Paragraphs of an HTML fragment, noise left out."""
    if not fragment or not isinstance(fragment, str):
        return []
    return paragraphs(soup_of(fragment), noise)


def join(paras: Iterable[str]) -> str | None:
    """The body form: paragraphs separated by one blank line; None when there is no text at all."""
    text = "\n\n".join(p for p in paras if p)
    return text or None
