"""The extraction chain: per field, the source's selectors, then the page's metadata, then generic extraction.

A redesign breaks selectors, not the archive: each field falls back on its own, `extractors` records who
gave it ("profile", "metadata", "generic"), `selector_misses` names the configured selectors that matched
nothing (the caller raises one health incident from it) and `problems` names what could not be read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from lxml import etree

from spiders.extraction import dates, dom, generic, pagedates
from spiders.extraction.boilerplate import Boilerplate, filter_universal
from spiders.extraction.charset import decode_html
from spiders.extraction.images import annotate_images, images_under
from spiders.extraction.metadata import Metadata, deepen, itemprop_body, metadata_of
from spiders.items import Image
from spiders.profile import Selectors

log = logging.getLogger(__name__)
_OUTSIDE = frozenset({"aside", "nav"})
NO_SELECTORS = Selectors()  # a source without selectors: every field is found generically


@dataclass
class Extracted:
    """One article page's fields, who gave each, and what failed."""

    title: str | None = None
    body: str | None = None
    published: str | None = None
    images: list[Image] = field(default_factory=list)
    extractors: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    selector_misses: list[str] = field(default_factory=list)
    lang: str | None = None
    section: str | None = None
    modified: str | None = None
    description: str | None = None
    # The body's paragraphs before chrome was filtered out: what `Boilerplate.learn` must be given.
    blocks: list[str] = field(default_factory=list)


def extract(html: str | bytes, url: str, selectors: Selectors = NO_SELECTORS, boilerplate: Boilerplate | None = None,
            *, charset: str | None = None, tz: tzinfo | None = None, fallback: bool = True) -> Extracted:
    """The fields of an article page at `url` (text, or bytes with the HTTP header's `charset`).

    `tz` is the source's time zone for dates given without an offset (without it such a datetime is
    kept as its date); `fallback=False` skips trafilatura when the fast scorer finds no article.
    """
    try:
        return _extract(decode_html(html, charset) if isinstance(html, bytes) else (html or ""), url, selectors,
                        boilerplate, tz, fallback)
    except Exception as exc:  # hostile input must cost one item, not the crawl
        log.warning("extraction failed for %s: %r", url, exc)
        return Extracted(problems=[f"parse_error: {type(exc).__name__}"])


def _extract(text: str, url: str, selectors: Selectors, boilerplate: Boilerplate | None, tz: tzinfo | None,
             fallback: bool) -> Extracted:
    out = Extracted()
    root = dom.parse(text)
    meta = metadata_of(root, url, deep=not (selectors.title and selectors.date))
    annotate_images(root, url)
    out.title, title_el = _title(root, selectors, meta, out)
    published = _published(root, selectors, meta, title_el, url, out)
    out.published = dates.to_iso(published, tz)
    elements, paragraphs = _body(root, text, url, selectors, meta, out, fallback, title_el)
    out.blocks = paragraphs = _trim(paragraphs, out.title)
    kept = boilerplate.filter(paragraphs) if boilerplate is not None else filter_universal(paragraphs)
    out.body = "\n\n".join(kept) or None
    if out.body is None:
        out.extractors.pop("body", None)  # what was read was all chrome
    out.images = _images(elements)
    if not out.images and meta.image:
        out.images = [Image(meta.image, "")]
    out.lang, out.section, out.description = meta.lang, meta.section, meta.description
    out.modified = dates.to_iso(meta.modified, tz)
    for name, value in (("title", out.title), ("body", out.body), ("date", out.published)):
        if not value:
            out.problems.append(f"no {name}")
    return out


def _trim(paragraphs: list[str], title: str | None, edge: int = 3) -> list[str]:
    """The body without what a generic container also holds at its top or bottom: the title repeated,
    a line that is only a date (the meta line)."""
    folded = (title or "").casefold()
    last = len(paragraphs) - 1
    return [p for i, p in enumerate(paragraphs)
            if not ((i < edge or last - i < edge) and (p.casefold() == folded or
                                                      (len(p) <= 60 and dates.parse_date(p))))]


def _images(elements: list[etree._Element], levels: int = 3) -> list[Image]:
    """Images in the body, else in its article around it (a lead image above the text), never the page's."""
    found = [image for el in elements for image in images_under(el)]
    node = elements[0] if elements and not found else None
    for _ in range(levels if node is not None else 0):
        node = node.getparent()
        if node is None or dom.tag_of(node) in ("body", "html", "main"):
            break
        found = images_under(node)
        if found:
            break
    return found


def _selected(root: etree._Element, name: str, css: str, out: Extracted) -> list[etree._Element]:
    """Elements of a configured selector outside sidebars and menus (an article's fields are never
    there, a stale selector often matches a "recent news" list); a miss is recorded, an unset selector is none."""
    if not css:
        return []
    found = [el for el in dom.css(root, css) if not any(a.tag in _OUTSIDE for a in el.iterancestors())]
    if not found:
        out.selector_misses.append(name)
        out.problems.append(f"selector {name} matched nothing")
    return found


def _empty(out: Extracted, name: str, what: str) -> None:
    """A selector that matched but gave nothing usable: for the operator, as stale as one that matched nothing."""
    out.selector_misses.append(name)
    out.problems.append(f"selector {name} {what}")


def _title(root: etree._Element, selectors: Selectors, meta: Metadata,
           out: Extracted) -> tuple[str | None, etree._Element | None]:
    """(title, the element showing it): profile, then metadata, then generic."""
    for el in _selected(root, "title", selectors.title, out)[:1]:
        title = dom.text_of(el)
        if title:
            out.extractors["title"] = "profile"
            return title, el
        _empty(out, "title", "matched no text")
    deepen(meta, root)
    h1s = generic.headings(root)
    title = generic.strip_site_name(meta.title, meta.site_name, tuple(h1s)) if meta.title else None
    origin = "metadata"
    if not title:
        title, origin = generic.generic_title(root, meta.site_name), "generic"
    if title:
        out.extractors["title"] = origin
    return title, _heading_element(root, title)


def _heading_element(root: etree._Element, title: str | None) -> etree._Element | None:
    """The h1 (or h2) showing the title, to look for the date beside it."""
    if not title:
        return None
    folded = title.casefold()
    for el in root.iter("h1", "h2"):
        text = dom.text_of(el).casefold()
        if text and (text == folded or (len(text) > 15 and (text in folded or folded in text))):
            return el
    return None


def _published(root: etree._Element, selectors: Selectors, meta: Metadata, title_el: etree._Element | None,
               url: str, out: Extracted) -> date | datetime | None:
    """The publication date: profile, then metadata, then the text beside the title, then the URL."""
    shown = None
    for el in _selected(root, "date", selectors.date, out):
        shown = dom.text_of(el)
        value = (dates.parse_date(el.get("datetime") or el.get("content") or "") or dates.parse_date(shown)
                 or dates.find_date(shown))
        if value:
            out.extractors["date"] = "profile"
            return value
    if shown is not None:
        _empty(out, "date", f"gave no date: {shown[:80]}")
    if deepen(meta, root).published:
        out.extractors["date"] = "metadata"
        return meta.published
    value = pagedates.date_near(title_el) if title_el is not None else None
    value = value or pagedates.date_by_class(root) or pagedates.date_in_url(url) or pagedates.date_in_text(root)
    if value:
        out.extractors["date"] = "generic"
    return value


def _body(root: etree._Element, text: str, url: str, selectors: Selectors, meta: Metadata, out: Extracted,
          fallback: bool, title_el: etree._Element | None) -> tuple[list[etree._Element], list[str]]:
    """(containers, paragraphs) of the body: profile, then itemprop/JSON-LD articleBody, then generic."""
    for el in _selected(root, "body", selectors.body, out)[:1]:
        dom.drop(el, selectors.drop)  # the body's own noise; a date or title may sit in a dropped meta line
        paragraphs = _read(el, strip_chrome=False)
        if paragraphs:
            out.extractors["body"] = "profile"
            return [el], paragraphs
        _empty(out, "body", "matched no text")
    dom.drop(root, selectors.drop)
    marked = itemprop_body(root)
    if marked is not None:
        paragraphs = _read(marked, strip_chrome=True)
        if paragraphs:
            out.extractors["body"] = "metadata"
            return [marked], paragraphs
    elements, paragraphs = generic.generic_body(root, title_el)
    if not paragraphs and meta.body:
        out.extractors["body"] = "metadata"
        return [], [p for p in (dom.clean(line) for line in meta.body.splitlines()) if p]
    if not paragraphs and fallback:
        elements, paragraphs = [], generic.trafilatura_paragraphs(text, url)
    if paragraphs:
        out.extractors["body"] = "generic"
    return elements, paragraphs


def _read(el: etree._Element, strip_chrome: bool) -> list[str]:
    """Paragraphs of a chosen body element: never-text tags, captions and the title (h1) left out."""
    if strip_chrome:
        generic.strip_chrome(el)
    else:
        dom.strip_never_text(el)
        dom.remove([x for x in el.iter() if isinstance(x.tag, str) and x is not el and generic.is_caption(x)])
    dom.remove(list(el.iter("h1")))
    return dom.paragraphs(el)

