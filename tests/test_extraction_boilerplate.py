"""Per-source chrome learnt from ~10 pages of one source, then removed from the next; the article stays."""

from __future__ import annotations

import json
import random

from spiders.extraction.boilerplate import Boilerplate, normalise, universal
from spiders.extraction.chain import extract
from spiders.extraction.score import token_f1
from spiders.profile import Selectors

CHROME_TOP = ["Главная / Новости / Наука", "Поделиться:"]
CHROME_BOTTOM = [
    "Политехнический университет — один из ведущих технических вузов России, "
    "в нём учатся более 30 тысяч студентов.",  # a press office's standard closing sentence
    "Мнение редакции может не совпадать с мнением авторов материалов.",
    "Пресс-служба университета: +7 (812) 555-01-23, press@univer.example.ru",
]
SUBJECTS = ["Учёные", "Студенты", "Аспиранты", "Преподаватели", "Инженеры", "Выпускники"]
VERBS = ["представили", "разработали", "испытали", "обсудили", "запустили", "защитили"]
OBJECTS = ["новый сплав для турбин", "проект цифрового двойника", "систему мониторинга мостов",
           "курс по машинному обучению", "прототип солнечной панели", "метод очистки воды"]


def article(seed: int) -> list[str]:
    """Four paragraphs of one article: different on every page."""
    rng = random.Random(seed)
    return [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} в {seed} корпусе, "
            f"работа заняла {rng.randint(2, 40)} месяцев и {rng.randint(3, 90)} экспериментов." for _ in range(4)]


def page_blocks(seed: int) -> list[str]:
    return [*CHROME_TOP, f"Просмотров: {100 + seed * 37}", *article(seed), *CHROME_BOTTOM]


def learnt(pages: int = 10) -> Boilerplate:
    model = Boilerplate()
    for seed in range(pages):
        model.learn(f"https://univer.example.ru/news/{seed}/", page_blocks(seed))
    return model


def test_learnt_chrome_is_removed_from_the_eleventh_page() -> None:
    kept = learnt().filter(page_blocks(11))
    assert kept == article(11)


def test_not_trusted_before_min_pages_except_universal_phrases() -> None:
    model = learnt(pages=3)
    kept = model.filter(page_blocks(11))
    assert "Поделиться:" not in kept and "Просмотров: 507" not in kept  # universal prior
    assert CHROME_BOTTOM[0] in kept  # learnt only from trusted counts
    assert not model.trusted and learnt(pages=5).trusted


def test_recurring_content_below_the_fraction_stays() -> None:
    model = learnt()
    quote = "Итоги конкурса будут подведены в декабре."
    for seed in (20, 21):  # the same sentence on 2 of 12 pages is content, not chrome
        model.learn(f"https://univer.example.ru/news/{seed}/", [*article(seed), quote])
    assert model.share(quote) == 2 / 12
    assert quote in model.filter([*article(30)[:2], quote, *article(30)[2:]])


def test_a_page_counts_once() -> None:
    model = learnt()
    assert not model.learn("https://univer.example.ru/news/3/", page_blocks(3))
    assert model.pages == 10


def test_normalised_keys() -> None:
    assert normalise("  Просмотров:\u00a01208 ") == normalise("просмотров: 7") == "просмотров: 0"
    assert normalise("Ёлка.") == "елка"


def test_universal_prior() -> None:
    for block in ("Поделиться", "Читайте также:", "Read also", "Share this:", "Версия для печати",
                  "We use cookies to improve your experience. By continuing to browse you agree.",
                  "Мы используем файлы cookie, чтобы сайт был удобнее.", "Подпишитесь на наш Telegram-канал"):
        assert universal(block), block
    for block in ("Студенты поделились впечатлениями о поездке.", "Read the full report in the journal."):
        assert not universal(block), block


def test_serialisation_round_trip() -> None:
    model = learnt()
    again = Boilerplate.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.filter(page_blocks(11)) == article(11)
    assert again.pages == 10 and not again.learn("https://univer.example.ru/news/3/", [])
    assert Boilerplate.from_dict({"version": 99}).pages == 0
    assert Boilerplate.from_dict(None).pages == 0


def test_memory_stays_flat() -> None:
    model = Boilerplate(max_blocks=200)
    for seed in range(300):
        model.learn(f"p{seed}", page_blocks(seed))
    assert len(model.counts) <= 200
    assert model.filter(page_blocks(999)) == article(999)


def html_page(seed: int) -> str:
    """A page whose body selector holds chrome no selector names."""
    paragraphs = "".join(f"<p>{p}</p>" for p in page_blocks(seed))
    return (f"<html><body><h1>Новость {seed}</h1><span class='date'>12.03.2024</span>"
            f"<div class='text'>{paragraphs}</div></body></html>")


def test_chain_learns_from_blocks_and_filters_the_body() -> None:
    selectors = Selectors(title="h1", body="div.text", date=".date")
    model = Boilerplate()
    for seed in range(10):
        url = f"https://univer.example.ru/news/{seed}/"
        model.learn(url, extract(html_page(seed), url, selectors, model).blocks)
    result = extract(html_page(11), "https://univer.example.ru/news/11/", selectors, model)
    assert result.body == "\n\n".join(article(11))
    assert result.blocks == page_blocks(11)  # what the caller gives to learn(): unfiltered
    without = extract(html_page(11), "https://univer.example.ru/news/11/", selectors)
    assert token_f1(without.body, result.body) < 0.8


def test_a_short_shared_subheading_inside_the_body_stays() -> None:
    model = Boilerplate()
    for seed in range(10):
        middle = ["Программа"] if seed % 3 else []  # on 6 of 10 pages, inside the body
        model.learn(f"p{seed}", [*article(seed)[:2], *middle, *article(seed)[2:], *CHROME_BOTTOM])
    page = [*article(11)[:2], "Программа", *article(11)[2:], *CHROME_BOTTOM]
    assert model.filter(page) == [*article(11)[:2], "Программа", *article(11)[2:]]
