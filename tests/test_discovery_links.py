"""Article links of listing pages from several CMS families: the exact list, in page order, without the chrome."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spiders.discovery.links import Link, article_links, sidebar_filter, sidebar_urls

HERE = Path(__file__).parent / "fixtures"
WP = "https://news.northfield.example"
DRUPAL = "https://www.volga-tech.example"
BITRIX = "https://www.ural-polytech.example"
JOOMLA = "https://www.northern-state.example"
DJANGO = "https://iti.example.ac"


def page(name: str) -> str:
    folder = "parsing" if name.startswith("listing_") else "discovery"
    return (HERE / folder / name).read_text(encoding="utf-8")


def urls_of(links: list[Link]) -> list[str]:
    return [link.url for link in links]


def test_wordpress_posts_without_widgets_menus_or_taxonomy() -> None:
    links = article_links(page("wordpress_page1.html"), WP + "/news/")
    assert urls_of(links) == [WP + path for path in (
        "/2024/03/14/northfield-signs-agreement-with-tu-delft/",
        "/2024/03/13/new-joint-laboratory-for-quantum-materials/",
        "/2024/03/12/students-win-regional-robotics-cup/",
        "/2024/03/11/library-extends-opening-hours/",
        "/2024/03/08/delegation-from-kyoto-university-visits/",
        "/2024/03/07/open-day-on-march-23/",
        "/2024/03/05/professor-lee-elected-to-academy/",
        "/2024/03/04/winter-school-in-data-science-results/",
        "/2024/03/01/new-dormitory-construction-begins/",
        "/2024/02/29/alumni-meeting-in-berlin/",
    )]
    assert links[0] == Link(WP + "/2024/03/14/northfield-signs-agreement-with-tu-delft/",
                            "Northfield signs a research agreement with TU Delft", "March 14, 2024")


def test_wordpress_second_page_is_not_the_recent_posts_widget() -> None:
    links = article_links(page("wordpress_page2.html"), WP + "/news/page/2/")
    assert len(links) == 10
    assert links[0].url == WP + "/2024/02/27/grant-for-battery-research/"
    assert links[-1] == Link(WP + "/2024/02/07/lecture-by-nobel-laureate/",
                             "Public lecture by a Nobel laureate on climate physics", "February 7, 2024")


def test_drupal_view_rows_not_the_sidebar_view() -> None:
    links = article_links(page("drupal_page0.html"), DRUPAL + "/novosti")
    assert urls_of(links) == [DRUPAL + "/novosti/" + slug for slug in (
        "soglashenie-s-universitetom-tsinghua", "otkrytie-laboratorii-robototekhniki", "studenty-pobedili-v-hakatone",
        "den-otkrytykh-dverey-2024", "delegatsiya-iz-kazakhstana", "vesennyaya-shkola-molodykh-uchenykh",
        "grant-rnf-na-issledovanie-splavov", "sportivnyy-festival-gto")]
    assert links[0].title == "Подписано соглашение о сотрудничестве с Университетом Цинхуа"
    assert links[0].date_text == "12 марта 2024 г."


def test_bitrix_news_list_with_picture_and_title_links() -> None:
    links = article_links(page("bitrix_page1.html"), BITRIX + "/press/news/")
    assert urls_of(links) == [f"{BITRIX}/press/news/{n}/" for n in (4512, 4509, 4507, 4503, 4498, 4490)]
    assert links[2] == Link(BITRIX + "/press/news/4507/", "Соглашение о сотрудничестве подписано с Белорусским "
                            "национальным техническим университетом", "13.03.2024")


def test_joomla_blog_keeps_its_leading_article() -> None:
    links = article_links(page("joomla_page1.html"), JOOMLA + "/news")
    assert urls_of(links) == [JOOMLA + "/news/" + alias for alias in (
        "218-international-summer-school-opens-registration", "217-faculty-of-chemistry-celebrates-90-years",
        "215-cooperation-agreement-with-university-of-tartu", "214-student-theatre-premiere",
        "212-new-scholarships-for-international-students")]
    assert links[0].date_text == "Published: 15 March 2024"


def test_django_cards_without_category_filters() -> None:
    links = article_links(page("django_page1.html"), DJANGO + "/news/")
    assert urls_of(links) == [f"{DJANGO}/news/{n}/" for n in (931, 930, 928, 927, 925, 922)]
    assert [link.date_text for link in links][:2] == ["14.03.2024", "13.03.2024"]


@pytest.mark.parametrize(("name", "url", "expected"), [
    ("listing_ru.html", "https://www.spbstu.ru/media/news/", [
        Link("https://www.spbstu.ru/media/news/partnership/new-president-university-applied-sciences-wildau-spbpu/",
             "Новый президент университета Wildau в СПбПУ", "Пятница, 16 Марта 2018"),
        Link("https://www.spbstu.ru/media/news/nauka_i_innovatsii/day-number-%CF%80-2018/", "День числа π",
             "Среда, 14 Марта 2018"),
        Link("https://www.spbstu.ru/media/news/other/media-spbstu-207/", "Политехник № 207",
             "Вторник, 13 Марта 2018")]),
    ("listing_en.html", "https://english.spbstu.ru/media/news/?PAGEN_1=2", [
        Link("https://english.spbstu.ru/media/news/international_activities/spbpu-implements-cooperation-in-china/",
             "SPbPU implements scientific and educational cooperation in China", "Thursday, 30 November 2023"),
        Link("https://english.spbstu.ru/media/news/sport/polytech-wins/", "Polytech wins the cup",
             "Wednesday, 29 November 2023")]),
])
def test_spbpu_listings(name: str, url: str, expected: list[Link]) -> None:
    assert article_links(page(name), url) == expected


def test_a_pattern_keeps_only_article_urls() -> None:
    html = page("django_page1.html").replace('href="/news/925/"', 'href="/events/925/"')
    links = article_links(html, DJANGO + "/news/", pattern=re.compile(r"^/news/\d+/?$"))
    assert f"{DJANGO}/events/925/" not in urls_of(links)
    assert len(links) == 5
    assert article_links(html, DJANGO + "/news/", pattern=r"^/news/\d+/?$") == links  # as written in a config
    assert len(article_links(html, DJANGO + "/news/", pattern="")) == 6


def test_base_url_bounds_the_site() -> None:
    assert article_links(page("bitrix_page1.html"), BITRIX + "/press/news/", base_url=BITRIX + "/events/") == []
    assert len(article_links(page("bitrix_page1.html"), BITRIX + "/press/news/", base_url=BITRIX + "/press/")) == 6


def _last_page_with_an_unmarked_sidebar() -> str:
    """Drupal's last page (3 items) whose "recent news" block has no sidebar class: it then outnumbers the list."""
    html = page("drupal_page1.html").replace("region-sidebar-second", "region-second").replace(
        "layout-sidebar-second", "layout-second")
    rows = html.split('<div class="views-row views-row-')
    return '<div class="views-row views-row-'.join(rows[:4]) + "\n    </div>" + rows[-1][rows[-1].index("<nav"):]


def test_a_block_repeated_on_every_page_is_not_the_list() -> None:
    first = article_links(page("drupal_page0.html"), DRUPAL + "/novosti")
    last_html = _last_page_with_an_unmarked_sidebar()
    last = article_links(last_html, DRUPAL + "/novosti?page=1")
    assert [link.url.rsplit("/", 1)[1] for link in last][:2] == ["soglashenie-s-universitetom-tsinghua",
                                                                 "otkrytie-laboratorii-robototekhniki"]
    repeated = sidebar_urls([first, last])
    assert len(repeated) == 5
    again = article_links(last_html, DRUPAL + "/novosti?page=1", exclude=repeated)
    assert [link.url.rsplit("/", 1)[1] for link in again] == [
        "vstrecha-s-vypusknikami", "konkurs-studencheskikh-proektov", "seminar-po-iskusstvennomu-intellektu"]


def test_an_item_that_slid_to_the_next_page_is_not_a_sidebar() -> None:
    one = [Link(f"https://u.example/news/{n}/", f"Item {n}") for n in (10, 9, 8, 7)]
    two = [Link(f"https://u.example/news/{n}/", f"Item {n}") for n in (7, 6, 5, 4)]
    assert sidebar_urls([one, two]) == set()
    assert sidebar_urls([one, two, one[:2]]) == {"https://u.example/news/10/", "https://u.example/news/9/"}
    assert sidebar_filter([one, two]) == [one, two[1:]]


def test_sidebar_filter_drops_a_block_an_earlier_page_listed() -> None:
    one = [Link(f"https://u.example/news/{n}/", f"Item {n}") for n in (10, 9, 8, 7)]
    assert sidebar_filter([one, one[:3], one[:3]]) == [one, [], []]


@pytest.mark.parametrize("html", ["", "garbage <<<", "<html><body><nav><a href='/news/1/'>One long title "
                                  "here</a><a href='/news/2/'>Two long title here</a></nav></body></html>"])
def test_pages_without_a_list(html: str) -> None:
    assert article_links(html, "https://u.example/news/") == []


def _grid() -> str:
    """A Bootstrap grid: a featured story, then rows of three whole-card links, beside an unmarked menu."""
    rows = "".join('<div class="row">' + "".join(
        f'<div class="col-md-4"><a class="card" href="/news/item-{r}{i}/"><img src="/i/{r}{i}.jpg" alt="">'
        f'<h3 class="card-title">Item {r}{i} of the university news</h3><span class="date">1{i}.03.2024</span></a>'
        "</div>" for i in range(3)) + "</div>" for r in range(3))
    return ('<html><body><div class="menu"><a href="/about/">About</a><a href="/study/">Study</a>'
            '<a href="/news/">News</a></div><div class="container"><div class="featured"><a href="/news/top/">'
            f"<h2>The top story of the week at the university</h2></a><p>12.03.2024</p></div>{rows}</div>"
            '<div class="footer-links"><a href="/a/">Accessibility</a><a href="/b/">Sitemap</a></div></body></html>')


def test_grid_rows_of_whole_card_links_and_a_featured_story() -> None:
    links = article_links(_grid(), "https://u.example/news/")
    assert urls_of(links) == ["https://u.example/news/top/"] + [
        f"https://u.example/news/item-{r}{i}/" for r in range(3) for i in range(3)]
    assert links[1] == Link("https://u.example/news/item-00/", "Item 00 of the university news", "10.03.2024")


@pytest.mark.parametrize(("html", "expected"), [
    ('<table class="news">' + "".join(
        f'<tr><td class="d">0{i + 1}.03.2024</td><td><a href="/news/show.php?id={100 + i}">Новость номер {i} о жизни '
        "университета</a></td></tr>" for i in range(4)) + "</table>",
     [Link(f"https://u.example/news/show.php?id={100 + i}", f"Новость номер {i} о жизни университета",
           f"0{i + 1}.03.2024") for i in range(4)]),
    ('<ul class="news">' + "".join(f'<li><a href="/news/{i}/">0{i + 1}.03.2024 — Новость номер {i} о жизни '
                                   "университета</a></li>" for i in range(3)) + "</ul>",
     [Link(f"https://u.example/news/{i}/", f"Новость номер {i} о жизни университета", f"0{i + 1}.03.2024")
      for i in range(3)]),
    ('<ul class="news">' + "".join(f'<li><a href="/news/{i}/">2{i} марта пройдёт день открытых дверей</a></li>'
                                   for i in range(3)) + "</ul>",  # a day in a title is not the card's date
     [Link(f"https://u.example/news/{i}/", f"2{i} марта пройдёт день открытых дверей", "") for i in range(3)]),
    ("<h1>Новости</h1>" + "".join(f'<h3><a href="/news/{i}/">Новость номер {i} о жизни вуза</a></h3><p class="date">'
                                 f"0{i + 1}.03.2024</p><p>Анонс новости номер {i}.</p>" for i in range(3)),
     [Link(f"https://u.example/news/{i}/", f"Новость номер {i} о жизни вуза", f"0{i + 1}.03.2024")
      for i in range(3)]),  # a flat list, the date after each title
    ("".join(f'<div class="d">0{i + 1}.03.2024</div><div class="t"><a href="/news/{i}/">Новость номер {i} о жизни '
             "вуза</a></div>" for i in range(3)),
     [Link(f"https://u.example/news/{i}/", f"Новость номер {i} о жизни вуза", f"0{i + 1}.03.2024")
      for i in range(3)]),  # ... and before it: never the next item's date
])
def test_hand_made_lists(html: str, expected: list[Link]) -> None:
    assert article_links(f"<html><body>{html}</body></html>", "https://u.example/news/") == expected


def test_aspnet_form_around_the_page_and_a_layout_class_naming_the_sidebar() -> None:
    """WebForms wrap the page in one <form>; "main-with-sidebar" is the content's wrapper, not a sidebar."""
    main = "".join(f'<div class="item"><a href="/news/{i}/">University news number {i} of today</a>'
                   f"<span>0{i + 1}.03.2024</span></div>" for i in range(8))
    side = "".join(f'<li><a href="/news/{i}/">University news number {i} of today</a><span>0{i + 1}.03.2024</span>'
                   "</li>" for i in range(5))
    html = (f'<html><body><form id="aspnetForm"><div class="main-with-sidebar col-9"><div class="list">{main}</div>'
            f'</div><div class="col-3"><div class="block-recent"><ul>{side}</ul></div></div></form></body></html>')
    assert urls_of(article_links(html, "https://u.example/news/")) == [f"https://u.example/news/{i}/" for i in range(8)]


def test_read_more_links_under_plain_headings() -> None:
    cards = "".join(f'<div class="news-item"><h3>Заголовок новости номер {i} о жизни вуза</h3><p>Анонс.</p>'
                    f'<div class="date">0{i + 1}.03.2024</div><a href="/news/{i}/">Подробнее</a></div>' for i in range(6))
    menu = "".join(f'<li><a href="/{name}/">{name.title()}</a></li>' for name in ("about", "study", "science",
                                                                                  "life", "contacts", "jobs", "map"))
    html = f'<html><body><div class="top"><ul>{menu}</ul></div><div class="news">{cards}</div></body></html>'
    links = article_links(html, "https://u.example/news/")
    assert links[0] == Link("https://u.example/news/0/", "Заголовок новости номер 0 о жизни вуза", "01.03.2024")
    assert len(links) == 6
