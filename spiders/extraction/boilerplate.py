"""Per-source chrome, learned from the crawl: text blocks that recur across many of one source's pages.

Share bars, "Читайте также", cookie notices, subscription prompts, address footers and a press office's
standard closing sentence repeat on most pages of a source, whatever markup holds them, so they are
found by text, not by selector. A block (normalised: case, whitespace, digits) is chrome once the model
has seen `min_pages` pages and the block was on at least `fraction` of them (a lower bar at the edges of
a body, where chrome sits). A built-in list of universal phrases catches chrome before enough pages are
seen. The model is a JSON-able dict: the caller stores it per source.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_DIGITS = re.compile(r"\d+")
_EDGE_PUNCT = " \t.,:;!?…—–-|•·*«»\"'()[]"
# Whole blocks that are chrome on any site, normalised (digits as 0).
UNIVERSAL_BLOCKS = frozenset({
    "поделиться", "поделитесь", "поделиться в соцсетях", "поделиться новостью", "читайте также", "читать также",
    "смотрите также", "см. также", "похожие новости", "другие новости", "последние новости", "все новости",
    "вернуться к списку новостей", "назад к списку новостей", "возврат к списку", "вернуться к списку",
    "назад к списку", "назад к новостям", "к списку новостей", "назад",
    "версия для печати", "распечатать", "печать", "подробнее", "читать далее", "читать полностью",
    "комментарии", "оставить комментарий", "теги", "метки", "просмотров", "просмотры", "нашли ошибку",
    "подписаться", "подпишитесь", "принять", "согласен", "понятно", "ok", "share", "share this", "share this article",
    "share on facebook", "share on twitter", "tweet", "read also", "read more", "see also", "related news",
    "related articles", "related posts", "more news", "latest news", "all news", "back to news",
    "back to news list", "print", "print version", "print this page", "tags", "comments", "leave a comment",
    "leave a reply", "subscribe", "accept", "accept all", "i agree", "got it", "views", "просмотров 0", "views 0",
})
# Blocks starting with these (and short) are chrome: cookie notices, subscription prompts, share prompts.
UNIVERSAL_PREFIXES = (
    "мы используем файлы cookie", "мы используем cookie", "этот сайт использует", "сайт использует файлы cookie",
    "продолжая использовать сайт", "подпишитесь на", "подписывайтесь на", "поделиться:", "читайте также:",
    "читайте нас в", "теги:", "источник:", "фото:", "текст:", "метки:", "источник фото", "просмотров:", "нашли ошибку",
    "we use cookies", "this website uses cookies", "this site uses cookies", "by continuing to use",
    "subscribe to our", "sign up for our", "share this", "share:", "read also:", "related:", "tags:",
    "follow us on", "views:", "source:", "photo:")
_PREFIX_MAX = 300
_SHORT, _SHORT_FRACTION = 40, 0.8  # a short line inside a body is chrome only if (nearly) every page has it  # a longer block starting with a prefix is prose that happens to begin so


def normalise(block: str) -> str:
    """The comparison key of a block: casefolded, ё = е, digits as 0, whitespace folded, edge punctuation off."""
    text = " ".join(block.casefold().replace("ё", "е").split())
    return _DIGITS.sub("0", text).strip(_EDGE_PUNCT)


def universal(block: str) -> bool:
    """Whether a block is chrome on any site (the prior, trusted from the first page)."""
    key = normalise(block)
    if key in UNIVERSAL_BLOCKS:
        return True
    folded = " ".join(block.casefold().replace("ё", "е").split())
    return len(folded) <= _PREFIX_MAX and folded.startswith(UNIVERSAL_PREFIXES)


def _page_id(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=6).hexdigest()


@dataclass
class Boilerplate:
    """Counts of normalised blocks over the pages seen of one source."""

    min_pages: int = 5
    fraction: float = 0.8  # chrome repeats on (nearly) every page; content templates rarely reach this
    edge_fraction: float = 0.5  # first and last blocks: sign-offs and "more news in ..." lines
    stay: float = 0.5  # a block once judged chrome stays chrome while its share is above stay * threshold
    edge: int = 2
    max_blocks: int = 5000
    max_seen: int = 5000
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    chrome: set[str] = field(default_factory=set)  # blocks judged chrome: decisions are sticky, so a block
    # whose share wobbles around a threshold never flips in and out of bodies (a spurious change each time)
    _seen: set[str] = field(default_factory=set, repr=False, compare=False)

    @property
    def trusted(self) -> bool:
        """Whether enough pages were seen for counts to mean anything."""
        return self.pages >= self.min_pages

    def learn(self, page: str, blocks: Iterable[str]) -> bool:
        """Count the blocks of one page (its URL or id); a page already seen counts once. True if counted.

        Give the blocks before filtering: a block learnt as chrome must keep being counted, or its
        share would decay and it would come back.
        """
        ident = _page_id(page)
        if len(self._seen) != len(self.seen):
            self._seen = set(self.seen)
        if ident in self._seen:
            return False
        self.seen.append(ident)
        self._seen.add(ident)
        if len(self.seen) > self.max_seen:
            del self.seen[: len(self.seen) - self.max_seen]
            self._seen = set(self.seen)
        self.pages += 1
        for key in {normalise(b) for b in blocks if b and b.strip()}:
            if key:
                self.counts[key] = self.counts.get(key, 0) + 1
        if len(self.counts) > self.max_blocks:
            self._forget()
        return True

    def _forget(self) -> None:
        """Keep memory flat: drop blocks seen once (an article's own paragraphs), then the rarest."""
        keep = sorted(self.counts.items(), key=lambda item: item[1], reverse=True)[: self.max_blocks // 2]
        self.counts = {key: count for key, count in keep if count > 1}

    def share(self, block: str) -> float:
        """On what fraction of the pages seen this block appeared."""
        return self.counts.get(normalise(block), 0) / self.pages if self.pages else 0.0

    def is_chrome(self, block: str, at_edge: bool = False) -> bool:
        """Whether a block is chrome: universal, or learnt (frequent enough among trusted counts).

        Chrome sits at the edges of a body, so a lower share suffices there. Inside the body a short line
        ("Программа", "Контакты") may be a subheading many articles share: it must be on nearly every page.
        """
        if universal(block):
            return True
        if not self.trusted:
            return False
        if at_edge:
            needed = self.edge_fraction
        else:
            needed = self.fraction if len(block) >= _SHORT else max(self.fraction, _SHORT_FRACTION)
        key, share = normalise(block), self.share(block)
        if share >= needed:
            self.chrome.add(key)
            return True
        return key in self.chrome and share >= self.stay * needed

    def filter(self, blocks: list[str]) -> list[str]:
        """The blocks that are not chrome, in order."""
        last = len(blocks) - 1
        return [b for i, b in enumerate(blocks)
                if not self.is_chrome(b, at_edge=i < self.edge or last - i < self.edge)]

    def to_dict(self) -> dict:
        """A JSON-able form for the caller to store (memory stays flat through `max_blocks`)."""
        return {"version": 1, "min_pages": self.min_pages, "fraction": self.fraction,
                "edge_fraction": self.edge_fraction, "edge": self.edge, "pages": self.pages,
                "counts": dict(self.counts), "seen": list(self.seen), "chrome": sorted(self.chrome)}

    @classmethod
    def from_dict(cls, data: dict | None) -> Boilerplate:
        """The model `to_dict` stored; an empty or foreign dict gives a fresh model."""
        if not isinstance(data, dict) or data.get("version") != 1:
            return cls()
        return cls(min_pages=int(data.get("min_pages", 5)), fraction=float(data.get("fraction", 0.8)),
                   edge_fraction=float(data.get("edge_fraction", 0.5)), edge=int(data.get("edge", 2)),
                   pages=int(data.get("pages", 0)), counts=dict(data.get("counts", {})),
                   seen=list(data.get("seen", [])), chrome=set(data.get("chrome", [])))


def filter_universal(blocks: list[str]) -> list[str]:
    """The blocks without universal chrome: what is possible before any page of a source is seen."""
    return [b for b in blocks if not universal(b)]
