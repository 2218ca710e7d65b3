"""URLs as discovery sees them: canonical form, same site, and what kind of page a link points to.

Knows no site: the rules are the conventions that CMSs share (WordPress, Drupal, Bitrix, Joomla, Django).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query keys that never select content: trackers and session ids (a URL with them is the same article).
_JUNK_KEYS = frozenset({
    "fbclid", "gclid", "yclid", "ysclid", "msclkid", "mc_cid", "mc_eid", "_openstat", "from_rss", "ref",
    "phpsessid", "sid", "sessionid", "session_id", "jsessionid", "cfid", "cftoken", "print", "clear_cache",
})
_JUNK_PREFIXES = ("utm_", "_ga", "_hs")
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Pager parameters: page numbers (1-based, or Drupal's 0-based `page`) and item offsets (Joomla `start`).
PAGE_KEYS = frozenset({"page", "paged", "pg", "pagenum", "page_num", "pagenumber", "cur_page", "curpage"})
OFFSET_KEYS = frozenset({"start", "offset", "from", "limitstart", "skip"})
BITRIX_KEY = re.compile(r"^PAGEN_\d+$", re.I)
PAGE_PATH = re.compile(r"/(?:page|p|seite|stranitsa|strana)/(\d+)/?$", re.I)
_PAGE_SEGMENT = re.compile(r"^page-?\d+(?:\.html?)?$", re.I)

FEED_PATH = re.compile(r"(?:^|/)(?:feed|rss|atom|rss2|feeds?\.xml|rss\.xml|atom\.xml|index\.rss|news\.rss)/?$"
                       r"|\.(?:rss|atom)$|/feed/(?:rss2?|atom)/?$", re.I)
_FEED_QUERY = re.compile(r"(?:^|&)(?:format=feed|type=(?:rss|atom)|feed=(?:rss2?|atom))(?:&|$)", re.I)
# Path segments that lead to lists of articles or to site machinery, never to one article.
TAXONOMY_SEGMENTS = frozenset({
    "tag", "tags", "category", "categories", "rubric", "rubrics", "rubrika", "author", "authors", "topic",
    "topics", "taxonomy", "term", "search", "login", "logout", "register", "wp-login.php", "wp-admin",
    "feed", "rss", "archive", "archives", "calendar", "subscribe", "print", "share", "comments", "cart",
    "tegi", "teg", "sitemap", "user", "users", "profile", "sections", "section",
})
_TAXONOMY_QUERY = frozenset({"tag", "tags", "category", "cat", "author", "s", "q", "search", "query", "tid",
                             "tag_id", "section_id", "rubric"})
_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|ico|pdf|docx?|xlsx?|pptx?|odt|ods|rtf|zip|rar|7z|gz|"
                   r"mp[34]|avi|mov|wmv|webm|ogg|wav|css|js|xml|json|txt|exe|dmg|apk)$", re.I)


def absolute(href: str | None, base_url: str) -> str | None:
    """href resolved against the page's URL; None for empty, fragment-only, script, mail and phone links."""
    if not href or not isinstance(href, str):
        return None
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
        return None
    lowered = href[:8].lower()
    if lowered.startswith(("https://", "http://")):
        return href
    try:
        url = urljoin(base_url, href)
    except ValueError:
        return None
    return url if url[:8].lower().startswith(("https://", "http://")) else None


def canonical(href: str | None, base_url: str = "") -> str | None:
    """The URL an article is known by: absolute, lower-case host, no default port, no fragment, no tracker
    or session parameter; a meaningful query (`?id=`, `?ELEMENT_ID=`) and the trailing slash kept as given."""
    url = absolute(href, base_url) if base_url else (href.strip() if href else None)
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    scheme = parts.scheme.lower()
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = _PATH_SESSION.sub("", parts.path) or "/"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _junk(k)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((scheme, netloc, path, query, ""))


def _junk(key: str) -> bool:
    key = key.lower()
    return key in _JUNK_KEYS or key.startswith(_JUNK_PREFIXES)


def host_of(url: str) -> str:
    """The host without "www." (www.example.org and example.org are one site)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def origin(url: str) -> str:
    """scheme://host/ of a URL: the site a page belongs to, without its path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def same_site(url: str, base_url: str) -> bool:
    """Whether url is on base_url's host (www. or not) and, when base_url has a path prefix, under it."""
    if host_of(url) != host_of(base_url) or not host_of(url):
        return False
    prefix = urlsplit(base_url).path.rstrip("/")
    if not prefix:
        return True
    path = urlsplit(url).path
    return path == prefix or path.startswith(prefix + "/")


def path_of(url: str) -> str:
    """The URL's path, percent-decoded (patterns are written against what a person reads)."""
    try:
        return unquote(urlsplit(url).path) or "/"
    except ValueError:
        return "/"


def is_feed(url: str) -> bool:
    """A feed by its address: `/feed/`, `/rss/`, `rss.xml`, `.rss`, Joomla's `?format=feed&type=rss`."""
    parts = urlsplit(url)
    return bool(FEED_PATH.search(parts.path) or _FEED_QUERY.search(parts.query))


def is_pager(url: str) -> bool:
    """A listing page beyond the first: `/page/N/`, `?page=`, `?PAGEN_1=`, `?start=`."""
    parts = urlsplit(url)
    if PAGE_PATH.search(parts.path) or _PAGE_SEGMENT.match(parts.path.rstrip("/").rsplit("/", 1)[-1]):
        return True
    keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(keys & (PAGE_KEYS | OFFSET_KEYS)) or any(BITRIX_KEY.match(k) for k in keys)


def is_taxonomy(url: str) -> bool:
    """A tag, category, author, search or account page: a list of articles or machinery, not an article."""
    parts = urlsplit(url)
    segments = [s.lower() for s in unquote(parts.path).split("/") if s]
    # /tag/x/, /category/x/, /search/, /taxonomy/term/12: the word is last or next to last. Deeper
    # ("/archive/2023/some-story/") it is a part of the site's article paths, not a list.
    if set(segments[-2:]) & TAXONOMY_SEGMENTS or "taxonomy" in segments:
        return True
    keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(keys & _TAXONOMY_QUERY)


def is_file(url: str) -> bool:
    """An image, document, archive or asset: never an article page."""
    return bool(_FILE.search(urlsplit(url).path))
