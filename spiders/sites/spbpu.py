"""SPbPU's site profile: hosts, sections, selectors, labels and date forms of www.spbstu.ru and
english.spbstu.ru, as one value.

A markup change on the site should be a change to this file only. "Seen" and "inferred" follow
docs/site-model.md; selectors list the contract's form first, then tolerant fallbacks for what the
real site may serve instead. Generic code never imports this module: it is reached by name through
`spiders.sites.profile("spbpu")` from `[sources.NAME] profile`.
"""

from __future__ import annotations

import re

from spiders.profile import Section, SiteProfile

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

# The two built-in sources this profile reads (monitor/config.py's defaults; overridable per key).
SOURCES = {
    "spbpu-ru": {"base_url": "https://www.spbstu.ru", "lang": "ru", "profile": "spbpu"},
    "spbpu-en": {"base_url": "https://english.spbstu.ru", "lang": "en", "profile": "spbpu"},
}

PROFILE = SiteProfile(
    name="spbpu",
    hosts={"www.spbstu.ru": "ru", "spbstu.ru": "ru", "english.spbstu.ru": "en"},
    feed_path="/media/news/rss/",
    listing_path="/media/news/",
    sections=SECTIONS,
    # /media/news/<section_code>/<element_code>/ ; "rss" is the feed, not a section.
    article_path=re.compile(r"/media/news/(?P<section>[\w-]+)/(?P<slug>[^/?#]+)/?$"),
    section_path=re.compile(r"/media/news/(?P<section>[\w-]+)/?$"),
    not_sections=frozenset({"rss"}),
    listing_cards=("div.news-list div.article-item", "div.news-list div.item", "div.article-item", ".article-item"),
    # The list and its pager close the page's content (~10 KB after ~140 KB of header and menus).
    listing_start=re.compile(r"""<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\b(?:news-list|article-item)\b""", re.I),
    card_link=("h4.article-title a[href]", ".article-title a[href]", "a[href]"),
    card_date=(".article-date", ".news-date", ".date"),
    card_label=".article-tag-label",
    pager=("div.pagination", "div.bx-pagination", ".bx-pagination", ".pagination", ".modern-page-navigation"),
    pager_next_classes=("next", "bx-pag-next", "modern-page-next"),
    pager_next_texts=frozenset({"»", "›", ">", ">>", "след.", "след", "следующая", "next", "next »"}),
    pager_current=".bx-active, .active, .current, .modern-page-current, b, strong",
    # Tag-qualified forms first: lxml filters `//div` by name, `//*` walks every node (10x slower on a real page).
    news_block=("div.news-detail", ".news-detail", "div.news-item", "article"),
    news_block_start=re.compile(r"""<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bnews-detail\b""", re.I),
    news_block_mark="news-detail",
    title="h1",
    body=("div#content_page", "#content_page", ".content_page"),
    meta=("div.news-meta", ".news-meta", ".article-meta", ".news-info"),
    date=("span.news-date", ".news-date", ".article-date", "time", ".date"),
    section_link=("a.news-section", "a[href*='/media/news/']"),
    print_link="a.print-link",
    print_link_texts=("версия для печати", "print version", "печать", "print"),
    # Removed from the body fragment before its text is read: never content.
    body_drop=(
        "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "nav",
        ".caption", "figcaption", ".news-image-caption", ".print-link-wrap", "a.print-link",
        ".share-buttons", ".share", ".ya-share2", ".related-news", ".news-meta", ".news-views",
        ".pagination", ".bx-pagination", ".breadcrumbs", ".breadcrumb",
    ),
    image_container=(".news-image", "figure", ".detail-picture"),
    image_caption=(".caption", "figcaption", ".news-image-caption"),
    image_scope_extra=".detail-picture img",  # a lead picture outside #content_page, if the template has one
    image_path_mark="/upload/",  # every article image lives under /upload/; icons and logos do not
    upload_image=re.compile(r"/upload/(?!resize_cache/)\S+\.(?:jpe?g|png|gif|webp|bmp|svg)$", re.I),
    # /upload/resize_cache/iblock/abc/800_600_1/1.jpg -> /upload/iblock/abc/1.jpg
    resize_cache=re.compile(r"/upload/resize_cache/(?P<dir>.+?)/\d+_\d+_\d+/(?P<name>[^/]+)$"),
    resize_cache_target=r"/upload/\g<dir>/\g<name>",
    # Print pages: Bitrix's untranslated print template (Russian labels on both hosts).
    print_date_label=re.compile(r"^\s*(?:Дата публикации|Publication date|Date)\s*:\s*(?P<date>.+?)\s*$", re.I),
    print_nav_texts=("перейти к новости", "перейти ко всем новостям", "go to news", "go to all news"),
    print_query_keys=frozenset({"print"}),
    timezone="Europe/Moscow",
)
