"""Synthetic SPbPU-like articles for the query benchmark: templated Russian and English sentences.

Words come in their real inflected forms (сотрудничества, сотрудничеству, agreements...) with a
Zipf-like frequency and a long tail of rarer words, so stemming, posting-list lengths and index size
look like a real news archive rather than a handful of repeated tokens.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

RU_GENERAL = [
    "университет университета университету университетом университете университеты университетов",
    "студент студента студенты студентов студентам студентами студентах",
    "Политех Политеха Политеху Политехом Политехе",
    "проект проекта проекты проектов проектом проектах",
    "программа программы программе программу программой программ программам",
    "развитие развития развитию развитием развитии",
    "институт института институту институтом институте институтов",
]
RU_THEMES = {
    "international_activities": ["сотрудничество сотрудничества сотрудничеству сотрудничеством сотрудничестве",
                                 "Китай Китая Китаю Китаем Китае", "делегация делегации делегацию делегацией",
                                 "соглашение соглашения соглашению соглашением соглашении соглашений",
                                 "посольство посольства посольству посольством", "визит визита визиты визитом"],
    "nauka_i_innovatsii": ["исследование исследования исследований исследованиям исследованиями",
                           "лаборатория лаборатории лабораторию лабораторией лабораторий",
                           "грант гранта гранты грантов грантом", "технология технологии технологий технологиям",
                           "материал материала материалы материалов", "статья статьи статью статей"],
    "education": ["диплом диплома дипломы дипломов дипломом", "курс курса курсы курсов курсом",
                  "абитуриент абитуриента абитуриенты абитуриентов", "экзамен экзамена экзамены экзаменов",
                  "лекция лекции лекцию лекций", "образование образования образованию образованием"],
    "sport": ["регата регаты регату регатой", "соревнование соревнования соревнований",
              "турнир турнира турниры турниров", "команда команды команде команду командой",
              "медаль медали медалей медалями", "спортсмен спортсмена спортсмены спортсменов"],
    "partnership": ["компания компании компанию компанией компаний", "партнёр партнёра партнёры партнёров партнёрами",
                    "сотрудничество сотрудничества сотрудничеству", "индустрия индустрии индустрию",
                    "договор договора договоры договоров", "производство производства производству"],
    "achievements": ["награда награды награду наградой наград", "победа победы победу победой побед",
                     "рейтинг рейтинга рейтинге рейтингов", "премия премии премию премией"],
    "politech-media": ["выставка выставки выставку выставкой выставок", "фильм фильма фильмы фильмов",
                       "интервью", "журнал журнала журналы журналов"],
    "studencheskaya_zhizn": ["фестиваль фестиваля фестивали фестивалей", "концерт концерта концерты концертов",
                             "общежитие общежития общежитии", "волонтёр волонтёра волонтёры волонтёров"],
    "other": ["форум форума форуме форумом форумов", "школа школы школе школу школой школ",
              "библиотека библиотеки библиотеку библиотекой"],
}
RU_ADJ = [
    "международный международного международной международные международных международному",
    "научный научного научной научные научных научному",
    "совместный совместного совместной совместные совместных",
    "новый нового новой новые новых новому",
    "инженерный инженерного инженерной инженерные инженерных",
    "цифровой цифрового цифровой цифровые цифровых",
    "двойной двойного двойные двойных",
    "летний летнего летней летние летних",
]
RU_VERBS = ("подписал подписали подписала обсудили обсудил провели проведёт представили представил получили "
            "получил выиграли открыли открыл развивает развивают укрепляет укрепили приняли принял").split()
RU_GLUE = "и в с на о для по при из к".split()
RU_TEMPLATES = [
    "{A} {N} {V} {G} {N} {P} {A} {N}.",
    "{N} {V} {N} {P} {N} {A} {N}.",
    "{P} {N} {V} {A} {N}, {G} {N} {V} {N}.",
    "{A} {N} {N} {V} {P} {N} {X} {X}.",
    "{N} {X} {V} {A} {N} {G} {X} {N}.",
]
EN_GENERAL = ["university universities", "student students", "Polytechnic Polytech", "project projects",
              "programme programmes program programs", "development developments", "institute institutes"]
EN_THEMES = {
    "international_activities": ["cooperation", "China", "delegation delegations", "agreement agreements",
                                 "embassy embassies", "visit visits"],
    "nauka_i_innovatsii": ["research researcher researchers", "laboratory laboratories", "grant grants",
                           "technology technologies", "material materials", "paper papers"],
    "education": ["degree degrees", "course courses", "applicant applicants", "exam exams", "lecture lectures",
                  "education"],
    "sport": ["regatta regattas", "competition competitions", "tournament tournaments", "team teams",
              "medal medals", "athlete athletes"],
    "partnership": ["company companies", "partner partners partnership partnerships", "cooperation",
                    "industry industries", "contract contracts", "production"],
    "achievements": ["award awards", "victory victories", "ranking rankings", "prize prizes"],
    "politech-media": ["exhibition exhibitions", "film films", "interview interviews", "magazine magazines"],
    "studencheskaya_zhizn": ["festival festivals", "concert concerts", "dormitory dormitories",
                             "volunteer volunteers"],
    "other": ["forum forums", "school schools", "library libraries"],
}
EN_ADJ = "international scientific joint new engineering digital double summer Chinese Russian".split()
EN_VERBS = ("signed signs sign discussed discusses held holds presented presents received receives won "
            "opened opens develops developed strengthens strengthened adopted").split()
EN_GLUE = "and in with on about for at from to of".split()
EN_TEMPLATES = [
    "The {A} {N} {V} {G} {N} {P} the {A} {N}.",
    "{N} {V} {N} {P} {A} {N}.",
    "{P} the {N}, the {A} {N} {V} {N} {X}.",
    "{A} {N} {G} {N} {V} {P} {N} {X} {X}.",
    "Our {N} {X} {V} the {A} {N} {G} {X} {N}.",
]
RU_SYLLABLES = "ка ро ва ли на то ми ре ст пр ол ен ит ос ан ер ко мо ла де".split()
RU_ENDINGS = "ов ами ах ой ую ого ему ая ие ия ость ение ировать али".split()
EN_SYLLABLES = "ca ro va li na to mi re st pr ol en it os an er co mo la de".split()
EN_ENDINGS = "s ed ing tion ment ness ity er ers al ly".split()
SECTIONS = ("achievements", "nauka_i_innovatsii", "international_activities", "education", "partnership",
            "politech-media", "studencheskaya_zhizn", "sport", "other")


def _forms(groups: list[str]) -> list[list[str]]:
    return [g.split() for g in groups]


def _zipf(count: int) -> list[float]:
    """Cumulative Zipf weights (rank r has weight 1/r), ready for random.choices(cum_weights=...)."""
    return list(itertools.accumulate(1.0 / (rank + 1) for rank in range(count)))


def _tail(rng: random.Random, syllables: list[str], endings: list[str], size: int) -> list[str]:
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) + rng.choice(endings)
            for _ in range(size)]


class Corpus:
    """Sentence pools per language and section theme, built once; articles pick sentences from them."""

    def __init__(self, seed: int = 1, pool: int = 1500, tail: int = 20_000) -> None:
        self.rng = random.Random(seed)
        tails = {"ru": _tail(self.rng, RU_SYLLABLES, RU_ENDINGS, tail), "en": _tail(self.rng, EN_SYLLABLES,
                                                                                  EN_ENDINGS, tail)}
        self.pools: dict[tuple[str, str], list[str]] = {}
        for section in SECTIONS:
            self.pools["ru", section] = self._pool(
                RU_TEMPLATES, _forms(RU_THEMES[section]), _forms(RU_GENERAL), _forms(RU_ADJ), RU_VERBS, RU_GLUE,
                tails["ru"], pool)
            self.pools["en", section] = self._pool(
                EN_TEMPLATES, _forms(EN_THEMES[section]), _forms(EN_GENERAL), [[a] for a in EN_ADJ], EN_VERBS,
                EN_GLUE, tails["en"], pool)

    def _pool(self, templates: list[str], theme: list[list[str]], general: list[list[str]], adjs: list[list[str]],
              verbs: list[str], glue: list[str], tail: list[str], size: int) -> list[str]:
        rng = self.rng
        theme_w, general_w, tail_w = _zipf(len(theme)), _zipf(len(general)), _zipf(len(tail))

        def pick(kind: str) -> str:
            if kind == "N":
                roll = rng.random()
                if roll < 0.25:
                    return rng.choice(rng.choices(theme, cum_weights=theme_w)[0])
                if roll < 0.45:
                    return rng.choice(rng.choices(general, cum_weights=general_w)[0])
                return rng.choices(tail, cum_weights=tail_w)[0]
            if kind == "A":
                return rng.choice(rng.choice(adjs))
            if kind == "V":
                return rng.choice(verbs)
            if kind == "X":
                return rng.choices(tail, cum_weights=tail_w)[0]
            return rng.choice(glue)

        out = []
        for _ in range(size):
            template = rng.choice(templates)
            sentence = "".join(pick(part[0]) + part[1:] if part[:1] in "NAVXGP" and part else part
                               for part in template.replace("{", "\x00").replace("}", "").split("\x00"))
            out.append(sentence[0].upper() + sentence[1:])
        return out

    def article(self, i: int) -> dict[str, str]:
        """The i-th article: language alternating, a section, 3-7 paragraphs of 3-7 sentences, a title."""
        rng = self.rng
        lang = "ru" if i % 2 == 0 else "en"
        section = SECTIONS[rng.randrange(len(SECTIONS))]
        pool = self.pools[lang, section]
        paragraphs = [" ".join(rng.choices(pool, k=rng.randint(3, 7))) for _ in range(rng.randint(3, 7))]
        title = rng.choice(pool).rstrip(".")
        return {"lang": lang, "title": title, "body": "\n\n".join(paragraphs), "section": section}

    def articles(self, n: int) -> Iterator[dict[str, str]]:
        for i in range(n):
            yield self.article(i)
