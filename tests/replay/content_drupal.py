"""ВолжГТУ (label `drupal`): a Russian Drupal news section in windows-1251, its articles and state-2 changes.

Moscow time; 13 of 32 items are cooperation news. Most nodes have a pathauto alias `/news/<translit>`, every
fifth one only `/node/<nid>` (created before the alias pattern existed).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.replay.model import MSK
from tests.replay.unis import SiteDesc, UniSpec

CATEGORIES = {
    "mezhdunarodnoe": "Международная деятельность", "nauka": "Наука", "partnerstvo": "Партнёрство",
    "studencheskaya-zhizn": "Студенческая жизнь", "sport": "Спорт", "obrazovanie": "Образование",
    "dostizheniya": "Достижения",
}
START = datetime(2024, 2, 5, 11, 0)

# kind, category, cooperation, title, params
_ITEMS: list[tuple[str, str, bool, str, dict[str, str]]] = [
    ("science", "nauka", False, "Учёные ВолжГТУ разработали новый сплав для судостроения",
     {"field": "материаловедения"}),
    ("agreement", "mezhdunarodnoe", True, "ВолжГТУ и Белградский университет подписали соглашение о сотрудничестве",
     {"partner": "belgrade"}),
    ("student", "studencheskaya-zhizn", False, "В ВолжГТУ прошёл фестиваль «Студенческая весна»",
     {"place": "актовом зале"}),
    ("sport", "sport", False, "Пловцы ВолжГТУ завоевали медали чемпионата области", {"sport": "плаванию"}),
    ("delegation_in", "mezhdunarodnoe", True, "Делегация Ханойского университета науки и технологий посетила ВолжГТУ",
     {"partner": "hanoi"}),
    ("education", "obrazovanie", False, "В ВолжГТУ открыт набор на новую магистерскую программу", {}),
    ("achievement", "dostizheniya", False, "Студенты ВолжГТУ стали призёрами инженерного чемпионата", {}),
    ("joint_lab", "nauka", True, "Совместная лаборатория с Нанкинским университетом аэронавтики открылась в ВолжГТУ",
     {"partner": "nuaa", "topic": "в области композитных материалов"}),
    ("media", "studencheskaya-zhizn", False, "Люди ВолжГТУ: династия инженеров-химиков", {}),
    ("school_visit", "obrazovanie", False, "Школьники побывали на экскурсии в лабораториях ВолжГТУ",
     {"school": "Красноармейского района"}),
    ("memorandum", "mezhdunarodnoe", True, "ВолжГТУ подписал меморандум с Самаркандским государственным университетом",
     {"partner": "samarkand"}),
    ("sport_team", "sport", False, "Баскетболисты ВолжГТУ выиграли стартовый матч сезона",
     {"team": "Мужская сборная ВолжГТУ по баскетболу"}),
    ("fund", "dostizheniya", False, "Эндаумент-фонд ВолжГТУ получил новый взнос", {}),
    ("industry", "partnerstvo", True, "ВолжГТУ и «Газпром нефть» договорились о сотрудничестве",
     {"partner": "gazpromneft"}),
    ("other", "studencheskaya-zhizn", False, "В музее ВолжГТУ открылась выставка к юбилею университета", {}),
    ("visit_abroad", "mezhdunarodnoe", True, "Делегация ВолжГТУ посетила Тегеранский университет",
     {"partner": "tehran"}),
    ("intl_student", "studencheskaya-zhizn", False, "Иностранные студенты ВолжГТУ отметили Навруз", {}),
    ("science", "nauka", False, "В ВолжГТУ создали прототип датчика для нефтепроводов", {"field": "приборостроения"}),
    ("forum_intl", "mezhdunarodnoe", True, "В ВолжГТУ прошёл международный форум технических вузов",
     {"country": "Китай"}),
    ("education", "obrazovanie", False, "Преподаватели ВолжГТУ прошли курсы повышения квалификации", {}),
    ("sport", "sport", False, "Легкоатлеты ВолжГТУ выступили на весеннем кроссе", {"sport": "лёгкой атлетике"}),
    ("agreement", "mezhdunarodnoe", True, "Соглашение о сотрудничестве с Каирским университетом подписано в ВолжГТУ",
     {"partner": "cairo"}),
    ("achievement", "dostizheniya", False, "Проект аспиранта ВолжГТУ получил грант фонда", {}),
    ("student", "studencheskaya-zhizn", False, "Студенческий совет ВолжГТУ подвёл итоги года",
     {"place": "актовом зале"}),
    ("joint_lab", "nauka", True, "В ВолжГТУ открылся совместный с Харбинским политехническим университетом центр",
     {"partner": "harbin", "topic": "в области робототехники"}),
    ("visit_abroad", "mezhdunarodnoe", True, "Делегация ВолжГТУ побывала с визитом в Монголии",
     {"partner": "mongolia"}),
    ("other", "studencheskaya-zhizn", False, "В библиотеке ВолжГТУ открылся коворкинг", {}),
    ("delegation_in", "mezhdunarodnoe", True, "ВолжГТУ посетила делегация Белорусского национального технического "
     "университета", {"partner": "bntu"}),
    ("school_visit", "obrazovanie", False, "Олимпиада для школьников прошла в ВолжГТУ",
     {"school": "Волгоградской области"}),
    ("industry", "partnerstvo", True, "ВолжГТУ и госкорпорация «Росатом» заключили соглашение о партнёрстве",
     {"partner": "rosatom"}),
    ("sport_team", "sport", False, "Волейболистки ВолжГТУ вышли в финал студенческой лиги",
     {"team": "Женская сборная ВолжГТУ по волейболу"}),
    ("memorandum", "mezhdunarodnoe", True, "Меморандум о взаимопонимании подписан с Гаванским технологическим "
     "университетом", {"partner": "havana"}),
]
_STATE2 = [
    ("agreement", "mezhdunarodnoe", True, "ВолжГТУ и Ташкентский государственный технический университет подписали "
     "соглашение", {"partner": "tashkent"}),
    ("science", "nauka", False, "Химики ВолжГТУ предложили новый способ очистки сточных вод",
     {"field": "химической технологии"}),
]

EDIT_SLUG = "sovmestnaya-laboratoriya-s-nankinskim-universitetom-aeronavtiki-otkrylas-v-volzhgtu"
EDIT_OLD = "Первые приглашённые исследователи приступят к работе в сентябре."
EDIT_NEW = "Первые приглашённые исследователи приступят к работе уже в июне."

REBRAND = (
    (r"Санкт-Петербургский политехнический университет Петра Великого",
     "Волжский государственный технический университет"),
    (r"Санкт-Петербургского политехнического университета Петра Великого",
     "Волжского государственного технического университета"),
    (r"ректор СПбПУ академик РАН Андрей Рудской", "ректор ВолжГТУ Андрей Соколов"),
    (r"научно-исследовательского корпуса «Технополис Политех»", "научно-образовательного центра «Технопарк ВолжГТУ»"),
    (r"«Технополиса Политех»", "«Технопарка ВолжГТУ»"), (r"«Технополис Политех»", "«Технопарк ВолжГТУ»"),
    (r"Белом зале Главного здания", "актовом зале главного корпуса"), (r"Белом зале Политеха", "актовом зале"),
    (r"Фундаментальной библиотеки", "научно-технической библиотеки"),
    (r"Политехническ(?:ий|ого|им|ом) университет(?:а|ом|е)?\b", "ВолжГТУ"),
    (r"Политехники", "Студенты и сотрудники ВолжГТУ"), (r"политехники", "представители ВолжГТУ"),
    (r"Политех(?:а|е|ом|у)?\b", "ВолжГТУ"), (r"СПбПУ", "ВолжГТУ"),
    (r"Санкт-Петербург(а|е)?\b", r"Волгоград\1"),
)

ADDRESS = "400131, г. Волгоград, ул. Набережная, д. 12"
PHONE = "Приёмная комиссия: +7 (8442) 00-00-00"
COOKIE = ("Мы используем cookie-файлы, чтобы сделать работу сайта удобнее.",
          "Продолжая пользоваться сайтом, вы соглашаетесь на обработку персональных данных")
COPYRIGHT = "© 1930–2024 ВолжГТУ"
SPECIAL = "Версия для слабовидящих"
CHROME = ("Поделиться:", "Читайте также", "Последние новости", *COOKIE, ADDRESS, PHONE, "Вы здесь", "Теги",
          "Главное меню", "Перейти к основному содержанию", "Все новости", COPYRIGHT, SPECIAL)


_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                      "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def slugify(title: str) -> str:
    """Pathauto with transliteration: lower case, Latin letters, hyphens."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in title.lower())
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-")


def _spec(i: int, item: tuple, state: int) -> UniSpec:
    kind, category, coop, title, params = item
    when = (START + timedelta(days=round(i * 3.1), hours=(i * 3) % 6, minutes=(i * 23) % 60)).replace(tzinfo=MSK)
    slug = slugify(title)
    extra = (EDIT_OLD,) if slug == EDIT_SLUG else ()
    return UniSpec(slug, title, when, kind, coop, category, 4100 + i * 3, tuple(params.items()), extra, state,
                   alias=i % 5 != 3)


def path_of(spec: UniSpec) -> str:
    return f"/news/{spec.slug}" if spec.alias else f"/node/{spec.node}"


SPECS = tuple(_spec(i, item, 1) for i, item in enumerate(_ITEMS)) + tuple(
    _spec(len(_ITEMS) + i, item, 2) for i, item in enumerate(_STATE2))

SITE = SiteDesc("drupal", "ru", "ВолжГТУ", SPECS, CATEGORIES, REBRAND,
                (EDIT_SLUG, EDIT_OLD, EDIT_NEW, datetime(2024, 5, 20, 17, 40, tzinfo=MSK)), path_of, CHROME)
