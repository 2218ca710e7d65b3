"""The model of the other universities' replays (WordPress-like `wp`, Drupal-like `drupal`): specs, bodies, states.

A site is described by a `SiteDesc` (content_wp.py, content_drupal.py); `build_corpus(desc, state)` gives the
articles one state serves. Bodies reuse the SPbPU sentence templates (phrases_*.py) with the university's names
swapped in by the site's `rebrand` rules, so cooperation news reads like cooperation news to the topic matcher.
"""

from __future__ import annotations

import hashlib
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from tests.replay import phrases_en, phrases_ru
from tests.replay.model import Block, Image


@dataclass(frozen=True)
class UniSpec:
    """One article: where it lives, what it is about, and from which state on it exists."""

    slug: str
    title: str
    when: datetime                 # aware, in the site's own time zone
    kind: str                      # a key of phrases_*.KINDS
    coop: bool
    category: str                  # a key of the site's categories
    node: int                      # the CMS id (WordPress post id, Drupal nid)
    params: tuple[tuple[str, str], ...] = ()
    extra: tuple[str, ...] = ()    # explicit paragraphs after the first one (the state-2 edit targets one)
    state: int = 1
    alias: bool = True             # Drupal: /news/<slug>; False: only /node/<nid>


@dataclass(frozen=True)
class SiteDesc:
    """Everything that makes one replay university: names, categories, articles, the edit, chrome phrases."""

    label: str
    lang: str
    name: str
    specs: tuple[UniSpec, ...]
    categories: dict[str, str]     # code -> display name
    rebrand: tuple[tuple[str, str], ...]
    edit: tuple[str, str, str, datetime]   # slug, old sentence, new sentence, edit time
    path_of: Callable[[UniSpec], str]   # the article's URL path
    chrome_phrases: tuple[str, ...]
    page_size: int = 10


@dataclass
class UniArticle:
    """One article as the site serves it in one state."""

    spec: UniSpec
    path: str
    blocks: tuple[Block, ...]
    modified: datetime
    edited: bool = False

    @property
    def images(self) -> list[Image]:
        return [b.image for b in self.blocks if b.image]

    @property
    def digest(self) -> str:
        """A content hash (title, date, blocks): what a content-based ETag is made of."""
        parts = [self.spec.title, self.spec.when.isoformat(), self.modified.isoformat()]
        parts += [f"{b.kind}|{b.text}|{'|'.join(b.items)}|{b.image}" for b in self.blocks]
        return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass
class Corpus:
    """The articles of a site in one state, newest first, with the lookups pages need."""

    desc: SiteDesc
    state: int
    articles: list[UniArticle]
    by_path: dict[str, UniArticle] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.articles.sort(key=lambda a: a.spec.when, reverse=True)
        self.by_path = {a.path: a for a in self.articles}

    def pages(self, items: list[UniArticle] | None = None) -> int:
        count = len(self.articles if items is None else items)
        return max(1, -(-count // self.desc.page_size))

    def page(self, n: int, items: list[UniArticle] | None = None) -> list[UniArticle]:
        """Page n (1-based) of `items` (default: all articles)."""
        size = self.desc.page_size
        return (self.articles if items is None else items)[(n - 1) * size:n * size]

    def in_category(self, code: str) -> list[UniArticle]:
        return [a for a in self.articles if a.spec.category == code]

    def recent(self, count: int = 5) -> list[UniArticle]:
        return self.articles[:count]

    def related(self, article: UniArticle, count: int = 3) -> list[UniArticle]:
        """Older items of the same category (stable when newer items appear)."""
        older = [a for a in self.in_category(article.spec.category) if a.spec.when < article.spec.when]
        return older[:count]

    def neighbours(self, article: UniArticle) -> tuple[UniArticle | None, UniArticle | None]:
        """(previous = older, next = newer) post, as WordPress's post navigation shows them."""
        i = self.articles.index(article)
        older = self.articles[i + 1] if i + 1 < len(self.articles) else None
        newer = self.articles[i - 1] if i > 0 else None
        return older, newer

    @property
    def newest(self) -> datetime:
        return max(a.modified for a in self.articles)


def rebrand(text: str, rules: tuple[tuple[str, str], ...]) -> str:
    """The SPbPU template text with the site's own names (rules are regexes, applied in order)."""
    for pattern, repl in rules:
        text = _compiled(pattern).sub(repl, text)
    return text


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def image_path(desc: SiteDesc, spec: UniSpec, n: int) -> str:
    """An upload path in the CMS's own shape."""
    tag = zlib.crc32(f"{spec.slug}/{n}".encode()) % 10000
    if desc.label == "wp":
        return f"/wp-content/uploads/{spec.when:%Y/%m}/{spec.slug[:40]}-{n}-{tag}.jpg"
    return f"/sites/default/files/news/{spec.when:%Y-%m}/foto-{spec.node}-{n}-{tag}.jpg"


def build_blocks(desc: SiteDesc, spec: UniSpec) -> tuple[Block, ...]:
    """Lead, first figure, paragraphs, maybe a heading, list, quote and second figure: seeded per slug."""
    mod = phrases_ru if desc.lang == "ru" else phrases_en
    kind = mod.KINDS[spec.kind]
    params = dict(mod.DEFAULTS)
    params.update(mod.PARTNERS.get(dict(spec.params).get("partner", ""), {}))
    params.update(dict(spec.params))
    rng = random.Random(zlib.crc32(f"{desc.label}:{spec.slug}".encode()))

    def fill(template: str) -> str:
        return rebrand(template.format_map(params), desc.rebrand)

    captions = [fill(c) for c in kind["caption"]]
    blocks = [Block("lead", fill(rng.choice(kind["lead"]))),
              Block("img", image=Image(image_path(desc, spec, 1), captions[0]))]
    paras = [fill(t) for t in rng.sample(kind["p"], k=min(len(kind["p"]), rng.randint(3, 5)))]
    blocks.append(Block("p", paras.pop(0)))
    blocks += [Block("p", text) for text in spec.extra]
    if rng.random() < 0.6:
        blocks += [Block("h2", fill(rng.choice(kind["h"]))), Block("p", paras.pop(0))]
    if rng.random() < 0.5:
        items = tuple(fill(i) for i in rng.sample(kind["items"], k=min(3, len(kind["items"]))))
        blocks += [Block("p", "Highlights:" if desc.lang == "en" else "Главное:"), Block("ul", items=items)]
    if rng.random() < 0.5:
        blocks.append(Block("quote", fill(rng.choice(kind["quote"]))))
    blocks += [Block("p", p) for p in paras]
    if rng.random() < 0.6:
        blocks.append(Block("img", image=Image(image_path(desc, spec, 2), captions[1 % len(captions)])))
    return tuple(blocks)


def _edited(blocks: tuple[Block, ...], old: str, new: str) -> tuple[Block, ...]:
    out, done = [], False
    for block in blocks:
        if not done and block.kind == "p" and old in block.text:
            block, done = replace(block, text=block.text.replace(old, new)), True
        out.append(block)
    if not done:
        raise ValueError(f"edit target not found: {old!r}")
    return tuple(out)


_CACHE: dict[tuple[str, int], Corpus] = {}


def build_corpus(desc: SiteDesc, state: int) -> Corpus:
    """The site's articles in `state` (3 is 2: only SPbPU has a redesign); cached per site and state."""
    state = min(state, 2)
    key = (desc.label, state)
    if key not in _CACHE:
        slug, old, new, when = desc.edit
        articles = []
        for spec in desc.specs:
            if spec.state > state:
                continue
            blocks, modified, edited = build_blocks(desc, spec), spec.when, spec.slug == slug
            if edited and state >= 2:
                blocks, modified = _edited(blocks, old, new), when
            articles.append(UniArticle(spec, desc.path_of(spec), blocks, modified, edited))
        _CACHE[key] = Corpus(desc, state, articles)
    return _CACHE[key]
