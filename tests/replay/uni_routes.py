"""Which response the WordPress-like and the Drupal-like replay give to a path (GET and HEAD alike).

Validators: the ETag hashes the page as served, minus what changes per request (Drupal's form_build_id);
Last-Modified is the newest change on the site, because every page shows the "recent news" list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote

from tests.replay import drupal_render, wp_feed, wp_page, wp_render
from tests.replay.routes import JPEG, Response, digest
from tests.replay.unis import Corpus

if TYPE_CHECKING:
    from tests.replay.uni_server import UniSite

WP_HTML = "text/html; charset=UTF-8"
CP1251 = "windows-1251"
_WP_ARTICLE = re.compile(r"^/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/$")
_WP_PAGED = re.compile(r"^(/news/|/category/[a-z-]+/|/tag/[a-z-]+/)(?:page/(\d+)/)?$")
_SHARE = {"facebook": "https://www.facebook.com/sharer.php?u=", "x": "https://x.com/intent/post?url=",
          "linkedin": "https://www.linkedin.com/shareArticle?mini=true&url="}
_BUILD_ID = re.compile(r'name="form_build_id" value="[^"]*"')

WP_ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
DRUPAL_ROBOTS = "\n".join([
    "#", "# robots.txt", "#", "# This file is to prevent the crawling and indexing of certain parts",
    "# of your site by web crawlers and spiders run by sites like Yahoo!", "# and Google.", "",
    "User-agent: *", "# CSS, JS, Images", "Allow: /core/*.css$", "Allow: /core/*.js$", "Allow: /profiles/*.png$",
    "# Directories", "Disallow: /core/", "Disallow: /profiles/", "# Files", "Disallow: /README.md",
    "Disallow: /web.config", "# Paths (clean URLs)", "Disallow: /admin/", "Disallow: /comment/reply/",
    "Disallow: /filter/tips", "Disallow: /node/add/", "Disallow: /search/", "Disallow: /user/register/",
    "Disallow: /user/password/", "Disallow: /user/login/", "Disallow: /user/logout/",
    "# Paths (no clean URLs)", "Disallow: /index.php/admin/", "Disallow: /index.php/search/", "",
])


def _page(text: str, corpus: Corpus, ctype: str = WP_HTML, encoding: str = "utf-8", status: int = 200) -> Response:
    stable = _BUILD_ID.sub("", text)
    body = text.encode(encoding, errors="xmlcharrefreplace")
    return Response(status, body, ctype, etag=f'"{digest(stable)}"' if status == 200 else None,
                    last_modified=corpus.newest if status == 200 else None)


def _feed(text: str, corpus: Corpus) -> Response:
    return Response(200, text.encode("utf-8"), "application/rss+xml; charset=UTF-8", etag=f'"{digest(text)}"',
                    last_modified=corpus.newest)


def route(site: UniSite, label: str, path: str, raw_query: str) -> Response:
    corpus = site.corpus()
    if label == "wp":
        return wp_route(corpus, site.url, path, parse_qs(raw_query))
    return drupal_route(corpus, path, parse_qs(raw_query))


def wp_route(corpus: Corpus, base: str, path: str, query: dict[str, list[str]]) -> Response:
    """WordPress with pretty permalinks `/%year%/%monthnum%/%day%/%postname%/` and the posts page at /news/."""
    if path == "/robots.txt":
        return Response(200, WP_ROBOTS.encode(), "text/plain; charset=utf-8", etag='"robots"',
                        last_modified=corpus.newest)
    if path.startswith("/wp-content/uploads/"):
        return Response(200, JPEG, "image/jpeg", etag='"img"', last_modified=corpus.newest)
    if path == "/" and "p" in query:
        article = next((a for a in corpus.articles if str(a.spec.node) == query["p"][0]), None)
        return _redirect(base + article.path, 301) if article else _wp_404(corpus, base)
    if path == "/":
        return _page(wp_render.archive_page(corpus, corpus.articles[:3], 1, base, "/", "Home",
                                            "home page-template-default page"), corpus)
    if path == "/feed/":
        return _feed(wp_feed.feed(corpus, base, corpus.articles[:10], wp_page.SITE_NAME, base + "/feed/"), corpus)
    if path == "/comments/feed/" or (path.endswith("/feed/") and path[:-5] in corpus.by_path):
        title = f"Comments for {wp_page.SITE_NAME}"
        return _feed(wp_feed.feed(corpus, base, [], title, base + path), corpus)
    article = corpus.by_path.get(path)
    if article is not None:
        if "share" in query:  # Jetpack's share links answer with a redirect to the network
            target = _SHARE.get(query["share"][0], "mailto:?body=")
            return _redirect(target + quote(base + path, safe=""), 302)
        return _page(wp_render.article_page(corpus, article, base), corpus)
    if not path.endswith("/") and (path + "/" in corpus.by_path or _WP_PAGED.match(path + "/")):
        return _redirect(base + path + "/", 301)
    match = _WP_PAGED.match(path)
    if match:
        return _wp_archive(corpus, base, match.group(1), int(match.group(2) or 0))
    return _wp_404(corpus, base)


def _wp_archive(corpus: Corpus, base: str, prefix: str, n: int) -> Response:
    if prefix == "/news/":
        items, heading, body_class = corpus.articles, "News", "blog"
    elif prefix.startswith("/category/"):
        code = prefix.split("/")[2]
        if code not in corpus.desc.categories:
            return _wp_404(corpus, base)
        items, heading, body_class = corpus.in_category(code), corpus.desc.categories[code], f"archive category-{code}"
    else:
        tag = prefix.split("/")[2]
        items = [a for a in corpus.articles if tag in wp_page.tags_of(a)]
        heading, body_class = tag.capitalize(), f"archive tag tag-{tag}"
    if n == 1:
        return _redirect(base + prefix, 301)
    n = n or 1
    if not items or n > corpus.pages(items):
        return _wp_404(corpus, base)
    return _page(wp_render.archive_page(corpus, items, n, base, prefix, heading, body_class), corpus)


def _wp_404(corpus: Corpus, base: str) -> Response:
    return _page(wp_render.not_found_page(corpus, base), corpus, status=404)


def _redirect(location: str, status: int) -> Response:
    return Response(status, b"", "text/html; charset=UTF-8", headers={"Location": location})


def drupal_route(corpus: Corpus, path: str, query: dict[str, list[str]]) -> Response:
    """Drupal 9 behind a windows-1251 recoder: the view pages name the charset in the header, nodes do not."""
    listing_ctype = f"text/html; charset={CP1251}"
    if path == "/robots.txt":
        return Response(200, DRUPAL_ROBOTS.encode(), "text/plain; charset=UTF-8", etag='"robots"',
                        last_modified=corpus.newest)
    if path.startswith("/sites/default/files/"):
        return Response(200, JPEG, "image/jpeg", etag='"img"', last_modified=corpus.newest)
    if path in ("/", "/news") or path.startswith("/taxonomy/term/"):
        items, heading = corpus.articles, "Новости"
        if path == "/":
            items, heading = corpus.articles[:4], "Главная"
        elif path != "/news":
            codes = list(corpus.desc.categories)
            tid = path.removeprefix("/taxonomy/term/")
            if not tid.isdigit() or not 0 <= int(tid) - 10 < len(codes):
                return _drupal_404(corpus)
            code = codes[int(tid) - 10]
            items, heading = corpus.in_category(code), corpus.desc.categories[code]
        raw = query.get("page", ["0"])[0]
        n = min(int(raw), corpus.pages(items) - 1) if raw.isdigit() else 0  # Views clamps to the last page
        return _page(drupal_render.listing_page(corpus, items, n, path, heading), corpus, listing_ctype, CP1251)
    article = corpus.by_path.get(path)
    if article is None and path.startswith("/node/"):
        article = next((a for a in corpus.articles if f"/node/{a.spec.node}" == path), None)
    if article is None:
        return _drupal_404(corpus)
    return _page(drupal_render.article_page(corpus, article), corpus, "text/html", CP1251)


def _drupal_404(corpus: Corpus) -> Response:
    return _page(drupal_render.not_found_page(corpus), corpus, f"text/html; charset={CP1251}", CP1251, status=404)
