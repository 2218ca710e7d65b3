"""The extraction chain on pages of five CMS families: per field selectors -> metadata -> generic.

Every page is checked against its expected title, date, body (token-F1) and images, once with no
selectors at all (a source configured by its URL alone) and once with hand-written selectors.
"""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from pathlib import Path

import pytest

from spiders.extraction.chain import extract
from spiders.extraction.score import token_f1
from spiders.items import Image
from spiders.profile import Selectors

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
TRUTH = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
SELECTORS = {
    "wordpress_en.html": Selectors(title="h1.entry-title", body="div.entry-content", date="time.entry-date",
                                   drop=(".sharedaddy", "#jp-relatedposts")),
    "drupal7_ru_cp1251.html": Selectors(title="h1#page-title", body=".field-name-body .field-item",
                                        date=".submitted span"),
    "bitrix_ru_cp1251_noheader.html": Selectors(title="div.news-detail h3", body="div.news-detail",
                                                date=".news-date-time",
                                                drop=(".news-date-time", "h3", ".news-detail-share")),
    "drupal9_en.html": Selectors(title="h1.page-title", body=".field--name-body", date=".node__meta--date"),
    "joomla_en.html": Selectors(title="h1[itemprop=headline]", body="div[itemprop=articleBody]",
                                date="dd.published time"),
    "handmade_ru_koi8.html": Selectors(title="h2", body="table tr:nth-of-type(2) > td:nth-of-type(2)",
                                       date="p > i"),
    "metadata_only_ru.html": Selectors(title=".story__title", body=".story__text"),
}
CHROME = ("Share this", "Leave a Reply", "Recent Posts", "cookies", "Поделиться", "Последние новости", "Теги",
          "Читайте также", "Популярное", "Подпишитесь", "195251", "Версия для печати", "Просмотров", "Related")


def check(name: str, selectors: Selectors) -> dict[str, str]:
    truth = TRUTH[name]
    result = extract((FIXTURES / name).read_bytes(), truth["url"], selectors)
    assert result.title == truth["title"]
    assert (result.published or "")[:10] == truth["published"]
    assert token_f1(result.body, "\n\n".join(truth["body"])) >= 0.98, result.body
    assert not [phrase for phrase in CHROME if phrase in (result.body or "")]
    assert [[image.url, image.caption] for image in result.images] == truth["images"]
    assert result.selector_misses == [] and result.problems == []
    return result.extractors


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_no_selectors(name: str) -> None:
    extractors = check(name, Selectors())
    assert set(extractors.values()) <= {"metadata", "generic"}
    assert set(extractors) == {"title", "body", "date"}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_hand_written_selectors(name: str) -> None:
    extractors = check(name, SELECTORS[name])
    assert extractors["title"] == extractors["body"] == "profile"
    assert extractors["date"] == ("metadata" if not SELECTORS[name].date else "profile")


def test_body_exact_paragraphs() -> None:
    truth = TRUTH["wordpress_en.html"]
    result = extract((FIXTURES / "wordpress_en.html").read_bytes(), truth["url"])
    assert result.body.split("\n\n") == truth["body"]


def test_selectors_that_stopped_matching_fall_back_and_are_reported() -> None:
    """The site was redesigned: the old template's selectors match nothing, the article is still read."""
    truth = TRUTH["wordpress_en.html"]
    old = Selectors(title="h1.post-title", body="div.post-body", date="span.post-date", drop=(".share",))
    result = extract((FIXTURES / "wordpress_en.html").read_bytes(), truth["url"], old)
    assert result.selector_misses == ["title", "date", "body"]
    assert result.problems == ["selector title matched nothing", "selector date matched nothing",
                               "selector body matched nothing"]
    assert result.extractors == {"title": "metadata", "date": "metadata", "body": "generic"}
    assert result.title == truth["title"] and result.published.startswith(truth["published"])
    assert token_f1(result.body, "\n\n".join(truth["body"])) >= 0.98


def test_one_selector_missing_only_that_field_falls_back() -> None:
    truth = TRUTH["drupal7_ru_cp1251.html"]
    selectors = Selectors(title="h1#page-title", body=".field-name-body .field-item", date=".node-date")
    result = extract((FIXTURES / "drupal7_ru_cp1251.html").read_bytes(), truth["url"], selectors)
    assert result.selector_misses == ["date"]
    assert result.extractors == {"title": "profile", "date": "metadata", "body": "profile"}
    assert result.published.startswith("2024-03-12")


PAGE = """<html lang="en"><head><title>Story | Uni</title><style>p {{ color: red }}</style></head><body>
<nav><p>Menu text that is long enough to look like a paragraph of prose, with commas, and more.</p></nav>
<h1>Story</h1><span class="when">12 March 2024</span>
<div class="text">{body}</div>
<aside><p>Sidebar prose that is long enough to look like a paragraph, with commas, and so on.</p></aside>
<footer><p>Footer address, 29 Polytechnic Street, St. Petersburg, 195251, Russia.</p></footer>
</body></html>"""
BODY = """<p>First paragraph of the story, long enough to be read as prose by anyone.</p>
<script>var injected = "<p>never text</p>";</script><style>.x {}</style><noscript>Enable JavaScript</noscript>
<figure><img src="/a.jpg" width="600"><figcaption>A caption is not body text</figcaption></figure>
<div class="caption">Neither is this one</div>
<form><p>Subscribe with your e-mail address</p><button>Send</button></form>
<nav>Inline navigation</nav><aside><p>An aside inside the body</p></aside><footer>Body footer</footer>
<h2>A subheading</h2><ul><li>one item</li><li>another item</li></ul><blockquote><p>A quote.</p></blockquote>
<div class="ad-slot">Advertisement</div><p>Last paragraph.</p>"""


def test_never_text_and_drop_inside_a_selected_body() -> None:
    result = extract(PAGE.format(body=BODY), "https://uni.example.edu/news/story/",
                     Selectors(title="h1", body="div.text", date=".when", drop=(".ad-slot",)))
    assert result.body.split("\n\n") == [
        "First paragraph of the story, long enough to be read as prose by anyone.", "A subheading", "one item",
        "another item", "A quote.", "Last paragraph."]
    assert result.images == [Image("https://uni.example.edu/a.jpg", "A caption is not body text")]
    assert result.published == "2024-03-12"


def test_generic_on_the_same_page() -> None:
    result = extract(PAGE.format(body=BODY), "https://uni.example.edu/news/story/")
    assert result.title == "Story" and result.published == "2024-03-12"
    assert "Sidebar" not in result.body and "Footer" not in result.body and "Menu" not in result.body
    assert result.body.startswith("First paragraph") and result.body.endswith("Last paragraph.")


def test_time_zone_of_the_source() -> None:
    page = PAGE.format(body=BODY).replace("12 March 2024", "12 March 2024, 14:30")
    moscow = timezone(timedelta(hours=3))
    selectors = Selectors(title="h1", body="div.text", date=".when")
    assert extract(page, "https://uni.example.edu/n/", selectors).published == "2024-03-12"
    assert extract(page, "https://uni.example.edu/n/", selectors, tz=moscow).published == "2024-03-12T14:30:00+03:00"


def test_date_from_the_url_when_the_page_shows_none() -> None:
    page = PAGE.format(body=BODY).replace('<span class="when">12 March 2024</span>', "")
    assert extract(page, "https://uni.example.edu/2024/03/12/story/").published == "2024-03-12"
    result = extract(page, "https://uni.example.edu/news/story/")
    assert result.published is None and result.problems == ["no date"]


def test_charset_from_the_header() -> None:
    page = PAGE.format(body="<p>Первый абзац новости, достаточно длинный, чтобы его прочитали как текст.</p>")
    result = extract(page.encode("koi8-r"), "https://uni.example.ru/n/", charset="koi8-r")
    assert result.body == "Первый абзац новости, достаточно длинный, чтобы его прочитали как текст."


@pytest.mark.parametrize("page", ["", "<<<>>>", b"\x00\xff\xfe", "<html><body></body></html>",
                                  "<div>" * 5000 + "deep text" + "</div>" * 5000, "just text, no markup"])
def test_hostile_input_never_raises(page: str | bytes) -> None:
    result = extract(page, "https://uni.example.edu/n/", Selectors(title="h1", body=".text", date=".when"))
    assert result.problems
    assert result.selector_misses == ["title", "date", "body"] or result.problems[0].startswith("parse_error")


def test_invalid_selector_is_a_miss_not_a_crash() -> None:
    result = extract(PAGE.format(body=BODY), "https://uni.example.edu/n/", Selectors(body="div[[["))
    assert result.selector_misses == ["body"] and result.extractors["body"] == "generic"


ARTICLE = ["Университет провёл первую международную конференцию по цифровым двойникам, в которой участвовали "
           "300 специалистов.", "Участники обсудили применение цифровых двойников в энергетике, машиностроении "
           "и строительстве.", "Короткий абзац."]
CARDS = "".join(
    f'<div class="item"><a href="/n/{i}"><img src="/i/{i}.jpg"></a><div class="item-title"><a href="/n/{i}">'
    f'Заголовок новости номер {i}</a></div><p>Краткое описание новости номер {i}: в университете состоялось '
    f'важное событие, о котором рассказывают участники, организаторы и гости.</p><span>1{i}.03.2024</span></div>'
    for i in range(8))
SHORT_NEWS = f"""<html><head><title>Конференция — Новости</title></head><body>
<div class="header"><a href="/">Лого</a></div>
<div class="page"><h1>Конференция по цифровым двойникам</h1><div class="date">12.03.2024</div>
<div class="lead"><p>{ARTICLE[0]}</p></div><div class="text"><p>{ARTICLE[1]}</p><p>{ARTICLE[2]}</p>
<div class="inline-links"><b>Ссылки:</b><ul><li><a href="/x">Материал один о конференции</a></li>
<li><a href="/y">Материал два о конференции</a></li></ul></div></div></div>
<div class="news-list"><h2>Ещё новости</h2>{CARDS}</div>
<div id="comments"><div class="comment"><p>Очень интересная конференция, спасибо организаторам за такую
возможность, буду ждать следующую!</p></div></div></body></html>"""


def test_a_short_article_beside_a_long_list_of_news_cards() -> None:
    """Eight teasers out-vote three paragraphs unless cards are recognised and the title anchors the body."""
    result = extract(SHORT_NEWS, "https://u.example.ru/news/123/")
    assert result.body.split("\n\n") == ARTICLE
    assert (result.title, result.published) == ("Конференция по цифровым двойникам", "2024-03-12")


def test_divs_used_as_paragraphs() -> None:
    paragraphs = [f"Абзац номер {i} статьи, написанный в отдельном блоке div без тегов p, как делают "
                  f"некоторые визуальные редакторы." for i in range(4)]
    page = ("<html><body><h1>Новость о блоках</h1><div class='content'>"
            + "".join(f"<div>{p}</div>" for p in paragraphs) + "</div><div class='side'><div>Реклама "
            "справа, достаточно длинная, чтобы её могли принять за абзац текста статьи, но нет.</div></div>"
            "</body></html>")
    assert extract(page, "https://u.example.ru/news/1/").body.split("\n\n") == paragraphs


def test_a_selector_that_matches_an_empty_element_is_stale_too() -> None:
    page = PAGE.format(body=BODY).replace('<div class="text">', '<div class="old-body"></div><div class="text">')
    result = extract(page, "https://uni.example.edu/n/", Selectors(body="div.old-body", date="h1"))
    assert result.selector_misses == ["date", "body"]
    assert result.problems == ["selector date gave no date: Story", "selector body matched no text"]
    assert result.extractors == {"title": "generic", "date": "generic", "body": "generic"}
    assert result.body.startswith("First paragraph") and result.published == "2024-03-12"


def test_date_by_its_class_when_no_heading_shows_the_title() -> None:
    page = ('<html><head><meta property="og:title" content="Без заголовка"></head><body>'
            '<ul class="recent"><li><span class="date">01.03.2024</span> <a href="/n/1">Другая</a></li></ul>'
            '<div class="news"><div class="news-date">12 марта 2024</div><div class="text"><p>Текст новости без '
            'заголовка h1 на странице, но с датой в блоке с понятным классом.</p></div></div></body></html>')
    result = extract(page, "https://u.example.ru/news/7/")
    assert (result.title, result.published, result.extractors["date"]) == ("Без заголовка", "2024-03-12", "generic")


def test_json_ld_article_body_when_the_page_is_rendered_by_script() -> None:
    data = {"@type": "NewsArticle", "headline": "Rendered later", "datePublished": "2024-03-12",
            "articleBody": "First paragraph of the story.\nSecond paragraph of the story."}
    page = (f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
            '<body><div id="app"></div><script src="/app.js"></script></body></html>')
    result = extract(page, "https://uni.example.edu/n/")
    assert result.body == "First paragraph of the story.\n\nSecond paragraph of the story."
    assert result.extractors == {"title": "metadata", "date": "metadata", "body": "metadata"}


def test_trafilatura_reads_what_the_scorer_cannot() -> None:
    """Only short lines (a poem, a list of results): no paragraph votes, trafilatura still finds the text."""
    lines = [f"Строка {i}, белый стих" for i in range(12)]
    page = ("<html><body><h1>Стихи победителей конкурса</h1><div class='poem'>"
            + "".join(f"<p>{line}</p>" for line in lines) + "</div></body></html>")
    with_fallback = extract(page, "https://u.example.ru/news/poem/")
    assert token_f1(with_fallback.body, "\n\n".join(lines)) >= 0.9
    assert with_fallback.extractors["body"] == "generic"
    without = extract(page, "https://u.example.ru/news/poem/", fallback=False)
    assert without.body is None and "no body" in without.problems


@pytest.mark.parametrize("logo", ['<h1 class="logo-title">Polytechnic University</h1>',
                                  '<div class="site-branding"><h1>Polytechnic University</h1></div>',
                                  "<h1>Polytechnic University</h1>"])
def test_the_logo_h1_is_not_the_title(logo: str) -> None:
    page = (f"<html><head><title>Joint lab opens | Polytechnic University</title></head><body><header>{logo}"
            "</header><div class='news'><h1>Joint lab opens</h1><p>Text of the story, long enough to be read as "
            "prose by the scorer, with commas, and more.</p></div></body></html>")
    assert extract(page, "https://u.example.edu/n/").title == "Joint lab opens"


def test_an_article_with_several_linked_photos_is_not_a_list_of_cards() -> None:
    photos = "".join(f'<div class="news-image"><a href="/upload/{i}.jpg"><img src="/upload/s/{i}.jpg" width="800">'
                     f'</a><div class="caption">Фото {i}: участники форума в главном здании</div></div>'
                     for i in range(4))
    text = [f"Абзац {i} новости о форуме: участники обсудили сотрудничество, гранты и новые программы."
            for i in range(3)]
    page = (f"<html><body><h1>Форум</h1><div class='content_page'><p>{text[0]}</p>{photos}<p>{text[1]}</p>"
            f"<p>{text[2]}</p></div></body></html>")
    result = extract(page, "https://u.example.ru/news/forum/")
    assert result.body.split("\n\n") == text
    assert len(result.images) == 4 and result.images[0].caption == "Фото 0: участники форума в главном здании"


@pytest.mark.parametrize("css_class", ["research-news", "metallurgy", "news-detail share-enabled"])
def test_class_words_that_only_look_like_chrome(css_class: str) -> None:
    page = (f"<html><body><h1>Новость кафедры</h1><div class='{css_class}'><p>Короткая новость кафедры металлургии "
            "о семинаре, который пройдёт в четверг.</p></div></body></html>")
    assert extract(page, "https://u.example.ru/news/8/").body.startswith("Короткая новость")
