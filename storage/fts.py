"""Snowball stemming for the full-text index: the index and every query path stem with this code.

The FTS5 table `articles_fts` (rowid = articles.id) holds stemmed title and body, so that
`сотрудничество` and `сотрудничеству`, `agreement` and `agreements` meet in one token.
Cyrillic words go through the Russian stemmer, Latin ones through the English stemmer.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlite_utils
import Stemmer

WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")
_ru = Stemmer.Stemmer("russian")
_en = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """The stem of one word: lower-cased, ё folded to е, Russian or English Snowball by script."""
    word = word.lower().replace("ё", "е")
    if _CYRILLIC.search(word):
        return _ru.stemWord(word)
    if word.isascii() and word.isalpha():
        return _en.stemWord(word)
    return word


def stem_text(text: str) -> str:
    """`text` as a space-separated run of stems, ready for the FTS5 table."""
    return " ".join(stem_word(w) for w in WORD.findall(text or ""))


def index_article(db: sqlite_utils.Database, article_id: int, title: str, body: str) -> None:
    """Put (or replace) one article's stemmed text in the index; call inside the article's transaction."""
    db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
    db.execute(
        "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
        [article_id, stem_text(title), stem_text(body)],
    )
