"""The replay's vocabulary: sections, article specs, body blocks and the site's date formats."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

MSK = timezone(timedelta(hours=3))

# code -> (ru name, en name, card label class or None)
SECTIONS: dict[str, tuple[str, str, str | None]] = {
    "achievements": ("Достижения", "Achievements", "cat-ach"),
    "nauka_i_innovatsii": ("Наука и инновации", "Science and Innovations", "cat-sci"),
    "international_activities": ("Международная деятельность", "International activities", "cat-int"),
    "education": ("Образование", "Education", "cat-edu"),
    "partnership": ("Партнёрство", "Partnership", "cat-part"),
    "politech-media": ("Политех МЕДИА", "Polytech MEDIA", "cat-media"),
    "studencheskaya_zhizn": ("Университетская жизнь", "University life", "cat-stud"),
    "sport": ("Спорт", "Sport", "cat-sport"),
    "other": ("Другое", "Other", None),
}

RU_WEEKDAYS = ("Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье")
RU_MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря")
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
RFC_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RFC_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def section_name(lang: str, code: str) -> str:
    """The section's display name on the host of `lang`."""
    ru, en, _ = SECTIONS[code]
    return ru if lang == "ru" else en


def card_date(lang: str, when: datetime) -> str:
    """Listing card date: `Пятница, 16 Марта 2018` / `Friday, 16 March 2018`."""
    if lang == "ru":
        month = RU_MONTHS_GEN[when.month - 1].capitalize()
        return f"{RU_WEEKDAYS[when.weekday()]}, {when.day} {month} {when.year}"
    return f"{EN_WEEKDAYS[when.weekday()]}, {when.day} {EN_MONTHS[when.month - 1]} {when.year}"


def meta_date(lang: str, when: datetime) -> str:
    """Article meta line date: `17 июля 2024` / `1 June 2023`."""
    months = RU_MONTHS_GEN if lang == "ru" else EN_MONTHS
    return f"{when.day} {months[when.month - 1]} {when.year}"


def print_date(when: datetime) -> str:
    """Print page date: `2023.11.30`."""
    return when.strftime("%Y.%m.%d")


def rfc822(when: datetime) -> str:
    """RSS pubDate in +0300: `Fri, 27 Sep 2024 12:50:00 +0300`."""
    when = when.astimezone(MSK)
    return (f"{RFC_DAYS[when.weekday()]}, {when.day:02d} {RFC_MONTHS[when.month - 1]} {when.year} "
            f"{when:%H:%M:%S} +0300")


def parse_when(text: str) -> datetime:
    """`2024-09-27 12:50` in Moscow time."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=MSK)


@dataclass(frozen=True)
class Image:
    """One article image: full-size URL path, the sizes the pages show, and its caption."""

    full: str
    caption: str

    @property
    def view(self) -> str:
        return self.full.replace("/upload/iblock/", "/upload/resize_cache/iblock/", 1).rsplit("/", 1)[0] \
            + "/800_600_1/" + self.full.rsplit("/", 1)[1]

    @property
    def thumb(self) -> str:
        return self.view.replace("/800_600_1/", "/300_200_2/")


@dataclass(frozen=True)
class Block:
    """A body block: kind is lead, p, h2, h3, h4, ul, quote or img; text uses the inline mini-markup."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    image: Image | None = None
    html: str | None = None           # stored HTML that overrides rendering `text` (Bitrix leads)


@dataclass
class Spec:
    """The compact description of one article; everything else is generated from it."""

    lang: str
    section: str
    slug: str
    title: str
    when: datetime
    kind: str
    coop: bool
    params: dict[str, str] = field(default_factory=dict)
    lead: str | None = None           # lead as stored by Bitrix (HTML entities allowed)
    rss_prefix: str | None = None     # exact RSS description text before "..." (entity form)
    rss_ws: str = "\n\t "             # whitespace the real feed puts before a description
    enclosure: tuple[str, int] | None = None
    body: tuple[str, ...] | None = None   # explicit blocks in mini-markup, replaces the generated body
    extra: tuple[str, ...] = ()       # explicit blocks added to a generated body (after the first paragraph)
    state: int = 1
    entities: bool = False            # typograf writes «», — as &laquo;&raquo;, &mdash;

    @property
    def path(self) -> str:
        return f"/media/news/{self.section}/{self.slug}/"


_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SHORT = re.compile(r"(?<![\w-])([ВвСсКкОоУуИиАаНн]а?|[Нн]а|[Пп]о|[Зз]а|[Ии]з|[Оо]т|[Дд]о|[Вв]о|[Сс]о|[Нн]е) ")


def inline_text(text: str) -> str:
    """Plain text of a mini-markup string (link labels kept, markup dropped)."""
    return _BOLD.sub(r"\1", _LINK.sub(r"\1", text))


def typograf(escaped: str, entities: bool) -> str:
    """Bitrix typograf habits on escaped HTML: &nbsp; after short Russian words, before dashes."""
    out = _SHORT.sub(r"\1&nbsp;", escaped).replace(" — ", "&nbsp;— ")
    if entities:
        out = out.replace("«", "&laquo;").replace("»", "&raquo;").replace("—", "&mdash;")
    return out


def inline_html(text: str, lang: str, entities: bool = False) -> str:
    """HTML of a mini-markup string: escaped, links and bold, Russian typography."""
    out = html.escape(text, quote=False)
    out = _LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    return typograf(out, entities) if lang == "ru" else out


def cut_description(lead_html: str, limit: int = 100) -> str:
    """Bitrix preview text: whole words of the lead up to `limit` visible characters."""
    tokens = re.split(r"( |&nbsp;)", lead_html)
    out = ""
    for i in range(0, len(tokens), 2):
        candidate = out + tokens[i]
        if len(html.unescape(re.sub(r"<[^>]+>", "", candidate))) > limit:
            break
        out = candidate + (tokens[i + 1] if i + 1 < len(tokens) else "")
    return re.sub(r"<[^>]+>", "", out).rstrip(" ").removesuffix("&nbsp;")
