"""What kind of page is this (rss, listing, article, print, text), and its fields as one plain dict.

Used by `newsmon extract`; the spiders know what they fetched and call the per-page parsers directly.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from spiders.parsing import dom, urls
from spiders.parsing.article import ArticleFields, parse_article
from spiders.parsing.listing import parse_listing
from spiders.parsing.printpage import looks_like_html, parse_print
from spiders.parsing.rss import parse_rss
from spiders.profile import GENERIC, SiteProfile

KINDS = ("rss", "listing", "article", "print", "text", "unknown")
# The keys every result has, in this order; kinds add their own after them.
KEYS = ("kind", "url", "source", "lang", "section", "section_name", "title", "published", "body", "images",
        "summary", "problems")
_FEED = re.compile(r"<(?:rss|rdf:RDF|feed)\b", re.I)
_PRINT_LABEL = re.compile(r"Дата публикации\s*:", re.I)


def sniff(text: str, url: str | None = None, site: SiteProfile = GENERIC) -> str:
    """The page kind from its markup (and a print=Y in its URL)."""
    if _FEED.search(text[:3000]):
        return "rss"
    if not looks_like_html(text):
        return "text" if text.strip() else "unknown"
    sel = dom.selector(text)
    has_body = dom.first(sel, site.body) is not None
    has_meta = dom.first(sel, site.meta) is not None
    if re.search(r"[?&]print=", url or "", re.I) or (site.has_parsers and not has_meta and _PRINT_LABEL.search(text)):
        return "print"
    if not has_body and any(sel.css(q) for q in site.listing_cards):
        return "listing"
    if has_body or dom.first(sel, site.news_block[:1]) is not None:
        return "article"
    return "unknown" if site.has_parsers else "article"


def recognise(text: str, url: str | None) -> SiteProfile:
    """A page of no configured source: the built-in profile whose own markup it carries, else generic."""
    from spiders.sites import PROFILES

    html = looks_like_html(text)
    for profile in PROFILES.values():
        if not profile.has_parsers:
            continue
        if html and sniff(text, url, profile) in ("article", "print", "listing"):
            return profile
        if not html and any(profile.print_date_label.match(line) for line in text.splitlines()[:200]):
            return profile
    return GENERIC


def _base(kind: str, url: str | None, source: str | None) -> dict[str, Any]:
    result: dict[str, Any] = dict.fromkeys(KEYS)
    result.update(kind=kind, url=url, source=source, images=[], problems=[])
    return result


def _article_result(result: dict[str, Any], fields: ArticleFields, url: str | None,
                    site: SiteProfile) -> dict[str, Any]:
    result.update(
        url=urls.canonical(url), section=fields.section, section_name=fields.section_name, title=fields.title,
        published=fields.published, body=fields.body, images=[dataclasses.asdict(i) for i in fields.images],
        problems=list(fields.problems), date_text=fields.date_text, print_url=fields.print_url,
    )
    result["lang"] = urls.lang_of(url, (fields.title or "") + " " + (fields.body or "")[:2000], site)
    return result


def extract(content: str | bytes, url: str | None = None, content_type: str | None = None, *,
            site: SiteProfile = GENERIC, source: str | None = None, selectors: Any = None) -> dict[str, Any]:
    """Sniff the page and return its fields, read with the source's profile: KEYS first, then per kind
    `cards`/`entries`/`print_url`..."""
    text = dom.decode(content, content_type) if isinstance(content, bytes | bytearray) else (content or "")
    if not isinstance(text, str):
        text = ""
    if not site.has_parsers and not selectors:
        site = recognise(text, url)
    kind = sniff(text, url, site)
    result = _base(kind, url, source)
    if kind == "rss":
        entries = parse_rss(content if isinstance(content, bytes | bytearray) else text, url, site)
        result.update(lang=urls.lang_of(url, " ".join(e.title for e in entries[:5]), site),
                      entries=[dataclasses.asdict(e) for e in entries])
        result["problems"] = [] if entries else ["no_entries"]
    elif kind == "listing":
        page = parse_listing(text, url or "", site)
        result.update(lang=urls.lang_of(url, " ".join(c.title for c in page.cards[:5]), site),
                      cards=[dataclasses.asdict(c) for c in page.cards], next_url=page.next_url,
                      page_urls=page.page_urls)
        result["problems"] = [] if page.cards else ["no_cards"]
    elif kind in ("print", "text"):
        _article_result(result, parse_print(text, url, site), url, site)
    elif site.has_parsers:
        _article_result(result, parse_article(text, url, site), url, site)
        if kind == "unknown":
            result["problems"].insert(0, "unknown_page")
    else:
        _generic_result(result, text, url, selectors)
    return result


def _generic_result(result: dict[str, Any], text: str, url: str | None, selectors: Any) -> None:
    """An article of a source without a profile: the extraction chain, with the extractor of each field."""
    from spiders.extraction.chain import extract as chain_extract
    from spiders.profile import Selectors

    found = chain_extract(text, url or "", selectors or Selectors())
    result.update(url=urls.canonical(url), title=found.title, published=found.published, body=found.body,
                  images=[{"url": i.url, "caption": i.caption} for i in found.images],
                  problems=list(found.problems) + [f"selector {m} matched nothing" for m in found.selector_misses],
                  extractors=dict(found.extractors))
    result["lang"] = found.lang or urls.lang_of(url, (found.title or "") + " " + (found.body or "")[:2000])
