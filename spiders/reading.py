"""Reading a source's pages field by field: the profile's parsers first, then the generic chain.

Per article field, in order: the profile's own parsers or the source's selectors (`profile`) ->
structured metadata on the page (`metadata`) -> generic content extraction (`generic`) -> for dates,
the feed (`feed`) or the listing card (`listing`, in the spider). Each field remembers which
extractor gave it; a profile or selector that stopped matching is a counted fallback, never a drop.
Learned per-source boilerplate (`spiders.extraction.boilerplate`) keeps chrome out of every body.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from scrapy.http import Response

from spiders.extraction.charset import header_charset
from spiders.items import Image
from spiders.parsing import dates
from spiders.parsing.article import ArticleFields, parse_article
from spiders.parsing.listing import Card, ListingPage, parse_listing
from spiders.parsing.printpage import parse_print
from spiders.parsing.rss import RssEntry, parse_rss
from spiders.source import Source

log = logging.getLogger(__name__)
FIELDS = ("title", "body", "date")


@dataclass
class ReadArticle:
    """An article's fields with the extractor of each, the fields that fell back and the selectors that missed."""

    title: str | None = None
    body: str | None = None
    published: str | None = None
    lang: str | None = None
    section: str | None = None
    section_name: str | None = None
    images: list[Image] = field(default_factory=list)
    print_url: str | None = None
    extractors: dict[str, str] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    selector_misses: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Reader:
    """Per-crawl reading state of one source: its learned boilerplate (loaded at start, saved at close)."""

    source: Source
    boilerplate: Any = None
    learned_pages: int = 0

    @classmethod
    def open(cls, db: Any, source: Source) -> Reader:
        from spiders.extraction.boilerplate import Boilerplate
        from storage.boilerplate import load_model

        model = load_model(db, source.name)
        return cls(source, Boilerplate.from_dict(model) if model else Boilerplate())

    def save(self, db: Any) -> None:
        from storage.boilerplate import save_model

        if self.boilerplate is not None and self.learned_pages:
            save_model(db, self.source.name, self.boilerplate.to_dict())


def _header_charset(response: Response) -> str | None:
    return header_charset(response.headers.get(b"Content-Type"))


def text_of(response: Response) -> str:
    """The page as text: the header's charset, else the page's own, else a decision that knows Cyrillic
    code pages (windows-1251, KOI8-R)."""
    from spiders.extraction.charset import decode_html

    return decode_html(response.body, _header_charset(response))


def feed_entries(response: Response, source: Source) -> list[RssEntry]:
    """A feed's entries: RSS 2.0 and 1.0 by the RSS parser; anything else (Atom) by the generic one."""
    entries = parse_rss(response.body, response.url, source.profile)
    if entries:
        return entries
    from spiders.discovery.feeds import parse_feed

    charset = _header_charset(response)
    entries = parse_feed(response.body, response.url, charset, dates.zone(source.profile.timezone))
    return [RssEntry(url=e.url, title=e.title, published=e.published, section_name=None, summary=e.summary,
                     image=None, section=None) for e in entries]


def listing(response: Response, source: Source, reader: Reader | None = None,
            seen: Collection[str] = ()) -> ListingPage:
    """Cards, next page and (first page) the autodiscovered feed of one listing page; `seen`: article URLs
    of earlier listing pages (a "recent news" block repeating them is not the list)."""
    site = source.profile
    if site.has_parsers:
        page = parse_listing(response.text, response.url, site)
        if page.cards:
            return page
        log.warning("%s: the profile found no cards on %s; reading it generically", source.name, response.url)
    return _generic_listing(text_of(response), response.url, source, seen)


def _generic_listing(html: str, url: str, source: Source, seen: Collection[str]) -> ListingPage:
    from spiders.discovery.feeds import autodiscover
    from spiders.discovery.links import article_links
    from spiders.discovery.pager import next_page

    links = article_links(html, url, source.article_pattern, base_url=source.base_url, exclude=seen)
    cards = []
    for link in links:
        if not source.is_article(link.url):
            continue
        parsed = dates.parse_date(link.date_text or "") or dates.find_date(link.date_text or "")
        cards.append(Card(url=link.url, title=link.title,
                          published=dates.to_iso(parsed, source.profile.timezone)))
    page = ListingPage(cards=cards, next_url=next_page(html, url, source.selectors.next_page))
    feeds = autodiscover(html, url) if source.autodiscover_feed else []
    page.feed_url = feeds[0] if feeds else None
    return page


def article(response: Response, url: str, source: Source, reader: Reader | None = None,
            fields: ArticleFields | None = None) -> ReadArticle:
    """Every field of an article page, each from the first extractor that gives it; `fields`: what the
    profile's parser gave for the page already (in a worker process, spiders.parsing.pool)."""
    site = source.profile
    read = ReadArticle()
    if site.has_parsers:
        fields = fields or parse_article(response.text, url, site)
        read.title, read.body, read.published = fields.title, fields.body, fields.published
        read.section, read.section_name, read.images = fields.section, fields.section_name, fields.images
        read.print_url = fields.print_url
        read.extractors = {name: "profile" for name, value in
                           (("title", read.title), ("body", read.body), ("date", read.published)) if value}
        read.selector_misses = [name for name in ("title", "body") if name not in read.extractors]
        if all(name in read.extractors for name in ("title", "body")):
            read.problems = [p for p in fields.problems if not p.startswith(("no_date", "unparsed_date"))]
            if read.published or read.print_url:
                read.lang = _lang(read, url, source)
                return read
    _generic_fill(read, text_of(response), url, source, reader)
    read.lang = _lang(read, url, source)
    return read


def _generic_fill(read: ReadArticle, html: str, url: str, source: Source, reader: Reader | None) -> None:
    """The chain for every field the profile did not give: selectors, metadata, generic extraction."""
    from spiders.extraction.chain import extract

    boilerplate = reader.boilerplate if reader is not None else None
    found = extract(html, url, source.selectors, boilerplate, tz=dates.zone(source.profile.timezone))
    if boilerplate is not None and found.blocks and boilerplate.learn(url, found.blocks):
        reader.learned_pages += 1
    read.selector_misses += list(found.selector_misses)
    for name, attr in (("title", "title"), ("body", "body"), ("date", "published")):
        value = getattr(found, attr)
        if getattr(read, attr) or not value:
            continue
        setattr(read, attr, value)
        read.extractors[name] = found.extractors.get(name, "generic")
        if source.profile.has_parsers or (getattr(source.selectors, name) and read.extractors[name] != "profile"):
            read.fallbacks.append(name)  # a selector the source configured for this field did not give it
    if found.lang and re.match(r"^[a-z]{2}\b", found.lang.lower()):
        read.lang = found.lang.lower()[:2]  # <html lang> / og:locale: used when the text has no letters
    if not read.section and found.section:  # e.g. JSON-LD articleSection: the name as shown, a code made of it
        read.section_name = found.section
        read.section = section_code(found.section)
    if not read.images:
        read.images = [Image(url=i.url, caption=i.caption) if not isinstance(i, Image) else i for i in found.images]
    read.problems = [p for p in found.problems if p]


def section_code(name: str) -> str:
    """A section's code from its name when the site shows no code: lower case, words joined by '-'."""
    return "-".join(re.findall(r"\w+", name.casefold().replace("ё", "е")))[:80]


def _lang(read: ReadArticle, url: str, source: Source) -> str | None:
    from spiders.parsing.urls import lang_of

    # The text's script first: many sites keep a theme's <html lang="en-US"> over Russian news.
    return source.lang or lang_of(url, (read.title or "") + " " + (read.body or "")[:2000],
                                  source.profile) or read.lang


def print_date(response: Response, source: Source) -> str | None:
    """The date of an article's print page (profiles whose article pages may lack one)."""
    return parse_print(response.text, response.url, source.profile).published
