"""Topics: named, configurable rule sets that say whether an article is, e.g., cooperation news.

A topic scores an article from evidence and matches when the score reaches its threshold:
- a term (one word) counts once however often it occurs; it matches every word form with the
  same Snowball stem (`storage.fts.stem_word`, the stemmer of the search index), so `соглашение`
  finds `соглашении`. `prefix*` matches words that start with the prefix instead (`визит*`, where
  the stemmer cuts `визит` to `виз`). `term^2` gives a term weight 2 (default 1);
- a phrase (several words) matches the same stems in a row and weighs PHRASE_WEIGHT;
- a term found in the title adds TITLE_BONUS;
- the article's section among `sections` adds `section_weight`.
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
from typing import Any

from monitor.config import Config
from storage.fts import WORD, stem_word

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
    """One configured word: its text as written, the key it matches and its weight."""

    text: str
    key: str
    prefix: bool
    weight: float

    @classmethod
    def parse(cls, spec: str) -> Term:
        text, _, weight = spec.strip().partition("^")
        prefix = text.endswith("*")
        word = text.rstrip("*").lower().replace("ё", "е")
        return cls(text, word if prefix else stem_word(word), prefix, float(weight or 1))


@dataclass
class Document:
    """An article's words prepared once for every topic: stems, raw words, title stems."""

    stems: set[str]
    joined: str  # all stems in order, space-separated and padded, for phrase search
    words: set[str]
    title_stems: set[str]
    title_words: set[str]
    section: str | None

    @classmethod
    def of(cls, title: str, body: str, section: str | None = None, section_name: str | None = None) -> Document:
        if section_name:
            body = (body or "").replace(section_name, " ")
        title_words = [w.lower().replace("ё", "е") for w in WORD.findall(title or "")]
        body_words = [w.lower().replace("ё", "е") for w in WORD.findall(body or "")]
        stems = [stem_word(w) for w in title_words + body_words]
        return cls(set(stems), f" {' '.join(stems)} ", set(title_words + body_words),
                   {stem_word(w) for w in title_words}, set(title_words), section)

    def has(self, term: Term) -> tuple[bool, bool]:
        """(anywhere, in the title) for one term."""
        if term.prefix:
            return (any(w.startswith(term.key) for w in self.words),
                    any(w.startswith(term.key) for w in self.title_words))
        return term.key in self.stems, term.key in self.title_stems


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
    phrases: list[tuple[str, str]]  # (text as written, stems joined by spaces)
    sections: list[str]
    threshold: float = 2.0
    section_weight: float = 1.0

    def match(self, doc: Document) -> Match:
        score, found = 0.0, []
        for term in self.terms:
            anywhere, in_title = doc.has(term)
            if anywhere:
                score += term.weight + (TITLE_BONUS if in_title else 0.0)
                found.append(term.text)
        for text, stems in self.phrases:
            if f" {stems} " in doc.joined:
                score += PHRASE_WEIGHT
                found.append(text)
        if doc.section and any(fnmatch.fnmatchcase(doc.section.lower(), s) for s in self.sections):
            score += self.section_weight
            found.append(f"section:{doc.section}")
        return Match(self.name, round(score, 3), score >= self.threshold, found)


def _phrase(text: str) -> tuple[str, str]:
    return text, " ".join(stem_word(w) for w in WORD.findall(text))


def build_topic(name: str, spec: dict[str, Any]) -> Topic:
    """A Topic from a merged spec (the keys of [topics.NAME] without add/remove)."""
    return Topic(
        name=name,
        label=spec.get("label") or name,
        terms=[Term.parse(t) for t in spec.get("terms", []) if t.strip()],
        phrases=[_phrase(p) for p in spec.get("phrases", []) if WORD.search(p)],
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
