"""The chain on SPbPU's own fixtures agrees with the site-specific parser, with and without SPbPU's selectors."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from spiders.extraction.chain import extract
from spiders.extraction.score import token_f1
from spiders.parsing.article import parse_article
from spiders.parsing.printpage import parse_print
from spiders.profile import Selectors
from spiders.sites.spbpu import PROFILE as SPBPU

parse_article = functools.partial(parse_article, site=SPBPU)  # the site parser reads with its profile
parse_print = functools.partial(parse_print, site=SPBPU)

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
RU = "https://www.spbstu.ru/media/news/partnership/politekh-i-rosneft/"
EN = "https://english.spbstu.ru/media/news/international_activities/spbpu-tsinghua/"
# What SPbPU's profile would configure (spiders/sites/spbpu.py's first choices).
SPBPU = Selectors(title=".news-detail h1", body="div#content_page", date=".news-meta .news-date",
                  drop=("script", "style", ".caption", "figcaption", ".print-link-wrap", ".share-buttons",
                        ".related-news", ".news-meta"))
PAGES = [("article_ru.html", RU, parse_article), ("article_en.html", EN, parse_article),
         ("print_ru.html", RU + "?print=Y", parse_print), ("print_en.html", EN + "?print=Y", parse_print)]


@pytest.mark.parametrize(("name", "url", "parser"), PAGES)
@pytest.mark.parametrize("selectors", [SPBPU, Selectors()], ids=["profile", "generic"])
def test_same_fields_as_the_site_parser(name: str, url: str, parser, selectors: Selectors) -> None:
    html = (FIXTURES / name).read_text("utf-8")
    reference = parser(html, url)
    result = extract(html, url, selectors if name.startswith("article") else Selectors())
    assert token_f1(result.body, reference.body) == 1.0
    assert result.title == reference.title
    assert result.published == reference.published
