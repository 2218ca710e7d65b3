"""What each host holds in a given state: articles (with their content version), listings, RSS order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import unquote

from tests.replay import content_en, content_ru
from tests.replay.bodies import build_blocks
from tests.replay.model import SECTIONS, Block, Spec, parse_when

PAGE_SIZE = {"ru": 10, "en": 6}
PAGEN = {"ru": "PAGEN_2", "en": "PAGEN_1"}
RSS_SIZE = 20


@dataclass
class Article:
    """One article as a host serves it in one state."""

    spec: Spec
    blocks: tuple[Block, ...]
    modified: datetime
    edited: bool = False          # this article is the one edited in state 2 (in either state)

    @property
    def path(self) -> str:
        return self.spec.path

    @property
    def etag(self) -> str:
        """Strong ETag over the content version only (never the view counter or cache blobs)."""
        digest = self.__dict__.get("_etag")
        if digest is None:
            parts = [self.spec.title, self.spec.section, self.spec.when.isoformat()]
            parts += [f"{b.kind}|{b.html or b.text}|{'|'.join(b.items)}|{b.image}" for b in self.blocks]
            digest = self.__dict__["_etag"] = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:20]
        return f'"{digest}"'


@dataclass
class Host:
    """The articles of one host in one state, newest first, and lookups over them."""

    lang: str
    articles: list[Article]
    by_path: dict[str, Article] = field(default_factory=dict)
    redesign: bool = False        # state 3: the same articles in the 2025 article template (render_2025.py)

    def __post_init__(self) -> None:
        self.articles.sort(key=lambda a: a.spec.when, reverse=True)
        self.by_path = {unquote(a.path): a for a in self.articles}

    @property
    def page_size(self) -> int:
        return PAGE_SIZE[self.lang]

    @property
    def pagen(self) -> str:
        return PAGEN[self.lang]

    def find(self, path: str) -> Article | None:
        return self.by_path.get(unquote(path))

    def listing(self, section: str | None) -> list[Article]:
        cache = self.__dict__.setdefault("_listings", {})
        if section not in cache:
            cache[section] = [a for a in self.articles if section is None or a.spec.section == section]
        return cache[section]

    def pages(self, section: str | None) -> int:
        return max(1, -(-len(self.listing(section)) // self.page_size))

    def page(self, section: str | None, n: int) -> list[Article]:
        size = self.page_size
        return self.listing(section)[(n - 1) * size:n * size]

    def rss(self) -> list[Article]:
        return self.articles[:RSS_SIZE]

    def older_in_section(self, article: Article, count: int = 3) -> list[Article]:
        """Related news: the previous items of the same section (stable when newer items appear)."""
        older = [a for a in self.listing(article.spec.section) if a.spec.when < article.spec.when]
        return older[:count]


def apply_edit(blocks: tuple[Block, ...], old: str, new: str) -> tuple[Block, ...]:
    """The blocks with one sentence replaced (the state-2 edit)."""
    out, done = [], False
    for block in blocks:
        if not done and old in block.text and block.html is None:
            block, done = replace(block, text=block.text.replace(old, new)), True
        out.append(block)
    if not done:
        raise ValueError(f"edit target not found: {old!r}")
    return tuple(out)


def build_host(lang: str, specs: list[Spec], edit: tuple[str, str, str, str] | None, state: int) -> Host:
    """The host's articles visible in `state`, with the edit applied from state 2 (state 3 = 2, redesigned)."""
    articles = []
    for spec in specs:
        if spec.state > state:
            continue
        blocks, modified, edited = build_blocks(spec), spec.when, False
        if edit and spec.slug == edit[0]:
            edited = True
            if state >= 2:
                blocks, modified = apply_edit(blocks, edit[1], edit[2]), parse_when(edit[3])
        articles.append(Article(spec, blocks, modified, edited))
    return Host(lang, articles, redesign=state >= 3)


def build_hosts(state: int, scale: int | None = None) -> dict[str, Host]:
    """Both hosts in `state`; with `scale`, the Russian host holds N generated articles instead."""
    if scale:
        from tests.replay.scale import scale_edit, scale_specs
        generated = scale_specs(scale)
        ru_specs, ru_edit = generated + content_ru.STATE2, scale_edit(generated)
    else:
        ru_specs, ru_edit = content_ru.ARTICLES, content_ru.EDIT
    return {"ru": build_host("ru", ru_specs, ru_edit, state),
            "en": build_host("en", content_en.ARTICLES, content_en.EDIT, state)}


def section_codes() -> list[str]:
    return list(SECTIONS)
