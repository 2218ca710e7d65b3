"""storage/lemmas.py: the one normaliser of the index, queries and topics."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from storage.lemmas import forms_of, index_texts, keys, query_keys, slots


@pytest.mark.parametrize("forms,key", [
    (["Китай", "Китая", "Китаю", "Китаем", "Китае"], "китай"),        # Snowball: кита / кит
    (["диплом", "диплома", "дипломами"], "диплом"),
    (["Россия", "России", "Россией"], "россия"),                      # Snowball: росс
    (["человек", "люди", "людьми", "людей"], "человек"),              # suppletive
    (["подписали", "подписан", "подписанный", "подписать"], "подписать"),
    (["учёные", "ученых", "Учёный"], "ученый"),                       # ё folded
    (["КИТАЯ"], "китай"),                                             # a heading in capitals
    (["universities", "university"], "university"),
    (["agreements", "agreement"], "agreement"),
    (["signed", "signs", "sign"], "sign"),
    (["took", "taken", "take"], "take"),                              # Snowball: took / taken / take
])
def test_word_forms_share_a_key(forms: list[str], key: str) -> None:
    for form in forms:
        assert key in keys(form), (form, keys(form))


def test_a_whale_is_not_china() -> None:
    assert "китай" not in keys("кита") and "кит" not in keys("Китая")
    assert "universe" not in keys("universities")


def test_ambiguous_forms_keep_every_lemma() -> None:
    assert set(keys("стали")) == {"сталь", "стать"}
    assert ("сталь", "стать") in slots("сталь")  # a phrase with сталь must allow the ambiguous run


@pytest.mark.parametrize("word,kept", [("СПбПУ", "спбпу"), ("SPbPU", "spbpu"), ("ИТМО", "итмо"),
                                       ("COVID", "covid"), ("5G", "5g"), ("Bioтех", "bioтех")])
def test_acronyms_and_mixed_tokens_stay_as_written(word: str, kept: str) -> None:
    assert keys(word) == (kept,)


def test_unknown_words_are_stemmed_and_queries_also_try_them_as_written() -> None:
    assert keys("Политехе") == keys("Политеха") == ("политех",)
    assert keys("хакатоном") == keys("хакатона")  # not in the dictionary: Snowball
    assert "итмо" in query_keys("итмо")           # typed in lower case, still finds ИТМО


def test_index_text_and_forms() -> None:
    assert index_texts("Сотрудничество с Китаем", "")[0] == "сотрудничество с китай"
    assert "люди" in forms_of("человек") and "took" in forms_of("take")
    assert index_texts("", "Ёлка, foo_bar: 2024!")[2] == "=Елка =foo =bar =2024"  # `_` splits, as in the tokenizer
    assert index_texts("Делегация Китая", "Ёлка") == ("делегация китай", "елка", "=Делегация =Китая =Елка")


def test_archive_import_loads_no_dictionary() -> None:
    """A crawl imports the archive code and loads the topics on every run: the dictionaries load only on the
    first word stored."""
    code = ("import sys, time; t = time.perf_counter(); import storage.archive, monitor.topics;"
            " took = time.perf_counter() - t; import json;"
            " monitor.topics.build_topic('cooperation', monitor.topics.COOPERATION);"
            " print(json.dumps([took, 'pymorphy3' in sys.modules, sys.modules['storage.lemmas']._english is not None]))")
    took, morph, english = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                                     text=True, check=True).stdout)
    assert not morph and not english
    assert took < 2.0
