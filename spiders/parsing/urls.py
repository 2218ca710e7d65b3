"""URL helpers shared by the parsers: absolute links, canonical article URLs, section code, language."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from spiders.profile import GENERIC, SiteProfile

# Query keys that never make a different article: print views, trackers.
DROP_QUERY_KEYS = frozenset({"print", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
                             "fbclid", "gclid", "yclid"})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def absolute(href: str | None, base_url: str | None) -> str | None:
    """href resolved against the page's URL, without its fragment; None for empty, JS or mail links."""
    if not href or not isinstance(href, str):
        return None
    href = href.strip()
    if not href or href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    try:
        joined = urljoin(base_url or "", href)
        parts = urlsplit(joined)
    except ValueError:
        return None
    return urlunsplit(parts._replace(fragment=""))


def canonical(url: str | None, base_url: str | None = None) -> str | None:
    """The article URL as archived: absolute, no fragment, no `print=Y` or trackers; trailing slash as given."""
    url = absolute(url, base_url)
    if not url:
        return None
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in DROP_QUERY_KEYS]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept)))


def section_of(url: str | None, site: SiteProfile = GENERIC) -> str | None:
    """The section code the profile reads from an article or section URL; None elsewhere."""
    if not url:
        return None
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    match = site.article_path.search(path) or site.section_path.search(path)
    if not match or "section" not in match.re.groupindex or match["section"] in site.not_sections:
        return None
    return match["section"]


def host_of(url: str | None) -> str:
    try:
        return (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""


def lang_of(url: str | None = None, text: str | None = None, site: SiteProfile = GENERIC) -> str | None:
    """"en" or "ru": from the host when the profile knows it (english. -> en), else from the text's script."""
    host = host_of(url)
    if host in site.hosts:
        return site.hosts[host]
    if host.startswith("english."):
        return "en"
    if text:
        sample = text[:4000]
        cyrillic, latin = len(_CYRILLIC.findall(sample)), len(_LATIN.findall(sample))
        if cyrillic or latin:
            return "ru" if cyrillic >= latin else "en"
    return None
