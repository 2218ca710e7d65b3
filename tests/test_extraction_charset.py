"""Page bytes decode right: BOM, header, <meta>, and windows-1251 / KOI8-R told apart without either."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from spiders.extraction.charset import codec_of, declared_charset, decode_html, guess

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
RUSSIAN = ("<html><head><title>Новости</title></head><body><h1>Политех и 'Роснефть' подписали соглашение</h1>"
           "<p>Санкт-Петербургский политехнический университет Петра Великого и компания подписали соглашение "
           "о сотрудничестве в области подготовки кадров и совместных исследований. Ёлки, щётки, объём.</p>"
           "</body></html>")
ENGLISH = "<html><body><p>Caf\u00e9 na\u00efve r\u00e9sum\u00e9: a page in Western European text.</p></body></html>"


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r", "utf-8"])
def test_russian_without_any_declaration(codec: str) -> None:
    assert decode_html(RUSSIAN.encode(codec)) == RUSSIAN


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_short_russian_snippets(codec: str) -> None:
    for text in ("Новости университета", "Объявление", "Приём документов"):
        assert decode_html(f"<p>{text}</p>".encode(codec)) == f"<p>{text}</p>"


@pytest.mark.parametrize(("header", "codec"), [
    ("windows-1251", "cp1251"), ("cp1251", "cp1251"), ("KOI8-R", "koi8-r"), ("koi8_r", "koi8-r"),
    ("utf-8", "utf-8"), ("UTF8", "utf-8")])
def test_header_charset(header: str, codec: str) -> None:
    assert decode_html(RUSSIAN.encode(codec), header) == RUSSIAN


def test_header_beats_meta_and_meta_beats_guessing() -> None:
    page = RUSSIAN.replace("<head>", '<head><meta charset="koi8-r">')
    assert decode_html(page.encode("koi8-r")) == page
    assert decode_html(page.encode("cp1251"), "windows-1251") == page
    http_equiv = RUSSIAN.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    assert decode_html(http_equiv.encode("cp1251")) == http_equiv


def test_a_false_utf8_declaration_is_not_trusted() -> None:
    page = RUSSIAN.replace("<head>", '<head><meta charset="utf-8">')
    assert decode_html(page.encode("cp1251"), "utf-8") == page


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_bom_wins(bom: bytes, codec: str) -> None:
    assert decode_html(bom + RUSSIAN.encode(codec), "windows-1251") == RUSSIAN


def test_western_text_is_not_taken_for_cyrillic() -> None:
    assert guess(ENGLISH.encode("cp1252")) == "cp1252"
    assert decode_html(ENGLISH.encode("cp1252")) == ENGLISH


def test_labels() -> None:
    assert codec_of("Windows-1251") == "cp1251"
    assert codec_of("win-1251") == "cp1251"
    assert codec_of("iso-8859-1") == "cp1252"
    assert codec_of("x-no-such-charset") is None
    assert declared_charset(b'<?xml version="1.0" encoding="KOI8-R"?><rss/>') == "koi8-r"


def test_undecodable_bytes_never_raise() -> None:
    assert isinstance(decode_html(b"\xff\xfe\x00garbage\x81\x98", "utf-8"), str)
    assert decode_html(b"") == ""


@pytest.mark.parametrize("name", [n for n, t in json.loads((FIXTURES / "expected.json").read_text("utf-8")).items()
                                  if "charset" in t])
def test_fixture_pages(name: str) -> None:
    truth = json.loads((FIXTURES / "expected.json").read_text("utf-8"))[name]
    text = decode_html((FIXTURES / name).read_bytes())
    assert truth["title"] in text.replace("&laquo;", "«")
