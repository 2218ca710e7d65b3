"""The news RSS feed (/media/news/rss/, latest 20 items) -> entries.

Bitrix quirks (seen in the real feed): `category` ends in "/" (sometimes " /"), `description` is
double-escaped (`&amp;nbsp;`) and cut with "...", `pubDate` is RFC 822 in +0300.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from lxml import etree

from spiders.parsing import dates, text, urls
from spiders.profile import GENERIC, SiteProfile

log = logging.getLogger(__name__)
_CATEGORY_TAIL = re.compile(r"[\s/]+$")
_TAG = re.compile(r"<[^>]*>")


@dataclass
class RssEntry:
    """One feed item. `section` (the code from the link's path) is an extra beyond the feed's own fields."""

    url: str
    title: str
    published: str | None = None
    section_name: str | None = None
    summary: str | None = None
    image: str | None = None
    section: str | None = None


def _root(xml: bytes | str) -> etree._Element | None:
    """The parsed feed; a str is re-encoded so its own encoding declaration cannot mislead lxml."""
    if isinstance(xml, str):
        data, parser = xml.encode("utf-8", "replace"), etree.XMLParser(recover=True, encoding="utf-8",
                                                                        resolve_entities=False, no_network=True)
    else:
        data, parser = bytes(xml), etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    if not data.strip():
        return None
    try:
        return etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _child_text(item: etree._Element, name: str) -> str:
    found = item.xpath(f"*[local-name()='{name}']")
    return "".join(found[0].itertext()) if found else ""


def unescape_summary(raw: str) -> str | None:
    """Bitrix's double-escaped description as plain text: unescape twice, drop tags, fold spaces; "..." kept."""
    once = html.unescape(html.unescape(raw or ""))
    cleaned = text.clean(_TAG.sub(" ", once) if "<" in once else once)
    return cleaned or None


def category_name(raw: str) -> str | None:
    """"Университетская жизнь /" -> "Университетская жизнь"."""
    return text.clean(_CATEGORY_TAIL.sub("", raw or "")) or None


def parse_entry(item: etree._Element, base_url: str | None, site: SiteProfile = GENERIC) -> RssEntry | None:
    """One <item>, or None when it has no link."""
    url = urls.canonical(text.clean(_child_text(item, "link")), base_url)
    if not url:
        return None
    enclosure = item.xpath("*[local-name()='enclosure']")
    image = None
    if enclosure and (enclosure[0].get("type") or "image/").startswith("image/"):
        image = urls.absolute(enclosure[0].get("url"), base_url or url)
    return RssEntry(
        url=url,
        title=text.clean(html.unescape(_child_text(item, "title"))),
        published=dates.to_iso(dates.parse_date(_child_text(item, "pubDate")), site.timezone),
        section_name=category_name(_child_text(item, "category")),
        summary=unescape_summary(_child_text(item, "description")),
        image=image,
        section=urls.section_of(url, site),
    )


def parse_rss(xml: bytes | str, base_url: str | None = None, site: SiteProfile = GENERIC) -> list[RssEntry]:
    """Entries in feed order; an unreadable feed gives [] (and a warning), never an exception."""
    try:
        root = _root(xml)
        if root is None:
            log.warning("unreadable RSS from %s", base_url)
            return []
        items = root.xpath("//*[local-name()='item']")
        return [entry for item in items if (entry := parse_entry(item, base_url, site))]
    except Exception as exc:
        log.warning("RSS parse failed for %s: %r", base_url, exc)
        return []
