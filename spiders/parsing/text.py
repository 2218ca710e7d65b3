"""An HTML fragment -> its text paragraphs, in order, with the page's noise removed.

Callers select the article fragment with lxml/parsel and hand over that element: its tree is walked as
it is, never serialised and parsed again. A paragraph is the inline text between two block boundaries,
so a `<blockquote><p>` gives one paragraph, each `<li>` its own, and nothing is read twice. Text inside
scripts and styles is text here too: a profile's noise selectors are what leave them out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from io import StringIO

from lxml import etree

BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
    "section", "article", "header", "footer", "aside", "main", "figure", "table", "thead", "tbody", "tr",
    "td", "th", "pre", "address", "hr", "center", "body", "html",
})
# Elements whose text a link's own text leaves out (as BeautifulSoup's get_text() did).
_HIDDEN_TEXT = frozenset({"script", "style", "template", "rt", "rp"})
_FEED_CHUNK = 512
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


def fragment_root(fragment: str) -> etree._Element | None:
    """An HTML fragment parsed by lxml (inside the <html><body> lxml adds); None for nothing parseable."""
    parser = etree.HTMLParser(recover=True)
    markup = StringIO(fragment[1:] if fragment.startswith("\ufeff") else fragment)
    try:
        while data := markup.read(_FEED_CHUNK):
            parser.feed(data)
        return parser.close()
    except (etree.LxmlError, ValueError):
        return None


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

    def __call__(self, element: etree._Element, name: str) -> bool:
        """Whether this element (named `name`, lower case) and all it holds is noise."""
        classes = (element.get("class") or "").split()
        ident = element.get("id")
        if self.matches(name, classes, ident):
            return True
        return name == "a" and bool(self.link_texts) and clean(link_text(element)).casefold() in self.link_texts

    def matches(self, name: str, classes: Iterable[str] = (), ident: str | None = None) -> bool:
        if name in self.tags or (ident is not None and ident in self.ids):
            return True
        if classes and not self.classes.isdisjoint(classes):
            return True
        return any((rule_tag is None or rule_tag == name) and (rule_cls is None or rule_cls in classes)
                   and (rule_id is None or rule_id == ident) for rule_tag, rule_cls, rule_id in self.compound)


def _name(node: etree._Element) -> str | None:
    """An element's name in lower case; None for a comment or processing instruction."""
    tag = node.tag
    return tag.lower() if isinstance(tag, str) else None


def link_text(element: etree._Element) -> str:
    """The text a reader sees in an element: comments, scripts, styles and templates left out."""
    pieces: list[str] = []
    stack: list[tuple[etree._Element | str, bool]] = [(element, False)]
    while stack:
        node, hidden = stack.pop()
        if isinstance(node, str):
            pieces.append(node)
            continue
        name = _name(node)
        if name is None:
            continue
        hidden = hidden or name in _HIDDEN_TEXT
        children: list[tuple[etree._Element | str, bool]] = []
        if node.text and not hidden:
            children.append((node.text, hidden))
        for child in node:
            children.append((child, hidden))
            if child.tail and not hidden:
                children.append((child.tail, hidden))
        stack.extend(reversed(children))
    return "".join(pieces)


def paragraphs(root: etree._Element, noise: Noise | None = None) -> list[str]:
    """The text paragraphs of `root` in document order, skipping noise (root included; iterative: deep
    nesting is safe). Comments and processing instructions are not text; the text after them is."""
    found: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        if pieces:
            for part in _PARAGRAPH_BREAK.split("".join(pieces)):
                text = clean(part)
                if text:
                    found.append(text)
            pieces.clear()

    stack: list[etree._Element | str | tuple[str]] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            pieces.append(node)
            continue
        if isinstance(node, tuple):  # leaving a block
            flush()
            continue
        name = _name(node)
        if name is None or (noise is not None and noise(node, name)):
            continue
        if name == "br":
            pieces.append(_BREAK)
            continue
        is_block = name in BLOCK_TAGS
        if is_block:
            flush()
            stack.append((name,))
        children: list[etree._Element | str] = [node.text] if node.text else []
        for child in node:
            children.append(child)
            if child.tail:
                children.append(child.tail)
        stack.extend(reversed(children))
    flush()
    return found


def element_paragraphs(element: etree._Element, noise: Noise | None = None) -> list[str]:
    """Paragraphs of an element of a page, as if it stood alone in a document of its own."""
    if noise is not None and (noise.matches("html") or noise.matches("body")):
        return []
    return paragraphs(element, noise)


def fragment_paragraphs(fragment: str, noise: Noise | None = None) -> list[str]:
    """Paragraphs of an HTML fragment (text), noise left out."""
    if not fragment or not isinstance(fragment, str):
        return []
    root = fragment_root(fragment)
    return [] if root is None else paragraphs(root, noise)


def join(paras: Iterable[str]) -> str | None:
    """The body form: paragraphs separated by one blank line; None when there is no text at all."""
    text = "\n\n".join(p for p in paras if p)
    return text or None
