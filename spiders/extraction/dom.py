"""lxml trees for extraction: parse safely, select by CSS, drop elements, read text paragraphs.

One parse per page (lxml, ~5 ms for 150 KB); everything else walks that tree. A paragraph is the inline
text between two block boundaries, as `spiders/parsing/text.py` reads it: each p, li, h2-h4 and
blockquote is its own paragraph and nothing is read twice.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable

from cssselect import HTMLTranslator
from cssselect.parser import SelectorError
from lxml import etree

BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
    "section", "article", "header", "footer", "aside", "main", "figure", "table", "thead", "tbody", "tr",
    "td", "th", "pre", "address", "hr", "center", "body", "html", "form", "nav", "details", "summary"})
# Never article text, whoever selected the element around them.
NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
              "form", "button", "select", "nav", "aside", "footer", "figcaption", "input", "textarea",
              "video", "audio", "map")
# Plain lxml elements (lxml.html's element classes cost a Python lookup per node visited); one parser per
# thread, as lxml parsers must not be shared between threads.
_LOCAL = threading.local()
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # two <br> in a row split a paragraph; one is a space


def clean(text: str | None) -> str:
    """One line of text: every run of whitespace (NBSP too) folded to one space, invisible characters gone."""
    if not text:
        return ""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def _parser() -> etree.HTMLParser:
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = etree.HTMLParser(no_network=True)
    return parser


def parse(text: str) -> etree._Element:
    """The page as an lxml tree; garbage or an empty page gives an empty <html> (never an exception)."""
    text = (text or "").replace("\x00", "")
    if text.startswith("<?xml"):
        text = re.sub(r"^<\?xml[^>]*>", "", text)
    try:
        root = etree.fromstring(text, _parser()) if text.strip() else None
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    return root if root is not None else etree.fromstring("<html><body></body></html>", _parser())


# cssselect's exact class test, run on every element with a class; a plain substring test first is ~5x cheaper
# and leaves the exact test to the few elements that pass it (same result).
_CLASS_TEST = re.compile(r"contains\(concat\(' ', normalize-space\(@class\), ' '\), ' ([^' ]+) '\)")


@functools.lru_cache(maxsize=512)
def _xpath(css: str) -> etree.XPath | None:
    try:
        xpath = HTMLTranslator().css_to_xpath(css)
        return etree.XPath(_CLASS_TEST.sub(r"(contains(@class, '\1') and \g<0>)", xpath))
    except (SelectorError, etree.XPathSyntaxError, ValueError):
        return None


def css(root: etree._Element, selector: str) -> list[etree._Element]:
    """Elements matching a CSS selector (or a comma list); an invalid selector matches nothing."""
    compiled = _xpath(selector.strip()) if selector and selector.strip() else None
    if compiled is None:
        return []
    try:
        return [el for el in compiled(root) if isinstance(el, etree._Element)]
    except etree.XPathEvalError:
        return []


def valid_css(selector: str) -> bool:
    """Whether a CSS selector compiles (a config check can name the bad one)."""
    return _xpath(selector.strip()) is not None


def remove(elements: Iterable[etree._Element]) -> None:
    """Remove elements from their tree, keeping the text that follows each (its tail)."""
    for el in list(elements):
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail and tail.strip():
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)


def drop(root: etree._Element, selectors: Iterable[str]) -> None:
    """Remove every element matching any selector."""
    for selector in selectors:
        remove(css(root, selector))


def strip_never_text(root: etree._Element) -> None:
    """Remove scripts, styles, navigation, asides, footers, forms and captions under root, and comments."""
    remove(root.iter(etree.Comment, etree.ProcessingInstruction))
    remove([el for el in root.iter(*NEVER_TEXT) if el is not root])


def tag_of(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def text_of(el: etree._Element | None) -> str:
    """All text under an element (scripts and styles excluded), whitespace folded; "" for None."""
    if el is None:
        return ""
    return clean(" ".join(el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")))


def paragraphs(root: etree._Element) -> list[str]:
    """The text paragraphs under root in document order (iterative: deep nesting is safe)."""
    found: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        if pieces:
            for part in _PARAGRAPH_BREAK.split("".join(pieces)):
                text = clean(part)
                if text:
                    found.append(text)
            pieces.clear()

    stack: list[tuple[etree._Element | str, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, str):
            pieces.append(node)
            continue
        name = tag_of(node)
        if leaving:
            if name in BLOCK_TAGS:
                flush()
            continue
        if not name or name in ("script", "style", "noscript", "template"):
            continue
        if name == "br":
            pieces.append("\n")
            continue
        if name in BLOCK_TAGS:
            flush()
        stack.append((node, True))
        children = []
        if node.text:
            children.append(node.text)
        for child in node:
            children.append(child)
            if child.tail:
                children.append(child.tail)
        stack.extend((child, False) for child in reversed(children))
    flush()
    return found
