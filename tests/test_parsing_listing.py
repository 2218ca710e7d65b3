"""Listing pages: cards (URL, title, date, section) and the pager's own links, ru (PAGEN_2) and en (PAGEN_1)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from spiders.parsing.listing import Card, parse_listing
from spiders.sites.spbpu import PROFILE as SPBPU  # these pages are SPbPU's: read them with its profile

parse_listing = functools.partial(parse_listing, site=SPBPU)

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
RU = "https://www.spbstu.ru/media/news/"
EN = "https://english.spbstu.ru/media/news/?PAGEN_1=2"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_russian_cards_and_pager() -> None:
    listing = parse_listing(page("listing_ru.html"), RU)
    assert listing.cards == [
        Card(RU + "partnership/new-president-university-applied-sciences-wildau-spbpu/",
             "Новый президент университета Wildau в СПбПУ", "2018-03-16", "partnership", "Партнёрство"),
        Card(RU + "nauka_i_innovatsii/day-number-%CF%80-2018/", "День числа π", "2018-03-14",
             "nauka_i_innovatsii", "Наука и инновации"),
        Card(RU + "other/media-spbstu-207/", "Политехник № 207", "2018-03-13", "other", "Другое"),
    ]
    assert listing.next_url == RU + "?PAGEN_2=2"
    assert listing.page_urls == [RU + "?PAGEN_2=2", RU + "?PAGEN_2=3", RU + "?PAGEN_2=412"]


def test_english_cards_and_pager() -> None:
    listing = parse_listing(page("listing_en.html"), EN)
    assert [(c.title, c.published, c.section, c.section_name) for c in listing.cards] == [
        ("SPbPU implements scientific and educational cooperation in China", "2023-11-30",
         "international_activities", "International activities"),
        ("Polytech wins the cup", "2023-11-29", "sport", "Sport"),
    ]
    assert listing.cards[1].url == "https://english.spbstu.ru/media/news/sport/polytech-wins/"
    assert listing.next_url == "https://english.spbstu.ru/media/news/?PAGEN_1=3"


@pytest.mark.parametrize(("old", "new", "expected"), [
    (">Next<", ">»<", "http://127.0.0.1:8001/media/news/?PAGEN_1=3"),
    (">Next<", ">След.<", "http://127.0.0.1:8001/media/news/?PAGEN_1=3"),
    (">Next<", ">…<", "http://127.0.0.1:8001/media/news/?PAGEN_1=3"),  # no next link: the page after current
    ('<li><a href="/media/news/?PAGEN_1=3">3</a></li>\n    <li><a href="/media/news/?PAGEN_1=3">Next</a></li>',
     "", None),  # the last page
])
def test_next_link_is_read_from_the_pager(old: str, new: str, expected: str | None) -> None:
    html = page("listing_en.html")
    assert old in html
    assert parse_listing(html.replace(old, new), "http://127.0.0.1:8001/media/news/?PAGEN_1=2").next_url == expected


def test_section_from_the_label_class_when_the_url_has_none() -> None:
    html = page("listing_ru.html").replace("/media/news/partnership/new-president", "/news/new-president")
    card = parse_listing(html, RU).cards[0]
    assert (card.section, card.section_name) == ("partnership", "Партнёрство")


@pytest.mark.parametrize("html", ["", "<html><body><p>no cards</p></body></html>", "garbage <<<", "<div class='news-list'>"])
def test_empty_pages(html: str) -> None:
    listing = parse_listing(html, RU)
    assert (listing.cards, listing.next_url, listing.page_urls) == ([], None, [])


def _parsed_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the listing parser hands to lxml, in order."""
    from spiders.parsing import dom

    seen: list[str] = []
    real = dom.selector

    def spy(html: object) -> object:
        seen.append(html if isinstance(html, str) else "")
        return real(html)

    monkeypatch.setattr(dom, "selector", spy)
    return seen


def with_chrome(html: str) -> str:
    """The fixture behind a real page's ~100 KB of header and menus."""
    menu = "".join(f'<li><a href="/section-{i}/">Section {i}</a></li>' for i in range(2000))
    return html.replace("<body>", f"<body><header><ul>{menu}</ul></header>", 1)


def test_only_the_list_and_pager_are_parsed_when_they_end_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    html = with_chrome(page("listing_ru.html"))
    whole = parse_listing(html, RU)
    parsed = _parsed_texts(monkeypatch)
    fast = parse_listing(html, RU)
    assert fast == whole and len(fast.cards) == 3 and fast.next_url == RU + "?PAGEN_2=2"
    assert len(parsed) == 1 and parsed[0].startswith('<div class="news-list') and len(parsed[0]) < len(html) / 10


@pytest.mark.parametrize("move", ["pager before the list", "no pager"])
def test_the_whole_page_is_read_when_the_tail_lacks_the_pager(monkeypatch: pytest.MonkeyPatch, move: str) -> None:
    html = with_chrome(page("listing_ru.html"))
    start, end = html.index('<div class="pagination">'), html.index("</div>", html.index('<div class="pagination">'))
    pager = html[start:end + len("</div>")]
    html = html.replace(pager, "")
    if move == "pager before the list":
        html = html.replace("<header>", pager + "<header>", 1)
    parsed = _parsed_texts(monkeypatch)
    listing = parse_listing(html, RU)
    assert len(listing.cards) == 3 and parsed[-1] == html
    if move == "pager before the list":  # seen above the cut: the whole page at once
        assert parsed == [html] and listing.next_url == RU + "?PAGEN_2=2"
    else:  # the tail first, then the whole page
        assert len(parsed) == 2


def test_a_pager_above_the_list_wins_over_a_pager_like_list_below() -> None:
    """The whole page's first pager is the one read, not a footer's `ul.pagination` in the tail."""
    html = with_chrome(page("listing_ru.html"))
    start = html.index('<div class="pagination">')
    pager = html[start:html.index("</div>", start) + len("</div>")]
    footer = '<ul class="pagination"><li><a href="/gallery/?p=2">2</a></li></ul>'
    html = html.replace(pager, footer).replace("<header>", pager + "<header>", 1)
    listing = parse_listing(html, RU)
    assert listing.next_url == RU + "?PAGEN_2=2" and RU + "?PAGEN_2=3" in listing.page_urls
