"""Interface text in English and Russian, chosen by ?ui=, then the `newsmon_ui` cookie, then the browser.

Only the interface is translated; scraped text is shown as archived.
"""

from __future__ import annotations

from typing import Any

LANGS = ("en", "ru")
COOKIE = "newsmon_ui"

STRINGS: dict[str, tuple[str, str]] = {
    "site": ("newsmon — news archive", "newsmon — архив новостей"),
    "skip": ("Skip to content", "Перейти к содержанию"),
    "nav": ("Main", "Основное меню"),
    "latest": ("Latest news", "Свежие новости"),
    "changed": ("Changed", "Изменённые"),
    "status": ("Crawl status", "Состояние обхода"),
    "raw": ("Tables and SQL", "Таблицы и SQL"),
    "switch": ("Русский", "English"),
    "switch_label": ("Interface language", "Язык интерфейса"),
    "search": ("Search", "Поиск"),
    "search_label": ("Search the archive (any word form)", "Поиск по архиву (в любой форме слова)"),
    "search_hint": ('Words in any form, "phrases", prefix*, OR, NOT', 'Слова в любой форме, "фразы", префикс*, OR, NOT'),
    "filters": ("Filters", "Фильтры"),
    "source": ("Source", "Источник"),
    "lang": ("Language", "Язык"),
    "section": ("Section", "Раздел"),
    "topic": ("Topic", "Тема"),
    "since": ("From", "С"),
    "until": ("To", "По"),
    "any": ("any", "любой"),
    "apply": ("Apply", "Применить"),
    "reset": ("Reset", "Сбросить"),
    "results_for": ("Results for", "Результаты по запросу"),
    "no_results": ("No matching articles.", "Подходящих статей нет."),
    "prev": ("Newer", "Новее"),
    "next": ("Older", "Старше"),
    "prev_results": ("Previous", "Назад"),
    "next_results": ("More results", "Ещё результаты"),
    "page": ("Page", "Страница"),
    "feed": ("Atom feed of this view", "Atom-лента этой выборки"),
    "undated": ("undated", "без даты"),
    "original": ("Original article", "Оригинал статьи"),
    "published": ("Published", "Опубликовано"),
    "first_seen": ("First seen", "Впервые найдено"),
    "updated": ("Changed", "Изменено"),
    "topics": ("Topics", "Темы"),
    "matched": ("matched words", "совпавшие слова"),
    "images": ("Images", "Изображения"),
    "versions": ("Versions", "Версии"),
    "version": ("version", "версия"),
    "seen": ("seen", "найдена"),
    "first_version": ("first version", "первая версия"),
    "unchanged_pars": ("unchanged paragraph(s)", "неизменённых абзацев"),
    "title_changed": ("Title", "Заголовок"),
    "date_changed": ("Date", "Дата"),
    "extracted_by": ("Extracted by", "Извлечено"),
    "field_title": ("title", "заголовок"),
    "field_body": ("text", "текст"),
    "field_date": ("date", "дата"),
    "no_changes": ("No article has changed since it was first archived.",
                   "Ни одна статья не менялась после первого сохранения."),
    "changed_intro": ("Articles edited after they were first archived, the latest edit first.",
                      "Статьи, отредактированные после первого сохранения; сначала последние правки."),
    "last_run": ("Last crawl", "Последний обход"),
    "next_run": ("Next crawl", "Следующий обход"),
    "times_in": ("Times are local to the server:", "Время сервера:"),
    "never": ("never crawled", "ещё не обходился"),
    "outcome": ("Outcome", "Итог"),
    "new": ("new", "новых"),
    "changed_n": ("changed", "изменённых"),
    "unchanged": ("unchanged", "без изменений"),
    "errors": ("errors", "ошибок"),
    "listed": ("listed", "в списках"),
    "fallbacks": ("fallbacks", "запасных извлечений"),
    "overdue": ("Overdue", "Просрочены"),
    "none": ("none", "нет"),
    "problems": ("Problems", "Проблемы"),
    "alerts": ("Alerts", "Оповещения"),
    "pending": ("pending", "в очереди"),
    "sent": ("sent", "отправлено"),
    "failed": ("failed", "не доставлено"),
    "daemon": ("Daemon", "Демон"),
    "daemon_running": ("running", "работает"),
    "daemon_stopped": ("not running", "не запущен"),
    "not_configured": ("not in the configuration", "нет в конфигурации"),
    "error": ("Cannot show this", "Не удалось показать"),
    "not_found": ("Not found", "Не найдено"),
    "crawling_now": ("crawling now", "идёт обход"),
}


def pick(query_ui: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The interface language: an explicit choice, the remembered one, else the browser's first ru/en."""
    for value in (query_ui, cookie):
        if value in LANGS:
            return value
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "en"


def translator(lang: str) -> Any:
    """t(key) in the chosen language (the key itself when missing, so a gap shows rather than breaks)."""
    index = LANGS.index(lang)
    return lambda key: STRINGS[key][index] if key in STRINGS else key
