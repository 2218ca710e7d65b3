"""The full-text index: FTS5 table `articles_fts` (rowid = articles.id) over the normaliser's keys.

Columns: `title` and `body` hold the keys of storage/lemmas.py (every dictionary lemma of a Russian
form, Snowball stems for unknown and English words), so «Китая» and «Китаем» meet in `китай`;
`forms` holds the words as written, each marked `=` (`=китая`), for exact-form search: marked, the
forms never lengthen the lemmas' posting lists. A plain unicode61 tokenizer (with `=` as a token
character) reads all three, so sqlite3 and Datasette can query the table without newsmon's code; the original text for
snippets stays in `articles`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlite_utils
import Stemmer

from storage.lemmas import WORD, index_texts

LEMMA_COLUMNS = "{title body}"
FORMS_COLUMN = "forms"
CREATE = ("CREATE VIRTUAL TABLE {name} USING fts5(title, body, forms,"
          " tokenize = \"unicode61 remove_diacritics 2 tokenchars '='\")")

HASHSIZE = 16 * 2**20  # bytes of new postings FTS5 gathers in memory before writing a segment (its default: 1 MB)

__all__ = ["CREATE", "FORMS_COLUMN", "HASHSIZE", "LEMMA_COLUMNS", "WORD", "configure", "index_article", "index_texts",
           "snowball_text"]


def configure(db: sqlite_utils.Database, name: str = "articles_fts") -> None:
    """Write settings of the index `name` (kept in its own config table): a bulk insert (a reindex, a large
    transaction) writes one segment per 16 MB of postings instead of per 1 MB, so FTS5 merges far less
    (about a third less time indexing 30,000 articles); one article per transaction is unaffected."""
    db.execute(f"INSERT INTO {name} ({name}, rank) VALUES ('hashsize', ?)", [HASHSIZE])


def index_article(db: sqlite_utils.Database, article_id: int, title: str, body: str,
                  texts: tuple[str, str, str] | None = None) -> None:
    """Put (or replace) one article's keys in the index; call inside the article's transaction.
    `texts`: index_texts(title, body), when computed already (a worker process's analysis)."""
    db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
    db.execute("INSERT INTO articles_fts (rowid, title, body, forms) VALUES (?, ?, ?, ?)",
               [article_id, *(texts or index_texts(title, body))])


_ru = Stemmer.Stemmer("russian")
_en = Stemmer.Stemmer("english")
_CYRILLIC = re.compile(r"[а-яё]")


@lru_cache(maxsize=200_000)
def _snowball_word(word: str) -> str:
    word = word.lower().replace("ё", "е")
    if _CYRILLIC.search(word):
        return _ru.stemWord(word)
    if word.isascii() and word.isalpha():
        return _en.stemWord(word)
    return word


def snowball_text(text: str) -> str:
    """The index text of versions before 0006 (Snowball stems only), as they computed it: kept to build such
    archives in tests and to measure the lemma index against it in the benchmark."""
    return " ".join(_snowball_word(w) for w in WORD.findall(text or ""))
