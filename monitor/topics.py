"""Topics: named, configurable rule sets that say whether an article is, e.g., cooperation news.

A topic scores an article from evidence and matches when the score reaches its threshold:
- a term (one word) counts once however often it occurs; it matches every word form sharing a lemma
  with it (`storage.lemmas`, the normaliser of the search index), so `соглашение` finds `соглашении`
  and `Китай` finds `Китаем`. `prefix*` matches words that start with the prefix instead (`визит*`).
  `term^2` gives a term weight 2 (default 1);
- a phrase (several words) matches words in a row, each sharing a lemma with the phrase's word in its
  place, and weighs PHRASE_WEIGHT;
- a term found in the title adds TITLE_BONUS;
- the article's section among `sections` adds `section_weight`.
The matched terms recorded (emails, `newsmon show`) are the article's words as written there, e.g. «Китаем».
The section's own display name in the text ("Больше новостей — в разделе «Партнёрство»") is navigation,
not evidence: it is removed before matching.

Config: `[topics.cooperation]` with `add = [...]` / `remove = [...]` edits the built-in topic (words go to
terms, several words to phrases, `section:<code>` to sections); `terms`, `phrases`, `sections`,
`threshold`, `section_weight`, `label` replace. Any other `[topics.NAME]` defines a new topic.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from monitor.config import Config
from storage.lemmas import WORD, fold, keys, query_keys

PHRASE_WEIGHT = 2.0
TITLE_BONUS = 0.5

COOPERATION: dict[str, Any] = {
    "label": "cooperation",
    "terms": [
        "сотрудничество", "сотрудничать", "соглашение", "меморандум^2", "партнёрство", "партнёр*",
        "совместный", "делегация", "визит*", "договор", "консорциум", "альянс",
        "cooperation", "collaboration", "partnership", "agreement", "memorandum^2", "mou^2",
        "partner", "joint", "delegation", "visit", "consortium", "alliance",
    ],
    "phrases": [
        "международное сотрудничество", "соглашение о сотрудничестве", "подписали соглашение",
        "меморандум о взаимопонимании", "стратегическое партнерство", "совместная программа",
        "international cooperation", "memorandum of understanding", "signed an agreement",
        "strategic partnership", "co-operation", "joint research", "joint programme", "joint program",
    ],
    # Section codes as evidence, as glob patterns: any site's "international..." or "...partner..." section.
    "sections": ["international*", "*partner*", "*cooperation*", "*collaboration*", "междунар*", "*партн*",
                 "*сотрудн*"],
    "threshold": 2.5,
    "section_weight": 1.0,
}
BUILTIN: dict[str, dict[str, Any]] = {"cooperation": COOPERATION}


@dataclass(frozen=True)
class Term:
    """One configured word: its text as written, the word (or prefix) it matches and its weight."""

    text: str
    word: str
    prefix: bool
    weight: float

    @classmethod
    def parse(cls, spec: str) -> Term:
        text, _, weight = spec.strip().partition("^")
        prefix = text.endswith("*")
        word = text.rstrip("*")
        return cls(text, fold(word) if prefix else word, prefix, float(weight or 1))

    @cached_property
    def keys(self) -> frozenset[str]:
        """The lemmas (or the prefix) to look for, on first use: loading topics loads no dictionary, so a
        crawl that stores nothing, and the daemon, never pay for one."""
        return frozenset([self.word]) if self.prefix else frozenset(query_keys(self.word))


@dataclass(frozen=True)
class Phrase:
    """Several configured words: matched word by word, each by its lemmas (computed on first use)."""

    text: str

    @cached_property
    def run(self) -> list[frozenset[str]]:
        return [frozenset(query_keys(w)) for w in WORD.findall(self.text)]


@dataclass
class Document:
    """An article's words prepared once for every topic: as written, their keys, where each key occurs."""

    words: list[str]
    keys: list[tuple[str, ...]]
    title_len: int
    positions: dict[str, list[int]]
    section: str | None
    latin: bool = False
    folded: list[str] = field(default_factory=list)  # the words in lower case, ё as е (prefix terms)

    @classmethod
    def of(cls, title: str, body: str, section: str | None = None, section_name: str | None = None) -> Document:
        if section_name:
            body = (body or "").replace(section_name, " ")
        title_words = WORD.findall(title or "")
        found = title_words + WORD.findall(body or "")
        word_keys = [keys(w) for w in found]
        positions: dict[str, list[int]] = {}
        for i, ks in enumerate(word_keys):
            for k in ks:
                positions.setdefault(k, []).append(i)
        return cls(found, word_keys, len(title_words), positions, section,
                   any(w.isascii() and not w.isdigit() for w in found), [fold(w) for w in found])

    def first(self, term: Term) -> tuple[str | None, bool]:
        """The first article word the term matches, as written, and whether the title holds one."""
        if not term.prefix and term.word.isascii() and not self.latin:
            return None, False  # an English term, an article without Latin words: no English table to load
        if term.prefix:
            prefix = term.word
            first = next((i for i, w in enumerate(self.folded) if w.startswith(prefix)), None)
        else:
            first = min((i for k in term.keys for i in self.positions.get(k, ())), default=None)
        if first is None:
            return None, False
        return self.words[first], first < self.title_len

    def has(self, term: Term) -> tuple[bool, bool]:
        """(anywhere, in the title) for one term."""
        word, in_title = self.first(term)
        return word is not None, in_title

    def phrase(self, run: list[frozenset[str]]) -> str | None:
        """The article's words (as written) where the phrase's words follow each other, each by a lemma."""
        for start in sorted({i for k in run[0] for i in self.positions.get(k, ())}):
            end = start + len(run)
            if end <= len(self.words) and all(run[j].intersection(self.keys[start + j]) for j in range(len(run))):
                return " ".join(self.words[start:end])
        return None


@dataclass
class Match:
    """How one topic scored one article, and by which evidence."""

    topic: str
    score: float
    matched: bool
    terms: list[str] = field(default_factory=list)

    def terms_json(self) -> str:
        return json.dumps(self.terms, ensure_ascii=False)


@dataclass
class Topic:
    """A named rule set: weighted terms, phrases, sections and the threshold the score must reach."""

    name: str
    label: str
    terms: list[Term]
    phrases: list[Phrase]
    sections: list[str]
    threshold: float = 2.0
    section_weight: float = 1.0

    def match(self, doc: Document) -> Match:
        score, found = 0.0, []
        for term in self.terms:
            word, in_title = doc.first(term)
            if word is not None:
                score += term.weight + (TITLE_BONUS if in_title else 0.0)
                found.append(word)
        for phrase in self.phrases:
            if phrase.text.isascii() and not doc.latin:
                continue
            if (words := doc.phrase(phrase.run)) is not None:
                score += PHRASE_WEIGHT
                found.append(words)
        if doc.section and any(fnmatch.fnmatchcase(doc.section.lower(), s) for s in self.sections):
            score += self.section_weight
            found.append(f"section:{doc.section}")
        return Match(self.name, round(score, 3), score >= self.threshold, list(dict.fromkeys(found)))


def build_topic(name: str, spec: dict[str, Any]) -> Topic:
    """A Topic from a merged spec (the keys of [topics.NAME] without add/remove)."""
    return Topic(
        name=name,
        label=spec.get("label") or name,
        terms=[Term.parse(t) for t in spec.get("terms", []) if t.strip()],
        phrases=[Phrase(p) for p in spec.get("phrases", []) if WORD.search(p)],
        sections=list(spec.get("sections", [])),
        threshold=float(spec.get("threshold", 2.0)),
        section_weight=float(spec.get("section_weight", 1.0)),
    )


def _edit(spec: dict[str, Any], table: dict[str, Any]) -> dict[str, Any]:
    """Apply a [topics.NAME] table to a spec: replace keys, then add and remove entries."""
    spec = {**spec, **{k: v for k, v in table.items() if k not in ("add", "remove")}}
    spec = {k: list(v) if isinstance(v, list) else v for k, v in spec.items()}
    for entry in table.get("add", []):
        key, value = _slot(entry)
        spec.setdefault(key, []).append(value)
    for entry in table.get("remove", []):
        key, value = _slot(entry)
        spec[key] = [v for v in spec.get(key, []) if _differs(v, value)]
    return spec


def _slot(entry: str) -> tuple[str, str]:
    entry = entry.strip()
    if entry.startswith("section:"):
        return "sections", entry.removeprefix("section:")
    return ("phrases" if len(WORD.findall(entry)) > 1 and not entry.endswith("*") else "terms"), entry


def _differs(kept: str, removed: str) -> bool:
    """True when `kept` is not the entry `removed` names (weights, case and ё/е ignored)."""
    def norm(s: str) -> str:
        return s.partition("^")[0].strip().lower().replace("ё", "е")
    return norm(kept) != norm(removed)


def load_topics(config: Config) -> dict[str, Topic]:
    """Built-in topics edited by the config, plus the topics the config defines."""
    tables = config.section("topics")
    topics = {}
    for name in {**BUILTIN, **tables}:
        spec = _edit(BUILTIN.get(name, {}), tables.get(name, {}))
        topics[name] = build_topic(name, spec)
    return topics


def match_article(topics: Iterable[Topic], title: str, body: str, section: str | None,
                  section_name: str | None = None) -> list[Match]:
    """The topics an article matches, with their scores and terms."""
    doc = Document.of(title, body, section, section_name)
    return [m for m in (t.match(doc) for t in topics) if m.matched]
