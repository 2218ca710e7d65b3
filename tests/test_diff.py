"""The monitor's vocabulary and normalisation: page noise never reaches a fingerprint, feed or header."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from monitor.feeds import write_feed
from storage import archive
from storage.db import connect
from storage.diff import CHANGED, NEW, UNCHANGED, classify, fingerprint, normalise_line, normalise_text
from storage.queries import Filters


@pytest.mark.parametrize("raw,want", [
    ("  Первый\u00a0абзац. \n\n\n Второй\tабзац. ", "Первый абзац.\n\nВторой абзац."),
    ("a\r\nb\r\n\r\nc", "a b\n\nc"),
    ("bell\x07 and\x00 null\x1f", "bell and null"),
    ("", ""),
])
def test_normalise_text(raw: str, want: str) -> None:
    assert normalise_text(raw) == want


def test_fingerprint_ignores_noise_and_time_of_day() -> None:
    base = fingerprint("Заголовок", "Текст.", "2024-09-27")
    assert fingerprint(" Заголовок\u00a0", "Текст. \n", "2024-09-27T12:50:00+03:00") == base
    assert fingerprint("Заголовок", "Текст!", "2024-09-27") != base


def test_classify() -> None:
    assert classify(None, "a") == NEW
    assert classify("a", "a") == UNCHANGED
    assert classify("a", "b") == CHANGED


def test_control_characters_never_reach_a_feed(tmp_path: Path) -> None:
    """A scraped title with a control character once crashed `newsmon feed` (XML refuses it)."""
    db = connect(tmp_path / "a.db")
    title, body = normalise_line("Соглашение\x08 подписано"), normalise_text("Текст\x0c статьи.")
    archive.store(db, {"url": "https://www.spbstu.ru/media/news/partnership/x/", "source": "spbpu-ru",
                       "lang": "ru", "title": title, "body": body, "published": "2024-09-27",
                       "fingerprint": fingerprint(title, body, "2024-09-27")})
    target = tmp_path / "feed.xml"
    write_feed(db, None, Filters(), target)
    feed = feedparser.parse(target.read_bytes())
    assert not feed.bozo and feed.entries[0].title == "Соглашение подписано"
