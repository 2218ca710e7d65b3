"""Article URL patterns learned from a listing's links: they match the articles and none of the site's other links."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from spiders.discovery import urls
from spiders.discovery.links import article_links
from spiders.discovery.patterns import learn_pattern

HERE = Path(__file__).parent / "fixtures"


def page(name: str) -> str:
    folder = "parsing" if name.startswith("listing_") else "discovery"
    return (HERE / folder / name).read_text(encoding="utf-8")


def other_links(html: str, url: str, articles: set[str]) -> list[str]:
    """Every other link of the page to the same site: menus, pagers, categories, footers."""
    found = (urls.canonical(a.get("href"), url) for a in lxml.html.fromstring(html).iter("a"))
    return [link for link in found if link and urls.same_site(link, urls.origin(url)) and link not in articles]


@pytest.mark.parametrize(("name", "url", "expected"), [
    ("wordpress_page1.html", "https://news.northfield.example/news/", r"^/\d{4}/\d{2}/\d{2}/[^/]+/?$"),
    ("drupal_page0.html", "https://www.volga-tech.example/novosti", r"^/novosti/[^/]+$"),
    ("bitrix_page1.html", "https://www.ural-polytech.example/press/news/", r"^/press/news/\d+/?$"),
    ("joomla_page1.html", "https://www.northern-state.example/news", r"^/news/[^/]+$"),
    ("django_page1.html", "https://iti.example.ac/news/", r"^/news/\d+/?$"),
    ("listing_ru.html", "https://www.spbstu.ru/media/news/", r"^/media/news/[^/]+/[^/]+/?$"),
])
def test_learned_from_a_listing(name: str, url: str, expected: str) -> None:
    html = page(name)
    links = article_links(html, url)
    learned = learn_pattern([link.url for link in links], other_links(html, url, {link.url for link in links}))
    assert learned == expected
    pattern = re.compile(learned)
    assert article_links(html, url, pattern=pattern) == links
    assert not [o for o in other_links(html, url, {link.url for link in links}) if pattern.search(urls.path_of(o))]


@pytest.mark.parametrize(("articles", "others", "expected"), [
    (["/node/12", "/node/1345", "/node/7"], [], r"^/node/\d+$"),
    (["/news/foo-bar/", "/news/baz-qux/", "/news/x_y/"], ["/news/archive/", "/about/"], r"^/news/[^/]*[-_][^/]*/?$"),
    (["/news/sport/123/", "/news/science/456/", "/news/sport/789/"], ["/news/page/2/"],
     r"^/news/(?:science|sport)/\d+/?$"),
    (["/news/a1/", "/news/b2/", "/news/c3/"], ["/news/all/"], r"^/news/[^/]*\d[^/]*/?$"),
    ([f"/news/2024/item-{n}/" for n in range(10)] + ["/events/x/"], [], r"^/news/\d{4}/[^/]+/?$"),  # an outlier
    (["/news/one/", "/news/2024/03/two/"], [], r"^(?:/news/[^/]+/?|/news/\d{4}/\d{2}/[^/]+/?)$"),
    (["/2024/03/14/a/", "/2024/03/13/b/"], [], r"^/\d{4}/\d{2}/\d{2}/[^/]+/?$"),
    ([], [], ""),
])
def test_learn_pattern(articles: list[str], others: list[str], expected: str) -> None:
    base = "https://u.example"
    learned = learn_pattern([base + a for a in articles], [base + o for o in others])
    assert learned == expected
    if learned:
        assert all(re.search(learned, a) for a in articles if not a.startswith("/events/"))
