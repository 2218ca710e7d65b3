"""The next listing page from any CMS's pager; never a previous, first or last page, never another site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spiders.discovery.pager import next_page, page_number, pager_kind

HERE = Path(__file__).parent / "fixtures"
WP = "https://news.northfield.example"
DRUPAL = "https://www.volga-tech.example"
BITRIX = "https://www.ural-polytech.example"
JOOMLA = "https://www.northern-state.example"
DJANGO = "https://iti.example.ac"


def page(name: str) -> str:
    folder = "parsing" if name.startswith("listing_") else "discovery"
    return (HERE / folder / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "url", "expected"), [
    ("wordpress_page1.html", WP + "/news/", WP + "/news/page/2/"),
    ("wordpress_page2.html", WP + "/news/page/2/", WP + "/news/page/3/"),
    ("drupal_page0.html", DRUPAL + "/novosti", DRUPAL + "/novosti?page=1"),
    ("drupal_page1.html", DRUPAL + "/novosti?page=1", DRUPAL + "/novosti?page=2"),
    ("bitrix_page1.html", BITRIX + "/press/news/", BITRIX + "/press/news/?PAGEN_1=2"),
    ("joomla_page1.html", JOOMLA + "/news", JOOMLA + "/news?start=5"),
    ("django_page1.html", DJANGO + "/news/", DJANGO + "/news/?page=2"),
    ("django_page2.html", DJANGO + "/news/?page=2", DJANGO + "/news/?page=3"),
    ("listing_ru.html", "https://www.spbstu.ru/media/news/", "https://www.spbstu.ru/media/news/?PAGEN_2=2"),
    ("listing_en.html", "https://english.spbstu.ru/media/news/?PAGEN_1=2",
     "https://english.spbstu.ru/media/news/?PAGEN_1=3"),
])
def test_next_page_of_each_cms(name: str, url: str, expected: str) -> None:
    assert next_page(page(name), url) == expected


def _without(html: str, *patterns: str) -> str:
    for pattern in patterns:
        html, count = re.subn(pattern, "", html, flags=re.S)
        assert count, pattern  # the variant really differs from the page
    return html


@pytest.mark.parametrize(("name", "url", "strip", "expected"), [
    # no rel="next": the next class; then no class either: "Older posts"; then numbers only
    ("wordpress_page1.html", WP + "/news/", [r'<link rel="next"[^>]*>'], WP + "/news/page/2/"),
    ("wordpress_page1.html", WP + "/news/", [r'<link rel="next"[^>]*>', r"next page-numbers"], WP + "/news/page/2/"),
    ("wordpress_page2.html", WP + "/news/page/2/", [r'<a class="next page-numbers".*?</a>'], WP + "/news/page/3/"),
    ("drupal_page1.html", DRUPAL + "/novosti?page=1", [r' rel="next"'], DRUPAL + "/novosti?page=2"),
    ("drupal_page1.html", DRUPAL + "/novosti?page=1", [r'<li class="pager__item pager__item--next">.*?</li>'],
     DRUPAL + "/novosti?page=2"),
    ("drupal_page0.html", DRUPAL + "/novosti", [r'<li class="pager__item pager__item--next">.*?</li>'],
     DRUPAL + "/novosti?page=1"),
    ("bitrix_page1.html", BITRIX + "/press/news/", [r'<a href="/press/news/\?PAGEN_1=2">След\.</a>'],
     BITRIX + "/press/news/?PAGEN_1=2"),
    ("joomla_page1.html", JOOMLA + "/news", [r'<li class="pagination-next">.*?</li>'], JOOMLA + "/news?start=5"),
])
def test_fallbacks_when_the_stronger_evidence_is_missing(name: str, url: str, strip: list[str],
                                                         expected: str) -> None:
    assert next_page(_without(page(name), *strip), url) == expected


@pytest.mark.parametrize(("name", "url", "strip"), [
    # the last page: only "previous", "first" and numbered links behind
    ("wordpress_page2.html", WP + "/news/page/2/", [r'<a class="next page-numbers".*?</a>',
                                                     r'<a class="page-numbers" href="[^"]*/page/(?:3|41)/">.*?</a>']),
    ("drupal_page1.html", DRUPAL + "/novosti?page=1", [r'<li class="pager__item pager__item--next">.*?</li>',
                                                       r'<li class="pager__item"><a href="\?page=[234]".*?</li>']),
    ("bitrix_page1.html", BITRIX + "/press/news/", [r'<a href="/press/news/\?PAGEN_1=\d+">[^<]*</a>']),
])
def test_no_next_on_the_last_page(name: str, url: str, strip: list[str]) -> None:
    assert next_page(_without(page(name), *strip), url) is None


@pytest.mark.parametrize(("html", "expected"), [
    ('<div class="pager"><a href="/news/?page=3" class="prev">Предыдущая</a><a href="/news/?page=5">Последняя</a>'
     '</div>', None),
    ('<ul class="pagination"><li class="prev"><a href="/news/?page=3">«</a></li><li class="active"><span>4</span>'
     '</li><li><a href="/news/?page=5">5</a></li><li class="last"><a href="/news/?page=9">»»</a></li></ul>',
     "https://u.example/news/?page=5"),
    ('<div class="nav-links"><div class="nav-previous"><a href="/news/page/5/">← Older posts</a></div>'
     '<div class="nav-next"><a href="/news/page/3/">Newer posts →</a></div></div>', "https://u.example/news/page/5/"),
    ('<p><a href="https://other.example/news/?page=5">Далее</a></p>', None),  # off the site
    ('<p><a href="/news/?page=3">Следующая →</a></p>', None),  # goes back
    ('<a href="/news/1/">Далее</a><a href="/news/2/">Далее</a><a href="/news/?page=5">Далее</a>',
     "https://u.example/news/?page=5"),  # "Далее" under every card is a "read more"
    ('<nav aria-label="Pagination"><a class="page-link" aria-label="Go to next page" href="/news/?page=5">'
     '<span class="icon-angle-right" aria-hidden="true"></span></a><a class="page-link" aria-label="Go to end page"'
     ' href="/news/?page=9"><span class="icon-angle-double-right"></span></a></nav>', "https://u.example/news/?page=5"),
    ('<b>4</b> <a href="/news/?page=5">5</a> <a href="/news/?page=6">6</a> <a href="/news/?page=80">»</a>',
     "https://u.example/news/?page=5"),  # a "»" that jumps to the last page
    ('<span class="modern-page-current">4</span> <a href="/news/?PAGEN_1=5">5</a> '
     '<a class="modern-page-next" href="/news/?PAGEN_1=5">След.</a>', "https://u.example/news/?PAGEN_1=5"),
])
def test_next_link_evidence(html: str, expected: str | None) -> None:
    assert next_page(f"<html><body>{html}</body></html>", "https://u.example/news/?page=4") == expected


def test_the_sources_selector_comes_first() -> None:
    html = ('<a class="next" href="/news/?page=5">Next</a>'
            '<div class="load"><a data-x href="/news/more/?from=20">Показать больше</a></div>')
    url = "https://u.example/news/?page=4"
    assert next_page(html, url, selector="div.load a") == "https://u.example/news/more/?from=20"
    assert next_page(html, url, selector="div.missing a") == "https://u.example/news/?page=5"
    assert next_page(html, url, selector="div[") == "https://u.example/news/?page=5"  # a broken selector


@pytest.mark.parametrize(("url", "kind", "number"), [
    ("https://u.example/news/page/2/", "path", 2),
    ("https://u.example/novosti?page=1", "page0", 1),
    ("https://u.example/news/?page=2", "page", 2),
    ("https://u.example/media/news/?PAGEN_2=2", "bitrix:PAGEN_2", 2),
    ("https://u.example/news?start=10", "offset:start", 10),
    ("https://u.example/news/", None, None),
])
def test_pager_kind(url: str, kind: str | None, number: int | None) -> None:
    assert pager_kind(url) == kind
    assert (page_number(url) or (None, None))[1] == number


@pytest.mark.parametrize("html", ["", "garbage <<<", "<p>no pager</p>"])
def test_pages_without_a_pager(html: str) -> None:
    assert next_page(html, "https://u.example/news/") is None
