"""A news source's site as one frozen value, passed down through discovery and extraction.

Like trafilatura's options object: generic code receives the value and never imports a site.
`SiteProfile` holds what a built-in profile knows of a site (paths, pager, selectors, noise, date
forms, sections, time zone); `GENERIC` knows nothing, so every field is found generically.
`Selectors` are the per-source CSS overrides of `[sources.NAME.selectors]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Selectors:
    """CSS selectors of one source; "" means "find it generically"."""

    title: str = ""
    body: str = ""
    date: str = ""
    next_page: str = ""
    drop: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.title or self.body or self.date or self.next_page or self.drop)


@dataclass(frozen=True)
class Section:
    """One news section: its URL code, names in both languages and its listing-card label class."""

    code: str
    ru: str
    en: str
    label_class: str | None = None

    def name(self, lang: str | None) -> str:
        return self.en if lang == "en" else self.ru


_NEVER = re.compile(r"(?!)")  # matches nothing: a generic profile knows no URL shapes


@dataclass(frozen=True, eq=False)
class SiteProfile:
    """Everything a site-aware parser reads about one site; a value, never a module.

    Tuples of selectors list the expected form first, then tolerant fallbacks.
    """

    name: str = ""
    hosts: dict[str, str] = field(default_factory=dict)  # host -> language
    feed_path: str = ""  # the feed below base_url ("" = autodiscover)
    listing_path: str = ""  # the all-news listing below base_url
    sections: dict[str, Section] = field(default_factory=dict)
    article_path: re.Pattern[str] = _NEVER  # groups: section, slug
    section_path: re.Pattern[str] = _NEVER
    not_sections: frozenset[str] = frozenset()
    # listing pages
    listing_cards: tuple[str, ...] = ()
    listing_start: re.Pattern[str] | None = None  # fast path: parse a listing page from this opening tag on
    card_link: tuple[str, ...] = ("a[href]",)
    card_date: tuple[str, ...] = ()
    card_label: str = ""
    pager: tuple[str, ...] = ()
    pager_next_classes: tuple[str, ...] = ()
    pager_next_texts: frozenset[str] = frozenset()
    pager_current: str = ""
    # article pages
    news_block: tuple[str, ...] = ()
    news_block_start: re.Pattern[str] | None = None  # fast path: parse only from this opening tag
    news_block_mark: str = ""  # a literal that tag always holds (its class): found first (dom.start_tag)
    title: str = "h1"
    body: tuple[str, ...] = ()
    meta: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    section_link: tuple[str, ...] = ()
    print_link: str = ""
    print_link_texts: tuple[str, ...] = ()
    body_drop: tuple[str, ...] = ()
    image_container: tuple[str, ...] = ("figure",)
    image_caption: tuple[str, ...] = ("figcaption",)
    image_scope_extra: str = ""
    image_path_mark: str = ""
    upload_image: re.Pattern[str] = _NEVER
    resize_cache: re.Pattern[str] | None = None
    resize_cache_target: str = ""
    # print pages
    print_date_label: re.Pattern[str] = _NEVER
    print_nav_texts: tuple[str, ...] = ()
    print_query_keys: frozenset[str] = frozenset()
    # dates
    timezone: str = "UTC"

    @property
    def has_parsers(self) -> bool:
        """A profile with its own article selectors: its parsers run before the generic chain."""
        return bool(self.body)

    @cached_property
    def section_by_label(self) -> dict[str, str]:
        return {s.label_class: s.code for s in self.sections.values() if s.label_class}

    @cached_property
    def section_by_name(self) -> dict[str, str]:
        return {name.casefold().replace("ё", "е"): s.code for s in self.sections.values() for name in (s.ru, s.en)}


GENERIC = SiteProfile()
