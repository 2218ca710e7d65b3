"""spiders.parsing.dom: its shortcuts past parsel give exactly what parsel gives."""

from __future__ import annotations

import re
from pathlib import Path

import parsel
import pytest

from spiders.parsing import dom
from spiders.sites.spbpu import PROFILE as SPBPU

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
PAGES = ("article_ru.html", "article_en.html", "listing_ru.html", "print_en.html")
QUERIES = ("h1", "img", "a[href]", "div p", ".news-date", "figure figcaption", "li:nth-child(2)", "a::attr(href)",
           *SPBPU.body, *SPBPU.meta, *SPBPU.date)


@pytest.fixture(scope="module", params=PAGES)
def page(request: pytest.FixtureRequest) -> parsel.Selector:
    return dom.selector((FIXTURES / request.param).read_text(encoding="utf-8"))


def test_first_is_parsels_first_match(page: parsel.Selector) -> None:
    for scope in (page, *page.css("div")[:40]):
        for query in QUERIES:
            expected = scope.css(query)
            found = dom.first(scope, query)
            assert (found.get() if found is not None else None) == (expected[0].get() if expected else None), query


def test_first_takes_the_first_query_that_matches(page: parsel.Selector) -> None:
    found = dom.first(page, ["nothing-here", "a[href]", "p"])
    assert found is not None and found.get() == page.css("a[href]")[0].get()
    expected = page.css("div").css("a")
    found = dom.first(page.css("div"), "a")  # a SelectorList: the first match of its first member that has one
    assert (found.get() if found is not None else None) == (expected[0].get() if expected else None)


def test_text_of_is_parsels_text(page: parsel.Selector) -> None:
    for el in page.css("div, p, h1, a, li")[:200]:
        texts = el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()
        assert dom.text_of(el, " ") == dom.clean(" ".join(texts))



START = re.compile(r"""<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bnews-detail\b""", re.I)
CHROME = "<html><body>" + "<div class='menu'><a href='/x'>x</a></div>" * 50


class Searches:
    """START, counting its whole-text searches."""

    def __init__(self) -> None:
        self.searches = 0

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        return START.match(text, pos)

    def search(self, text: str) -> re.Match[str] | None:
        self.searches += 1
        return START.search(text)


@pytest.mark.parametrize(("html", "expected", "searched"), [
    ('<p>news-detail</p><div id="x" class="a news-detail">', '<div id="x" class="a news-detail', 0),
    # the mark in a script and on a <span> is not the tag
    ('<script>var c = "news-detail";</script><span class="news-detail"></span><div class="news-detail b">',
     '<div class="news-detail', 0),
    ('<DIV CLASS="News-Detail">', '<DIV CLASS="News-Detail', 1),  # the mark's case differs: the regex decides
    ("<div class='other'>news-detail", None, 1),
])
def test_start_tag_with_a_mark_finds_what_the_regex_finds(html: str, expected: str | None, searched: int) -> None:
    page, start = CHROME + html, Searches()
    found = dom.start_tag(page, start, mark="news-detail")  # type: ignore[arg-type]
    plain = START.search(page)
    assert (found.group() if found else None) == (plain.group() if plain else None) == expected
    assert start.searches == searched  # the page is searched only when no tag around the mark matches
    assert (dom.start_tag(page, START, mark="news-detail", search=False) is None) == bool(searched)
