"""Scale mode: N deterministic Russian articles for benchmarks, generated from the same templates."""

from __future__ import annotations

import random
from datetime import timedelta

from tests.replay.bodies import build_blocks
from tests.replay.model import Spec, parse_when
from tests.replay.phrases_ru import PARTNERS

_UNIVERSITIES = [k for k, v in PARTNERS.items() if v["country"] != "Россия"]
_COMPANIES = [k for k, v in PARTNERS.items() if v["country"] == "Россия"]

# kind -> (section, cooperation, title template, slug stem)
_KINDS = [
    ("agreement", "international_activities", True, "Политех и {p} подписали соглашение о сотрудничестве",
     "politekh-podpisal-soglashenie"),
    ("delegation_in", "international_activities", True, "Делегация {pg} посетила Политех", "vizit-delegatsii"),
    ("visit_abroad", "international_activities", True, "Делегация СПбПУ посетила {p}", "delegatsiya-spbpu"),
    ("memorandum", "international_activities", True, "Подписан меморандум с {pi}", "podpisan-memorandum"),
    ("joint_lab", "nauka_i_innovatsii", True, "Совместная лаборатория с {pi} открылась в Политехе",
     "sovmestnaya-laboratoriya"),
    ("industry", "partnership", True, "Политех и {p} договорились о сотрудничестве", "soglashenie-s-partnerom"),
    ("intl_student", "international_activities", False, "Иностранные студенты Политеха провели праздник",
     "inostrannye-studenty"),
    ("sport", "sport", False, "Спортсмены Политеха выступили на соревнованиях по {sport}", "sportsmeny-politekha"),
    ("sport_team", "sport", False, "Команда Политеха одержала победу", "komanda-politekha"),
    ("student", "studencheskaya_zhizn", False, "В Политехе прошёл студенческий фестиваль", "studencheskiy-festival"),
    ("school_visit", "education", False, "Школьники побывали с визитом в Политехе", "vizit-shkolnikov"),
    ("science", "nauka_i_innovatsii", False, "Учёные Политеха получили новые результаты в области {field}",
     "uchenye-politekha"),
    ("education", "education", False, "В Политехе обновили образовательные программы", "obrazovatelnye-programmy"),
    ("achievement", "achievements", False, "Политехники стали победителями конкурса", "pobeda-v-konkurse"),
    ("media", "politech-media", False, "Люди Политеха: новый выпуск проекта", "media-spbstu"),
    ("other", "other", False, "В Политехе открылась новая выставка", "novaya-vystavka"),
]
_SPORTS = ["волейболу", "баскетболу", "плаванию", "лёгкой атлетике", "шахматам", "футболу", "гребле"]
_FIELDS = ["материаловедения", "энергетики", "робототехники", "биотехнологий", "микроэлектроники",
           "искусственного интеллекта", "строительной механики"]

START = parse_when("2024-09-27 12:00")


def scale_specs(n: int) -> list[Spec]:
    """N article specs, newest first, a few hours apart; bodies are built lazily from the templates."""
    rng = random.Random(20240927)
    specs = []
    for i in range(n):
        kind, section, coop, title, stem = _KINDS[rng.randrange(len(_KINDS))]
        partner = rng.choice(_COMPANIES if kind == "industry" else _UNIVERSITIES)
        params = {"partner": partner, "sport": rng.choice(_SPORTS), "field": rng.choice(_FIELDS)}
        forms = {**PARTNERS[partner], **params}
        when = START - timedelta(hours=3 * i + rng.randrange(3), minutes=rng.randrange(60))
        specs.append(Spec("ru", section, f"{stem}-{n - i}", title.format_map(forms), when, kind, coop, params,
                          entities=bool(i % 2)))
    return specs


def scale_edit(specs: list[Spec]) -> tuple[str, str, str, str]:
    """The state-2 edit in scale mode: the closing sentence of the fifth newest article changes."""
    spec = specs[min(4, len(specs) - 1)]
    closing = build_blocks(spec)[-1].text
    return spec.slug, closing, closing.replace("Больше новостей", "Другие новости"), "2024-09-30 12:00"
