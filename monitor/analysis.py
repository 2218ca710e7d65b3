"""An article's analysis, done where its page is parsed: the search index's texts and the topics it matches.

A crawl whose article pages are parsed in worker processes (spiders.parsing.pool) has them analysed there
too, so the crawl's own process neither loads the word-form dictionaries nor folds every word: the item
carries an `Analysis` to the archive. The archive uses it only when it `fits` what is stored (the same
normalised title, body and section) and, for topics, only when it was matched against the same topic
definitions; otherwise `storage.fts` and `monitor.alerts` compute both as they always do. So an analysis
can only save work, never change what is archived.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import astuple, dataclass
from typing import Any

from monitor import config as config_mod
from monitor.topics import Match, Topic, load_topics, match_article
from storage.diff import normalise_line, normalise_text
from storage.lemmas import index_texts


@dataclass(frozen=True)
class Analysis:
    """The index texts (storage.fts) and topic matches of one article's normalised text."""

    title: str
    body: str
    section: str | None
    section_name: str | None
    texts: tuple[str, str, str]
    matches: tuple[Match, ...]
    topics: str  # topics_digest() of the topics matched

    def fits(self, row: Mapping[str, Any]) -> bool:
        """True when `row` (the columns being stored) holds exactly the text this analysis read."""
        return (row["title"] == self.title and row["body"] == self.body
                and row.get("section") == self.section and row.get("section_name") == self.section_name)


def topics_digest(topics: Mapping[str, Topic]) -> str:
    """What the topic definitions say (names, terms, weights, phrases, sections, thresholds), as a digest."""
    return hashlib.sha256(repr(sorted(astuple(t) for t in topics.values())).encode()).hexdigest()


@dataclass(frozen=True)
class TopicRules:
    """A crawl's topics with their digest: what its workers match the pages they read against."""

    topics: dict[str, Topic]
    digest: str

    @classmethod
    def of(cls, topics: dict[str, Topic]) -> TopicRules:
        return cls(topics, topics_digest(topics))


def analyse(title: str | None, body: str | None, section: str | None, section_name: str | None,
            rules: TopicRules) -> Analysis:
    """The analysis of an article's fields as parsed, normalised as the NormalisePipeline will."""
    title, body = normalise_line(title), normalise_text(body)
    section_name = normalise_line(section_name) or None
    matches = match_article(rules.topics.values(), title, body, section, section_name)
    return Analysis(title, body, section, section_name, index_texts(title, body), tuple(matches), rules.digest)


_RULES: dict[int, tuple[Any, TopicRules]] = {}  # id(config) -> (config, its topic rules)


def crawl_topics(settings: Any) -> TopicRules:
    """The topic rules of the config a crawl's settings came from (as the archive pipeline loads them). The
    spiders of a batch share one config (monitor.config.share), so they share one rules object too: each
    worker unpickles it once, not once per source."""
    config = config_mod.load(settings.get("NEWSMON_CONFIG_PATH") or None)
    known = _RULES.get(id(config))
    if known is None or known[0] is not config:
        known = _RULES[id(config)] = (config, TopicRules.of(load_topics(config)))
    return known[1]
