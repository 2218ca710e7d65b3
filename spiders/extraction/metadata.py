"""What a page says about itself: JSON-LD, OpenGraph, itemprop, `<time datetime>`, `<html lang>`.

CMSs emit these for search engines and social networks (WordPress + Yoast, Drupal's metatag, Bitrix,
Joomla), and they survive redesigns far better than the visible markup. JSON-LD may be a list, a
`@graph`, or broken (trailing commas, raw newlines, HTML comments): each is tolerated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin

from lxml import etree

from spiders.extraction import dates, dom

ARTICLE_TYPES = frozenset({"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                           "report", "scholarlyarticle", "techarticle", "webpage"})
_TYPE_RANK = {"webpage": 1}  # a WebPage node only when no article node exists
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_LD_FIELD = re.compile(r'"(headline|datePublished|dateModified|articleSection|inLanguage)"\s*:\s*"([^"]*)"')


@dataclass
class Metadata:
    """A page's own statements about its article; None where the page says nothing."""

    title: str | None = None
    published: date | datetime | None = None
    modified: date | datetime | None = None
    section: str | None = None
    lang: str | None = None
    description: str | None = None
    image: str | None = None
    site_name: str | None = None
    body: str | None = None
    title_from: str | None = None  # "json-ld", "og", "itemprop"
    published_from: str | None = None  # "json-ld", "og", "meta", "itemprop", "time"
    deep: bool = False  # whether the body's markup (itemprop, <time>) was read too


def page_metadata(html: str, url: str) -> Metadata:
    """The metadata of a page's text."""
    return metadata_of(dom.parse(html), url)


def metadata_of(root: etree._Element, url: str, deep: bool = True) -> Metadata:
    """The metadata of a parsed page; JSON-LD first, then OpenGraph/meta, then (deep) itemprop and `<time>`.

    `deep=False` reads only `<head>`-like sources (cheap); `deepen` adds the body's markup when a
    field turns out to need it, so a source whose selectors all match never walks the page for it.
    """
    meta = Metadata()
    node = _article_node(root)
    if node:
        _from_json_ld(meta, node, url)
    _from_meta_tags(meta, root, url)
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    meta.lang = meta.lang or _lang(lang)
    if deep:
        deepen(meta, root)
    return meta


def deepen(meta: Metadata, root: etree._Element) -> Metadata:
    """Add what the page body's markup says (itemprop, RDFa, `<time>`) to metadata read with deep=False."""
    if meta.deep:
        return meta
    meta.deep = True
    _from_itemprop(meta, root)
    if meta.published is None:
        meta.published = _time_element(root)
        meta.published_from = "time" if meta.published else None
    return meta


def _lang(value: str | None) -> str | None:
    """"ru-RU", "ru_RU", "RU" -> "ru"."""
    value = (value or "").strip().replace("_", "-").split("-")[0].lower()
    return value if value.isalpha() and 2 <= len(value) <= 3 else None


def load_json(text: str) -> object | None:
    """JSON of a `<script type="application/ld+json">`, tolerating comments, CDATA and trailing commas."""
    text = text.strip()
    for junk in ("<!--", "-->", "<![CDATA[", "]]>", "//<![CDATA[", "//]]>"):
        text = text.replace(junk, "")
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    fields = {key: value for key, value in reversed(_LD_FIELD.findall(text))}
    return {"@type": "Article", **fields} if fields.get("headline") else None


def _nodes(data: object, depth: int = 0):
    """Every JSON-LD object in a document: lists, @graph and nested objects (mainEntity, etc.)."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key, value in data.items():
            if key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement") or isinstance(value, list):
                yield from _nodes(value, depth + 1)


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].lower() for k in kinds if k}


def _article_node(root: etree._Element) -> dict | None:
    """The best article-like JSON-LD object of the page (an Article beats a WebPage)."""
    best, best_rank = None, 99
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        for node in _nodes(load_json(script.text)):
            kinds = _types(node) & ARTICLE_TYPES
            if not kinds:
                continue
            rank = min(_TYPE_RANK.get(k, 0) for k in kinds)
            if rank < best_rank:
                best, best_rank = node, rank
    return best


def _text(value: object) -> str | None:
    """A JSON-LD value as one line: a string, the first of a list, or an object's name/url."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("@id")
    return dom.clean(str(value)) or None if value not in (None, "") else None


def _date(value: object) -> date | datetime | None:
    text = _text(value)
    return dates.parse_date(text) if text else None


def _from_json_ld(meta: Metadata, node: dict, url: str) -> None:
    meta.title = _text(node.get("headline")) or _text(node.get("name"))
    meta.title_from = "json-ld" if meta.title else None
    meta.published = _date(node.get("datePublished") or node.get("dateCreated"))
    meta.published_from = "json-ld" if meta.published else None
    meta.modified = _date(node.get("dateModified"))
    meta.section = _text(node.get("articleSection"))
    meta.lang = _lang(_text(node.get("inLanguage")))
    meta.description = _text(node.get("description"))
    image = _text(node.get("image") or node.get("thumbnailUrl"))
    meta.image = urljoin(url, image) if image else None
    body = node.get("articleBody")
    meta.body = body.strip() if isinstance(body, str) and body.strip() else None


def _meta_content(root: etree._Element) -> dict[str, str]:
    """`<meta property|name|itemprop=... content=...>`, the first of each key, keys lowercased."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        value = el.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _from_meta_tags(meta: Metadata, root: etree._Element, url: str) -> None:
    tags = _meta_content(root)
    if not meta.title and tags.get("og:title"):
        meta.title, meta.title_from = dom.clean(tags["og:title"]), "og"
    if meta.published is None:
        for key, origin in (("article:published_time", "og"), ("og:article:published_time", "og"),
                            ("datepublished", "itemprop"), ("date", "meta"), ("pubdate", "meta"),
                            ("dc.date", "meta"), ("dc.date.issued", "meta"), ("dcterms.created", "meta"),
                            ("publish-date", "meta"), ("sailthru.date", "meta")):
            value = dates.parse_date(tags.get(key, ""))
            if value:
                meta.published, meta.published_from = value, origin
                break
    meta.modified = meta.modified or dates.parse_date(tags.get("article:modified_time", "")) \
        or dates.parse_date(tags.get("og:updated_time", ""))
    meta.section = meta.section or (dom.clean(tags.get("article:section")) or None)
    meta.lang = meta.lang or _lang(tags.get("og:locale"))
    meta.description = meta.description or tags.get("og:description") or tags.get("description")
    meta.image = meta.image or (urljoin(url, tags["og:image"]) if tags.get("og:image") else None)
    meta.site_name = dom.clean(tags.get("og:site_name")) or None


def _marked(root: etree._Element) -> list[etree._Element]:
    """Elements with an itemprop or RDFa property, in page order (one pass: `//*[@x]` walks every node)."""
    return root.xpath("//*[@itemprop or @property][not(self::meta)]")


def _from_itemprop(meta: Metadata, root: etree._Element) -> None:
    marked = _marked(root) if not meta.title or meta.published is None else []
    if not meta.title:
        for el in marked:
            if el.get("itemprop") == "headline":
                meta.title = dom.text_of(el) or None
                meta.title_from = "itemprop" if meta.title else None
                break
    if meta.published is None:
        for el in marked:
            props = f" {el.get('itemprop') or ''} {el.get('property') or ''} "
            if any(p in props for p in (" datePublished ", " dateCreated ", " dc:date ", " dc:created ")):
                value = dates.parse_date(el.get("datetime") or el.get("content") or dom.text_of(el))
                if value:
                    meta.published, meta.published_from = value, "itemprop"
                    break


def _time_element(root: etree._Element) -> date | datetime | None:
    """A `<time datetime>` inside the article (or marked pubdate), never one from a sidebar list."""
    for el in root.iter("time"):
        if not el.get("datetime"):
            continue
        ancestors = {a.tag for a in el.iterancestors()}
        if ancestors & {"aside", "nav", "footer", "li"} or _in_a_list(el):
            continue
        classes = " ".join(a.get("class") or "" for a in el.iterancestors())
        if "article" in ancestors or el.get("pubdate") is not None or "entry-meta" in classes or "post-meta" in classes:
            value = dates.parse_date(el.get("datetime"))
            if value:
                return value
    return None


def _in_a_list(el: etree._Element) -> bool:
    """Whether an element sits in one of several alike blocks (a teaser among "more news" cards)."""
    for ancestor in el.iterancestors():
        parent = ancestor.getparent()
        if parent is None or ancestor.tag in ("body", "html"):
            return False
        key = (ancestor.tag, ancestor.get("class"))
        if sum(1 for sib in parent if (sib.tag, sib.get("class")) == key) >= 3:
            return True
    return False


def itemprop_body(root: etree._Element) -> etree._Element | None:
    """The element marked `itemprop="articleBody"`, if any."""
    found = root.xpath("//*[@itemprop='articleBody'][not(self::meta)]")
    return found[0] if found else None
