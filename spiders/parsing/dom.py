"""Fast page access with parsel (lxml, what Scrapy uses): build a selector safely, pick the first match."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import parsel
from lxml import etree
from parsel.csstranslator import HTMLTranslator
from w3lib.encoding import html_to_unicode

from spiders.parsing.text import clean


def decode(content: str | bytes | None, content_type: str | None = None) -> str:
    """Text of a page: a BOM, then a <meta>/XML charset, then a guess (w3lib, as Scrapy decodes responses)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    _, text = html_to_unicode(content_type, bytes(content))
    return text


def selector(html: str | bytes | parsel.Selector | None) -> parsel.Selector:
    """A parsel Selector over any input (an existing one is reused); garbage gives an empty document."""
    if isinstance(html, parsel.Selector):
        return html
    text = decode(html).replace("\x00", "")
    try:
        return parsel.Selector(text=text or "<html></html>", type="html")
    except Exception:  # lxml refuses some inputs outright (e.g. pathological sizes)
        return parsel.Selector(text="<html></html>", type="html")


def start_tag(text: str, start: re.Pattern[str], mark: str = "", search: bool = True) -> re.Match[str] | None:
    """The first opening tag `start` matches. With `mark`, a literal every such tag holds (a class name),
    only the tags around the mark's occurrences are tried: a regex search tries every tag of a 150 KB page
    (~0.35 ms), finding a literal costs a fifth of that. A page where none of them matches is searched,
    unless `search` is false."""
    at = text.find(mark) if mark else -1
    while at != -1:
        match = start.match(text, max(text.rfind("<", 0, at), 0))
        if match is not None and match.end() >= at:
            return match
        at = text.find(mark, at + len(mark))
    return start.search(text) if search or not mark else None


def region(text: str, start: re.Pattern[str], chunk: int = 512, mark: str = "",
           search: bool = True) -> parsel.Selector | None:
    """Just the element whose opening tag `start` finds (see start_tag for `mark` and `search`), parsed up to
    its own end tag, skipping the page around it.

    A real page is ~150 KB of chrome around a few KB of article: this parses ~5% of it. None when the
    tag is absent or lxml refuses the text (callers then parse the whole page).
    """
    match = start_tag(text, start, mark, search) if isinstance(text, str) else None
    if match is None:
        return None
    try:
        parser = etree.HTMLPullParser(events=("start", "end"))
        element = None
        for at in range(match.start(), len(text), chunk):
            parser.feed(text[at:at + chunk])
            for event, node in parser.read_events():
                if element is None and event == "start" and node.tag not in ("html", "body"):
                    element = node
                elif event == "end" and node is element:
                    return parsel.Selector(root=element, type="html")
        parser.close()
        return parsel.Selector(root=element, type="html") if element is not None else None
    except (etree.LxmlError, ValueError):
        return None


@functools.lru_cache(maxsize=512)
def _xpath(css: str) -> tuple[str, etree.XPath] | None:
    """A CSS selector as parsel translates it, compiled once; None for pseudo-elements (parsel handles those)."""
    if "::" in css:
        return None
    query = HTMLTranslator().css_to_xpath(css)
    return query, etree.XPath(query, smart_strings=False)


def first(sel: parsel.Selector | parsel.SelectorList, css: str | Iterable[str]) -> parsel.Selector | None:
    """The first element matching the first selector (in order of preference) that matches anything.

    What `sel.css(query)[0]` gives, without wrapping every match in a Selector (a page's `img` or `a`
    can match dozens)."""
    selectors = (sel,) if isinstance(sel, parsel.Selector) else tuple(sel)
    for query in (css,) if isinstance(css, str) else css:
        compiled = _xpath(query)
        if compiled is None:
            found = sel.css(query)
            if found:
                return found[0]
            continue
        expr, xpath = compiled
        for one in selectors:
            if one.type != "html" or not hasattr(one.root, "xpath"):
                found = one.css(query)
                if found:
                    return found[0]
                continue
            matches = xpath(one.root)
            if matches:
                return one.__class__(root=matches[0], _expr=expr, type="html")
    return None


_TEXT_QUERY = ".//text()[not(ancestor::script) and not(ancestor::style)]"
_TEXT = etree.XPath(_TEXT_QUERY, smart_strings=False)


def text_of(sel: parsel.Selector | None, sep: str = "") -> str:
    """All text under an element, whitespace folded; "" for None. sep=" " keeps inline pieces apart."""
    if sel is None:
        return ""
    if sel.type != "html" or not hasattr(sel.root, "xpath"):
        return clean(sep.join(sel.xpath(_TEXT_QUERY).getall()))
    return clean(sep.join(_TEXT(sel.root)))  # the strings themselves: no Selector per text node
