"""Everything SPbPU-specific the parsers read: hosts, sections, selectors, labels, date formats.

A markup change on www.spbstu.ru / english.spbstu.ru should be a change to this file only.
"Seen" and "inferred" follow docs/site-model.md; selectors list the contract's form first, then
tolerant fallbacks for what the real site may serve instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HOSTS: dict[str, str] = {"www.spbstu.ru": "ru", "spbstu.ru": "ru", "english.spbstu.ru": "en"}
SOURCES_BY_HOST: dict[str, str] = {"www.spbstu.ru": "spbpu-ru", "spbstu.ru": "spbpu-ru",
                                   "english.spbstu.ru": "spbpu-en"}
RSS_PATH = "/media/news/rss/"
NEWS_PATH = "/media/news/"


@dataclass(frozen=True)
class Section:
    """One news section: its URL code, names in both languages and its listing-card label class."""

    code: str
    ru: str
    en: str
    label_class: str | None

    def name(self, lang: str | None) -> str:
        return self.en if lang == "en" else self.ru


SECTIONS: dict[str, Section] = {s.code: s for s in (
    Section("achievements", "Достижения", "Achievements", "cat-ach"),
    Section("nauka_i_innovatsii", "Наука и инновации", "Science and Innovations", "cat-sci"),
    Section("international_activities", "Международная деятельность", "International activities", "cat-int"),
    Section("education", "Образование", "Education", "cat-edu"),
    Section("partnership", "Партнёрство", "Partnership", "cat-part"),
    Section("politech-media", "Политех МЕДИА", "Polytech MEDIA", "cat-media"),
    Section("studencheskaya_zhizn", "Университетская жизнь", "University life", "cat-stud"),
    Section("sport", "Спорт", "Sport", "cat-sport"),
    Section("other", "Другое", "Other", None),
)}
SECTION_BY_LABEL: dict[str, str] = {s.label_class: s.code for s in SECTIONS.values() if s.label_class}
SECTION_BY_NAME: dict[str, str] = {
    name.casefold().replace("ё", "е"): s.code for s in SECTIONS.values() for name in (s.ru, s.en)}

# /media/news/<section_code>/<element_code>/ ; "rss" is the feed, not a section.
ARTICLE_PATH = re.compile(r"/media/news/(?P<section>[\w-]+)/(?P<slug>[^/?#]+)/?$")
SECTION_PATH = re.compile(r"/media/news/(?P<section>[\w-]+)/?$")
NOT_SECTIONS = frozenset({"rss"})

# Listing pages.
LISTING_CARDS = ("div.news-list div.article-item", "div.news-list div.item", "div.article-item", ".article-item")
CARD_LINK = ("h4.article-title a[href]", ".article-title a[href]", "a[href]")
CARD_DATE = (".article-date", ".news-date", ".date")
CARD_LABEL = ".article-tag-label"
PAGER = ("div.pagination", "div.bx-pagination", ".bx-pagination", ".pagination", ".modern-page-navigation")
PAGER_NEXT_CLASSES = ("next", "bx-pag-next", "modern-page-next")
PAGER_NEXT_TEXTS = frozenset({"»", "›", ">", ">>", "след.", "след", "следующая", "next", "next »"})
PAGER_CURRENT = ".bx-active, .active, .current, .modern-page-current, b, strong"

# Article pages.
# Tag-qualified forms first: lxml filters `//div` by name, `//*` walks every node (10x slower on a real page).
NEWS_BLOCK = ("div.news-detail", ".news-detail", "div.news-item", "article")
# Fast path: parse only from this opening tag to its end (pull parser), if that region holds a title and body.
NEWS_BLOCK_START = re.compile(r"""<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bnews-detail\b""", re.I)
TITLE = "h1"
BODY = ("div#content_page", "#content_page", ".content_page")
META = ("div.news-meta", ".news-meta", ".article-meta", ".news-info")
DATE = ("span.news-date", ".news-date", ".article-date", "time", ".date")
SECTION_LINK = ("a.news-section", "a[href*='/media/news/']")
VIEWS = ".news-views, .views, .view-count"
PRINT_LINK = "a.print-link"
PRINT_LINK_TEXTS = ("версия для печати", "print version", "печать", "print")
# Removed from the body fragment before its text is read: never content.
BODY_DROP = (
    "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "nav",
    ".caption", "figcaption", ".news-image-caption", ".print-link-wrap", "a.print-link",
    ".share-buttons", ".share", ".ya-share2", ".related-news", ".news-meta", ".news-views",
    ".pagination", ".bx-pagination", ".breadcrumbs", ".breadcrumb",
)
IMAGE_CONTAINER = (".news-image", "figure", ".detail-picture")
IMAGE_CAPTION = (".caption", "figcaption", ".news-image-caption")
IMAGE_SCOPE_EXTRA = ".detail-picture img"  # a lead picture outside #content_page, if the template has one
IMAGE_PATH_MARK = "/upload/"  # every article image lives under /upload/; icons and logos do not
UPLOAD_IMAGE = re.compile(r"/upload/(?!resize_cache/)\S+\.(?:jpe?g|png|gif|webp|bmp|svg)$", re.I)
# /upload/resize_cache/iblock/abc/800_600_1/1.jpg -> /upload/iblock/abc/1.jpg
RESIZE_CACHE = re.compile(r"/upload/resize_cache/(?P<dir>.+?)/\d+_\d+_\d+/(?P<name>[^/]+)$")

# Print pages: Bitrix's untranslated print template (Russian labels on both hosts).
PRINT_DATE_LABEL = re.compile(r"^\s*(?:Дата публикации|Publication date|Date)\s*:\s*(?P<date>.+?)\s*$", re.I)
PRINT_NAV_TEXTS = ("перейти к новости", "перейти ко всем новостям", "go to news", "go to all news")
PRINT_QUERY_KEYS = frozenset({"print"})

# Dates: the exact formats seen (fast path); anything else goes to dateparser with these languages.
DATE_LANGUAGES = ("ru", "en")
DATE_NUMERIC = re.compile(r"(?<!\d)(?P<y>\d{4})[.\-/](?P<m>\d{1,2})[.\-/](?P<d>\d{1,2})(?!\d)")
DATE_NUMERIC_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)")
TIMEZONE = "Europe/Moscow"
