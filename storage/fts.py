"""The full-text index: FTS5 table `articles_fts` (rowid = articles.id) over the normaliser's keys.

Columns: `title` and `body` hold the keys of storage/lemmas.py (every dictionary lemma of a Russian
form, Snowball stems for unknown and English words), so «Китая» and «Китаем» meet in `китай`;
`forms` holds the words as written (folded), for exact-form search. A plain unicode61 tokenizer reads
all three, so sqlite3 and Datasette can query the table without newsmon's code; the original text for
snippets stays in `articles`.
"""

from __future__ import annotations

import sqlite_utils
import Stemmer

from storage.lemmas import WORD, forms_text, index_text

LEMMA_COLUMNS = "{title body}"
FORMS_COLUMN = "forms"
CREATE = ("CREATE VIRTUAL TABLE {name} USING fts5(title, body, forms,"
          " tokenize = 'unicode61 remove_diacritics 2')")

__all__ = ["CREATE", "FORMS_COLUMN", "LEMMA_COLUMNS", "WORD", "index_article", "index_row", "snowball_text"]


def index_row(title: str, body: str) -> tuple[str, str, str]:
    """The (title, body, forms) columns of one article."""
    return index_text(title), index_text(body), forms_text(f"{title}\n{body}")


def index_article(db: sqlite_utils.Database, article_id: int, title: str, body: str) -> None:
    """Put (or replace) one article's keys in the index; call inside the article's transaction."""
    db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
    db.execute("INSERT INTO articles_fts (rowid, title, body, forms) VALUES (?, ?, ?, ?)",
               [article_id, *index_row(title, body)])


_ru = Stemmer.Stemmer("russian")
_en = Stemmer.Stemmer("english")


def snowball_text(text: str) -> str:
    """The index text of versions before 0006 (Snowball stems only): kept to build such archives in tests
    and to measure the lemma index against it in the benchmark."""
    out = []
    for word in WORD.findall(text or ""):
        word = word.lower().replace("ё", "е")
        if any("а" <= c <= "я" for c in word):
            out.append(_ru.stemWord(word))
        elif word.isascii() and word.isalpha():
            out.append(_en.stemWord(word))
        else:
            out.append(word)
    return " ".join(out)
