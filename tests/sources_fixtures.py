"""A small university news site on loopback for the `sources` commands: WordPress-like markup, chrome that repeats
on every page (menus, share bar, related posts, footer), a pager, an RSS feed, robots.txt, and ground truth.

    with NewsSite(state=1) as site:
        site.listing_url, site.ground_truth(), site.request_log, site.set_state(2)

State 2 publishes two new articles and edits the body of one. `feed=False` serves no feed; `charset`
serves every page in that encoding (a windows-1251 site declares it only in the header).
"""

from __future__ import annotations

import html
import random
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WORDS = ("research university students faculty partnership agreement laboratory campus engineering science "
         "international delegation conference grant project professor department programme exchange energy "
         "materials robotics mathematics physics chemistry biology medicine climate data network city region "
         "industry innovation award scholarship graduate course seminar lecture workshop library museum").split()
WORDS_RU = ("университет исследование студенты факультет партнёрство соглашение лаборатория кампус инженерия "
            "наука делегация конференция грант проект профессор кафедра программа обмен энергия материалы "
            "робототехника математика физика химия биология медицина климат данные сеть город регион "
            "промышленность инновации премия стипендия выпускник курс семинар лекция библиотека музей").split()
CHROME = ("Share this:", "Related posts", "© 2024 Northbridge University, 1 College Road, Northbridge",
          "Subscribe to our newsletter", "Posted in University News")
PER_PAGE = 8


@dataclass
class Post:
    ident: int
    slug: str
    title: str
    published: date
    paragraphs: list[str]
    markup: str = "wp"

    @property
    def path(self) -> str:
        return f"/novosti/{self.slug}" if self.markup == "drupal" else f"/{self.published:%Y/%m/%d}/{self.slug}/"


def _sentence(rng: random.Random, words: int, vocabulary: tuple[str, ...] | list[str]) -> str:
    text = " ".join(rng.choice(vocabulary) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_posts(count: int, seed: int = 7, vocabulary: tuple[str, ...] | list[str] = WORDS) -> list[Post]:
    """Posts newest first, one every two days back from 2024-05-30."""
    rng = random.Random(seed)
    posts = []
    for number in range(count):
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 9))).capitalize()
        paragraphs = [" ".join(_sentence(rng, rng.randint(8, 16), vocabulary) for _ in range(rng.randint(2, 4)))
                      for _ in range(rng.randint(3, 7))]
        slug = f"item-{number}" if vocabulary is not WORDS else "-".join(title.lower().split()[:5]) + f"-{number}"
        posts.append(Post(1000 + number, slug, title, date(2024, 5, 30) - timedelta(days=2 * number), paragraphs))
    return posts


class NewsSite:
    """The site, its state (1 or 2) and the log of requests it answered."""

    def __init__(self, state: int = 1, feed: bool = True, charset: str = "utf-8", port: int = 0,
                 lang: str = "en", pager: str = "query", markup: str = "wp") -> None:
        vocabulary = WORDS_RU if lang == "ru" else WORDS
        self.lang, self.pager, self.markup = lang, pager, markup  # pager: "query" (/news/?page=1, Drupal) or "path" (/news/page/2/, WordPress)
        self.posts = make_posts(20, vocabulary=vocabulary)
        self.extra = make_posts(2, seed=99, vocabulary=vocabulary)
        for post in (*self.posts, *self.extra):
            post.markup = markup
        for number, post in enumerate(self.extra):
            post.published = date(2024, 6, 1 + number)
            post.slug = f"new-{post.slug}"
        self.state, self.feed, self.charset = state, feed, charset
        self.request_log: list[tuple[str, int]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.server.site = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NewsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def listing_url(self) -> str:
        return self.url + ("/novosti" if self.markup == "drupal" else "/news/")

    def set_state(self, n: int) -> None:
        self.state = n

    def current(self) -> list[Post]:
        """Posts of the current state, newest first (state 2: two new ones, the fourth edited)."""
        if self.state == 1:
            return self.posts
        edited = [Post(p.ident, p.slug, p.title, p.published, list(p.paragraphs), p.markup) for p in self.posts]
        edited[3].paragraphs[1] = "An edited paragraph: the agreement was signed by both rectors on Monday."
        return [*reversed(self.extra), *edited]

    def ground_truth(self) -> list[dict[str, Any]]:
        return [{"url": self.url + p.path, "title": p.title, "published": p.published.isoformat(),
                 "body": "\n\n".join(p.paragraphs)} for p in self.current()]

    def reset_log(self) -> None:
        self.request_log.clear()

    def page(self, path: str) -> tuple[int, str, str]:
        """(status, content type, text) of a path."""
        from tests.sources_pages import article_page, feed_page, listing_page

        posts = self.current()
        if self.markup == "drupal" and path != "/robots.txt":
            from tests.sources_drupal import drupal_page

            return drupal_page(self, path, posts)
        if path == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nDisallow: /private/\n"
        if path == "/feed/" and self.feed:
            return 200, "application/rss+xml", feed_page(self, posts[:10])
        if path in ("/news/", "/empty/") or path.startswith(("/news/page/", "/private/")):
            number = int(path.rstrip("/").rsplit("/", 1)[1]) if path.startswith("/news/page/") else 1
            chunk = posts[(number - 1) * PER_PAGE:number * PER_PAGE] if path != "/empty/" else []
            if not chunk and path != "/empty/":
                return 404, "text/html", "<html><body><h1>Not found</h1></body></html>"
            pages = (len(posts) + PER_PAGE - 1) // PER_PAGE
            return 200, "text/html", listing_page(self, chunk, number, pages, posts)
        if path == "/logo.png":
            return 200, "image/png", "\x89PNG not really"
        for post in posts:
            if path == post.path:
                return 200, "text/html", article_page(self, post, posts)
        return 404, "text/html", "<html><body><h1>Not found</h1></body></html>"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the site keeps its own log
        pass

    def do_GET(self) -> None:
        site: NewsSite = self.server.site  # type: ignore[attr-defined]
        path, _, query = self.path.partition("?")
        if site.markup == "drupal":
            path = self.path
        elif path == "/news/" and query.startswith("page="):
            path = f"/news/page/{int(query[5:]) + 1}/"  # Drupal's ?page=1 is the second page
        status, kind, text = site.page(path)
        site.request_log.append((path, status))
        body = text.encode(site.charset, "xmlcharrefreplace") if kind != "image/png" else text.encode("latin-1")
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset={site.charset}" if kind.startswith("text/") else kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def esc(text: str) -> str:
    return html.escape(text, quote=True)
