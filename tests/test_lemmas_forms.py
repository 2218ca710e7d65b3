"""Word forms over the replay corpus: every form of 300+ Russian and 100+ English words finds every article
holding any form of the same lemma (recall 100 % on dictionary words); precision is reported, and the
Snowball index of the previous version is measured on the same forms for comparison."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from storage import lemmas
from storage.archive import store
from storage.db import connect
from storage.diff import fingerprint
from storage.fts import snowball_text
from storage.search import to_fts

NAME_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"}
QUOTA = {"name": 60, "NOUN": 130, "ADJF": 70, "VERB": 70}  # taken evenly from each sorted group
EN_STOP = {"the", "and", "with", "for", "was", "have", "been", "than", "will", "from", "has", "that", "since",
           "this", "were", "are", "its", "their", "they", "which", "also", "into", "more", "next", "not", "but"}


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[int, str]]:
    """The replay's articles (both states) archived through storage.archive.store; (db, {id: text})."""
    from tests.replay import ReplaySite

    rows: dict[tuple[str, str], dict] = {}
    for state in (1, 2):
        with ReplaySite(state=state) as site:
            rows.update({(r["lang"], r["path"]): r for r in site.ground_truth() if r.get("body")})
    db = connect(tmp_path_factory.mktemp("forms") / "newsmon.db")
    texts = {}
    for (lang, path), r in sorted(rows.items()):
        item = {"url": f"https://{lang}.example/{path}", "source": f"spbpu-{lang}", "lang": lang,
                "section": r["section"], "title": r["title"], "body": r["body"], "published": None,
                "fingerprint": fingerprint(r["title"], r["body"], None)}
        texts[store(db, item).article_id] = f"{r['title']}\n{r['body']}"
    return db, texts


def article_words(texts: dict[int, str]) -> dict[int, set[str]]:
    return {aid: {lemmas.fold(w) for w in lemmas.WORD.findall(text)} for aid, text in texts.items()}


def russian_lexemes(texts: dict[int, str]) -> dict[str, tuple[str, set[str]]]:
    """{lemma: (group, every folded form)} for dictionary words of the corpus, by group quotas."""
    counts = Counter(w for text in texts.values() for w in lemmas.WORD.findall(text) if re.fullmatch(r"[а-яёА-ЯЁ]+", w))
    groups: dict[str, dict[str, set[str]]] = {g: {} for g in QUOTA}
    for word in sorted(counts):
        low = lemmas.fold(word)
        if not lemmas.known(low):
            continue
        parse = lemmas.morph().parse(low)[0]
        group = "name" if NAME_TAGS & parse.tag.grammemes else {"INFN": "VERB"}.get(parse.tag.POS, parse.tag.POS)
        if group in groups:
            groups[group].setdefault(lemmas.fold(parse.normal_form), {lemmas.fold(f.word) for f in parse.lexeme})
    chosen = {}
    for group, quota in QUOTA.items():
        names = sorted(groups[group])
        step = max(1, len(names) / quota)
        for i in range(min(quota, len(names))):
            key = names[int(i * step)]
            chosen[key] = (group, groups[group][key])
    return chosen


def english_lexemes(texts: dict[int, str], want: int = 120) -> dict[str, tuple[str, set[str]]]:
    counts = Counter(w for text in texts.values() for w in lemmas.WORD.findall(text) if re.fullmatch(r"[a-z]{3,}", w))
    chosen: dict[str, tuple[str, set[str]]] = {}
    for word, _ in counts.most_common():
        if word in EN_STOP or not lemmas.en_lemmas(word) or len(chosen) >= want:
            continue
        lemma = lemmas.en_lemmas(word)[0]
        forms = {lemma} | lemmas.en_forms(lemma)
        chosen.setdefault(lemma, ("en", forms))
    return chosen


def measure(db: Any, texts: dict[int, str], lexemes: dict[str, tuple[str, set[str]]]) -> dict[str, Any]:
    """Search every form; recall against the articles holding any form of the lemma, precision over results.
    The same figures for the Snowball index (a form finds the articles holding its stem)."""
    words = article_words(texts)
    stems = {aid: set(snowball_text(text).split()) for aid, text in texts.items()}
    out = {"words": len(lexemes), "forms": 0, "misses": [], "found": 0, "relevant_found": 0,
           "expected": 0, "snowball_found": 0, "snowball_relevant": 0}
    for lemma, (_group, forms) in lexemes.items():
        expected = {aid for aid, ws in words.items() if ws & forms}
        for form in sorted(forms):
            got = {r[0] for r in db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                            [to_fts(form)])}
            out["forms"] += 1
            out["expected"] += len(expected)
            out["found"] += len(got)
            out["relevant_found"] += len(got & expected)
            if expected - got:
                out["misses"].append((lemma, form, len(expected - got)))
            stem = snowball_text(form)
            snow = {aid for aid, s in stems.items() if stem in s}
            out["snowball_found"] += len(snow)
            out["snowball_relevant"] += len(snow & expected)
    out["recall"] = out["relevant_found"] / max(1, out["expected"])
    out["precision"] = out["relevant_found"] / max(1, out["found"])
    out["snowball_recall"] = out["snowball_relevant"] / max(1, out["expected"])
    out["snowball_precision"] = out["snowball_relevant"] / max(1, out["snowball_found"])
    return out


def report(capsys: pytest.CaptureFixture[str], lang: str, m: dict[str, Any]) -> None:
    with capsys.disabled():
        print(f"\n{lang}: {m['words']} words, {m['forms']} forms searched: lemmas recall {m['recall']:.4f}, "
              f"precision {m['precision']:.4f}; Snowball recall {m['snowball_recall']:.4f}, "
              f"precision {m['snowball_precision']:.4f}; misses {m['misses'][:10]}")


def test_russian_word_forms(replay, capsys: pytest.CaptureFixture[str]) -> None:
    db, texts = replay
    lexemes = russian_lexemes(texts)
    groups = Counter(g for g, _ in lexemes.values())
    assert len(lexemes) >= 300 and all(groups[g] >= 40 for g in QUOTA), groups
    m = measure(db, texts, lexemes)
    report(capsys, f"ru {dict(groups)}", m)
    assert m["misses"] == [] and m["recall"] == 1.0
    assert m["precision"] > m["snowball_precision"]


def test_english_word_forms(replay, capsys: pytest.CaptureFixture[str]) -> None:
    db, texts = replay
    lexemes = english_lexemes(texts)
    assert len(lexemes) >= 100
    for pair in (("universities", "university"), ("agreements", "agreement"), ("signed", "sign")):
        assert set(to_fts(pair[0]).split(":")[1:]) == set(to_fts(pair[1]).split(":")[1:]), pair
    m = measure(db, texts, lexemes)
    report(capsys, "en", m)
    assert m["misses"] == [] and m["recall"] == 1.0


def test_china_is_not_a_whale(replay) -> None:
    db, texts = replay
    got = {r[0] for r in db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [to_fts("Китай")])}
    holders = {aid for aid, ws in article_words(texts).items()
               if ws & {"китай", "китая", "китаю", "китаем", "китае"}}
    assert holders and got == holders
    db.execute(  # an article about a whale matches кит, never Китай
        "INSERT INTO articles_fts (rowid, title, body, forms) VALUES (999999, 'кит', 'кита видели у берега',"
               " 'кит кита видели у берега')")
    assert 999999 not in {r[0] for r in db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                                   [to_fts("Китай")])}
    assert 999999 in {r[0] for r in db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                               [to_fts("кит")])}
    db.execute("DELETE FROM articles_fts WHERE rowid = 999999")
