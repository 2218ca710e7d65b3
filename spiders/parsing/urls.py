"""URL helpers shared by the parsers: absolute links, canonical article URLs, section code, language."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from spiders.sites import spbpu as site

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
    """The article URL as archived: absolute, no fragment, no `print=Y`; trailing slash kept as given."""
    url = absolute(url, base_url)
    if not url:
        return None
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in site.PRINT_QUERY_KEYS]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept)))


def section_of(url: str | None) -> str | None:
    """The section code in /media/news/<code>/<slug>/ or /media/news/<code>/; None elsewhere."""
    if not url:
        return None
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    match = site.ARTICLE_PATH.search(path) or site.SECTION_PATH.search(path)
    if not match or match["section"] in site.NOT_SECTIONS:
        return None
    return match["section"]


def host_of(url: str | None) -> str:
    try:
        return (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""


def lang_of(url: str | None = None, text: str | None = None) -> str | None:
    """"en" or "ru": from the host (english. -> en) when it is SPbPU's, else from the text's script."""
    host = host_of(url)
    if host in site.HOSTS:
        return site.HOSTS[host]
    if host.startswith("english."):
        return "en"
    if text:
        sample = text[:4000]
        cyrillic, latin = len(_CYRILLIC.findall(sample)), len(_LATIN.findall(sample))
        if cyrillic or latin:
            return "ru" if cyrillic >= latin else "en"
    return None


def source_of(url: str | None) -> str | None:
    """The newsmon source name serving this host ("spbpu-ru", "spbpu-en"), None for other hosts."""
    return site.SOURCES_BY_HOST.get(host_of(url))
