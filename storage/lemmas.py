"""The one text normaliser of newsmon: the words of a text as the keys the search index and topics compare.

A Russian word becomes every lemma the OpenCorpora dictionary (pymorphy3) gives its form, so «Китая»,
«Китаем» and «Китае» all meet in `китай` (Snowball cut them to `кит` and `кита`), «люди» meets «человек»,
and an ambiguous form («стали») yields all of its lemmas (`сталь`, `стать`). A Russian word the dictionary
does not know goes through the Snowball stemmer. English words become their lemmas too (lemminflect's
table of 66,000 forms, shipped in storage/data: `took` meets `take`, `universities` no longer meets
`universe`; Snowball joined 89 % of the replay words' form pairs), Snowball stems when the table lacks them. Acronyms and tokens
mixing scripts or holding digits are kept as written (lower-cased): `СПбПУ` stays `спбпу`. `ё` folds to `е`.

Each dictionary is loaded on the first word of its language, not at import: a crawl that stores nothing
pays nothing; the first Russian word costs ~0.15 s and ~20 MB, the first English one ~0.1 s.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import Stemmer

WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"^[а-яё]+$")
_LATIN = re.compile(r"^[a-z]+$")
_ru_stemmer = Stemmer.Stemmer("russian")
_en_stemmer = Stemmer.Stemmer("english")
_morph: Any = None
_english: dict[str, tuple[str, ...]] | None = None
_english_forms: dict[str, set[str]] | None = None
EN_TABLE = Path(__file__).resolve().parent / "data" / "en_lemmas.tsv.gz"


def fold(word: str) -> str:
    """Lower case with `ё` as `е`: the form every comparison uses."""
    return word.lower().replace("ё", "е")


def morph() -> Any:
    """The pymorphy3 analyser, created on first use (import and dictionaries ~0.15 s)."""
    global _morph
    if _morph is None:
        import pymorphy3

        _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


def english() -> dict[str, tuple[str, ...]]:
    """English form -> its lemmas, read on first use (~0.1 s); built by storage/data/build_en_lemmas.py."""
    global _english
    if _english is None:
        table = {}
        for line in gzip.decompress(EN_TABLE.read_bytes()).decode("utf-8").splitlines():
            form, _, lemmas = line.partition("\t")
            table[form] = tuple(lemmas.split(" ")) if " " in lemmas else (lemmas,)
        _english = table
    return _english


def en_lemmas(low: str) -> tuple[str, ...]:
    """Every dictionary lemma of a lower-case English form, sorted; () when the table does not know it."""
    return english().get(low, ())


def en_forms(lemma: str) -> set[str]:
    """Every English form the table knows for `lemma` (the table inverted, on first use: query side only)."""
    global _english_forms
    if _english_forms is None:
        inverted: dict[str, set[str]] = {}
        for form, lemmas in english().items():
            for one in lemmas:
                inverted.setdefault(one, set()).add(form)
        _english_forms = inverted
    return _english_forms.get(lemma, set())


def _acronym(word: str) -> bool:
    """`СПбПУ`, `MIPT`, `NASA`: two capitals or more, and not a capitalised Russian dictionary word."""
    capitals = sum(1 for c in word if c.isupper())
    if capitals < 2:
        return False
    if capitals == len(word) and _CYRILLIC.match(fold(word)):  # КИТАЯ in a heading is still China
        return not known(fold(word))
    return True


@lru_cache(maxsize=300_000)
def known(low: str) -> bool:
    """True when the Russian dictionary holds this (folded) form."""
    return bool(morph().word_is_known(low))


@lru_cache(maxsize=300_000)
def ru_lemmas(low: str) -> tuple[str, ...]:
    """Every dictionary lemma of a folded Russian form, sorted; () when the dictionary does not know it."""
    if not known(low):
        return ()
    return tuple(sorted({fold(p.normal_form) for p in morph().parse(low) if _from_dictionary(p)}))


def _from_dictionary(parse: Any) -> bool:
    return type(parse.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"


@lru_cache(maxsize=300_000)
def keys(word: str) -> tuple[str, ...]:
    """The index keys of one word as written: its lemmas, its stem, or the word itself (see module doc)."""
    low = fold(word)
    if _CYRILLIC.match(low):
        if _acronym(word):
            return (low,)
        return ru_lemmas(low) or (_ru_stemmer.stemWord(low),)
    if _LATIN.match(low) and not _acronym(word):
        return en_lemmas(low) or (_en_stemmer.stemWord(low),)
    return (low,)


def query_keys(word: str) -> tuple[str, ...]:
    """The keys a query word looks for: its own keys and, for a word the dictionary does not know, the word
    itself too (so `итмо` typed in lower case still finds `ИТМО`, indexed as written)."""
    out = dict.fromkeys(keys(word))
    out.update(dict.fromkeys(keys(word.lower())))
    low = fold(word)
    if (_CYRILLIC.match(low) and not known(low)) or (_LATIN.match(low) and not en_lemmas(low)):
        out[low] = None
    return tuple(out)


@lru_cache(maxsize=300_000)
def _joined(word: str) -> str:
    return " ".join(keys(word))


FORM_MARK = "="


@lru_cache(maxsize=300_000)
def _marked(word: str) -> str:
    """One word of `WORD` as the forms column holds it, for exact-form search (`="Китая"`): each run of
    letters and digits marked `=` (the tokenizer keeps `=` and folds case; `_` splits, as in the tokenizer),
    so forms never share a term's posting list with the lemmas of the other columns; ё as е."""
    word = word.replace("ё", "е").replace("Ё", "Е")
    if "_" not in word:
        return FORM_MARK + word
    return " ".join(FORM_MARK + part for part in word.split("_") if part)


def index_texts(title: str, body: str) -> tuple[str, str, str]:
    """The title's keys, the body's keys and both texts' marked forms, from one pass over the words."""
    title_words, body_words = WORD.findall(title or ""), WORD.findall(body or "")
    return (" ".join(map(_joined, title_words)), " ".join(map(_joined, body_words)),
            " ".join(map(_marked, title_words + body_words)))


@lru_cache(maxsize=20_000)
def forms_of(key: str) -> frozenset[str]:
    """Every folded dictionary form of the lemma `key` («человек»: … «люди»); empty for a stem or kept word."""
    if _LATIN.match(key) and en_lemmas(key):
        return frozenset({key} | en_forms(key))
    if not (_CYRILLIC.match(key) and known(key)):
        return frozenset()
    return frozenset(fold(form.word) for parse in morph().parse(key)
                     if _from_dictionary(parse) and fold(parse.normal_form) == key for form in parse.lexeme)


@lru_cache(maxsize=20_000)
def slots(key: str) -> frozenset[tuple[str, ...]]:
    """Every run of index keys a word with key `key` can leave in the index, for phrase queries.

    A dictionary lemma's forms may be ambiguous (`стали` leaves `сталь стать`); a stem or a kept word
    leaves just itself.
    """
    out = {(key,)} | {keys(form) for form in forms_of(key)}
    return frozenset(s for s in out if key in s)
