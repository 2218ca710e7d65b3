"""A whole `[sources.NAME]` block learned from one listing URL: feed, pager, article links, URL pattern and
selectors, each checked on articles outside the sample before it is proposed.

Requests, in order: robots.txt, the listing, its second page (more links, and the pager checked twice),
the feed (does it read?), the sample articles, then the check articles: 13 with the defaults.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from spiders.discovery import urls
from spiders.discovery.feeds import autodiscover, parse_feed
from spiders.discovery.links import Link, article_links, sidebar_filter
from spiders.discovery.pager import by_selector, next_page
from spiders.discovery.patterns import learn_pattern
from spiders.extraction.chain import extract
from spiders.extraction.charset import decode_html
from spiders.extraction.score import token_f1
from spiders.learn import pages as pages_mod
from spiders.learn import stable
from spiders.learn.fetch import FetchFailed, Page, PoliteFetcher
from spiders.learn.selectors import learn, titles
from spiders.profile import Selectors

CHECK = 3  # articles outside the sample every selector must also hold on
PREVIEW = 3


class LearnFailed(Exception):
    """The URL cannot be learned as a news listing; the message is one line saying why."""


@dataclass
class LearnedSource:
    """The proposed `[sources.NAME]` table, why any field is missing, and the pages it was learned from."""

    name: str
    table: dict[str, Any]
    reasons: dict[str, str] = field(default_factory=dict)
    sample: list[Page] = field(default_factory=list)
    checked: int = 0
    requests: int = 0
    seconds: float = 0.0


def learn_source(url: str, name: str, fetcher: PoliteFetcher, sample: int = 6, lang: str = "") -> LearnedSource:
    """Learn the source whose news listing is at `url` (LearnFailed or FetchFailed when it cannot)."""
    started = time.monotonic()
    listing = fetcher.get(url)
    if not listing.is_html:
        raise LearnFailed(f"{url} is not an HTML page ({listing.content_type or 'no Content-Type'}); "
                          f"give the news listing page")
    html = decode_html(listing.body, listing.charset)
    links = article_links(html, listing.url)
    if not links:
        raise LearnFailed(f"{url}: no article links found on the page; give the page that lists the news")
    next_url = next_page(html, listing.url)
    second = _optional(fetcher, next_url)
    html2 = decode_html(second.body, second.charset) if second else ""
    if html2:
        links, links2 = sidebar_filter([links, article_links(html2, second.url)])
    else:
        links2 = []
    found = list({link.url: link for link in [*links, *links2]}.values())
    reasons: dict[str, str] = {}
    pattern = learn_pattern([link.url for link in found], _other_links([(listing.url, html), (next_url, html2)],
                                                                      found))
    pattern = _any_year(pattern)
    feed_url = _feed(fetcher, html, listing.url, reasons)
    sample_pages = _fetch_articles(fetcher, found[:sample])
    if len(sample_pages) < 2:
        raise LearnFailed(f"{url}: fewer than two of the listed articles could be fetched; nothing to learn from")
    learned = learn(sample_pages)
    reasons.update(learned.reasons)
    checks = _fetch_articles(fetcher, found[sample:sample + CHECK])
    selectors = _checked(learned.selectors, checks, reasons)
    next_sel = learn_next_page(html, listing.url, next_url, html2, second.url if second else "")
    if next_url and not next_sel:
        reasons["next_page"] = "no stable selector picks the pager's next link (found generically instead)"
    elif not next_url:
        reasons["next_page"] = "the listing shows no next page"
    selectors = Selectors(selectors.title, selectors.body, selectors.date, next_sel, selectors.drop)
    parts = urlsplit(listing.url)
    table = {
        "base_url": f"{parts.scheme}://{parts.netloc}",
        "listing_urls": [listing.url],
        "feed_url": feed_url,
        "article_pattern": pattern,
        "lang": lang or _lang(sample_pages, html),
        "selectors": {key: value for key, value in (("title", selectors.title), ("body", selectors.body),
                                                     ("date", selectors.date), ("next_page", selectors.next_page),
                                                     ("drop", list(selectors.drop))) if value},
    }
    return LearnedSource(name, table, reasons, [p.fetched for p in sample_pages], len(checks), fetcher.requests,
                         time.monotonic() - started)


def _any_year(pattern: str) -> str:
    """A year the sample happens to share (all of it from 2024) stays a year, not that year: next January's
    articles must match too."""
    return re.sub(r"(?<=/)(?:19|20)\d\d(?=/)", r"\\d{4}", pattern)


def _optional(fetcher: PoliteFetcher, url: str | None) -> Page | None:
    if not url:
        return None
    try:
        page = fetcher.get(url)
    except FetchFailed:
        return None
    return page if page.is_html else None


def _other_links(listings: list[tuple[str | None, str]], articles: list[Link]) -> list[str]:
    """Same-site links of the listing pages that are not articles: what the URL pattern must not match."""
    known = {link.url for link in articles}
    others: set[str] = set()
    for page_url, html in listings:
        if not page_url or not html:
            continue
        for anchor in lxml.html.fromstring(html).iter("a"):
            href = urls.canonical(anchor.get("href"), page_url)
            if href and href not in known and urls.same_site(href, page_url):
                others.add(href)
    return sorted(others)


def _feed(fetcher: PoliteFetcher, html: str, url: str, reasons: dict[str, str]) -> str:
    """The autodiscovered feed when it reads, else "none" (the listing is then the only way in)."""
    for candidate in autodiscover(html, url)[:1]:
        page = _optional_any(fetcher, candidate)
        if page is not None and parse_feed(page.body, page.url, page.charset):
            return candidate
        reasons["feed_url"] = f"the announced feed {candidate} did not read"
        return "none"
    reasons["feed_url"] = "the listing announces no feed"
    return "none"


def _optional_any(fetcher: PoliteFetcher, url: str) -> Page | None:
    try:
        return fetcher.get(url)
    except FetchFailed:
        return None


def _fetch_articles(fetcher: PoliteFetcher, links: list[Link]) -> list[pages_mod.SamplePage]:
    found = []
    for link in links:
        page = _optional(fetcher, link.url)
        if page is not None:
            found.append(pages_mod.load(link.url, decode_html(page.body, page.charset)))
            found[-1].fetched = page
    return found


def _checked(selectors: Selectors, checks: list[pages_mod.SamplePage], reasons: dict[str, str]) -> Selectors:
    """The selectors that also hold on the articles outside the sample; the others are left out, with why."""
    failed: Counter[str] = Counter()
    for page in checks:
        got = extract(page.html, page.url, selectors)
        want = page.generic
        if selectors.title and (got.extractors.get("title") != "profile"
                                or got.title.casefold() not in titles(page)):
            failed["title"] += 1
        if selectors.date and (got.extractors.get("date") != "profile"
                               or (want.published and (got.published or "")[:10] != want.published[:10])):
            failed["date"] += 1
        if selectors.body and (got.extractors.get("body") != "profile" or token_f1(got.body, want.body) < 0.5):
            failed["body"] += 1
    for name, count in failed.items():
        reasons[name] = f"the learned selector failed on {count} of {len(checks)} articles outside the sample"
    return Selectors(title="" if failed["title"] else selectors.title,
                     body="" if failed["body"] else selectors.body,
                     date="" if failed["date"] else selectors.date,
                     drop=selectors.drop if not failed["body"] else ())


def learn_next_page(html: str, url: str, next_url: str | None, html2: str = "", url2: str = "") -> str:
    """A stable selector of the pager's next link: on page 1 it gives page 2, on page 2 what page 2's pager
    says comes next."""
    if not next_url:
        return ""
    root = lxml.html.fromstring(html)
    anchors = [a for a in root.iter("a") if urls.canonical(a.get("href"), url) == urls.canonical(next_url, url)]
    offered: list[str] = []
    for anchor in anchors:
        if (anchor.get("rel") or "").lower() == "next":
            offered.append('a[rel="next"]')
        offered += stable.candidates([anchor])
        parent = anchor.getparent()
        if parent is not None and stable.tokens(parent):
            offered += [f"{form} a" for form in stable.simple_forms([parent]) if "." in form]
    expected = [(root, url, next_url)]
    if html2:
        expected.append((lxml.html.fromstring(html2), url2, next_page(html2, url2)))
    for selector in stable.simplest_first(offered):
        if all(_next_by(doc, page, selector) == (want and urls.canonical(want, page)) for doc, page, want in expected):
            return selector
    return ""


def _next_by(doc: Any, page: str, selector: str) -> str | None:
    """The next page a selector gives, read by the crawl's own pager."""
    found = by_selector(doc, page, selector)
    return urls.canonical(found, page) if found else None


def _lang(samples: list[pages_mod.SamplePage], html: str) -> str:
    """The language the sampled articles declare (most of them), else the listing's <html lang>, else ""."""
    declared = Counter((p.generic.lang or "")[:2].lower() for p in samples if p.generic.lang)
    if declared:
        return declared.most_common(1)[0][0]
    lang = (lxml.html.fromstring(html).get("lang") or "")[:2].lower()
    return lang if lang.isalpha() else ""
