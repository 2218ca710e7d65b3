"""Fragment -> paragraphs: block boundaries, inline flattening, NBSP, <br>, noise removal."""

from __future__ import annotations

import pytest

from spiders.parsing.text import Noise, clean, fragment_paragraphs, join
from spiders.sites.spbpu import PROFILE as site

NOISE = Noise(site.body_drop, site.print_link_texts)


@pytest.mark.parametrize(("fragment", "expected"), [
    ("<p>One</p><p>Two</p>", ["One", "Two"]),
    ("<p>A <b>bold</b> <a href='x'>link</a>,&nbsp;&nbsp;and   <i>more</i>.</p>", ["A bold link, and more."]),
    ("<ul><li>one</li><li>t<b>w</b>o</li></ul>", ["one", "two"]),
    ("<blockquote><p>Quoted.</p></blockquote>", ["Quoted."]),
    ("<blockquote>Bare quote</blockquote>", ["Bare quote"]),
    ("<h2>H2</h2><h3>H3</h3><h4>H4</h4><p>p</p>", ["H2", "H3", "H4", "p"]),
    ("<p>line one<br>line two</p>", ["line one line two"]),
    ("<p>para one<br><br>para two</p>", ["para one", "para two"]),
    ("<div>loose text<p>inner</p>tail</div>", ["loose text", "inner", "tail"]),
    ("<p>&nbsp;</p><p>\u200bx\u00ad</p><p> </p>", ["x"]),
    ("<p>keep</p><script>var s='<p>no</p>'</script><style>p{}</style><!-- comment -->", ["keep"]),
    ("<p>keep</p><div class='caption'>Caption</div><div class='share-buttons'>VK</div>", ["keep"]),
    ("<p>keep</p><div class='print-link-wrap'><a class='print-link' href='?print=Y'>Версия для печати</a></div>",
     ["keep"]),
    ("<p>keep <a href='?print=Y'>Print version</a></p>", ["keep"]),
    ("<p>see <a href='/x'>Print versions of books</a></p>", ["see Print versions of books"]),
    ("<div class='related-news'><p>other</p></div><p>keep</p>", ["keep"]),
    ("<table><tr><td>cell 1</td><td>cell 2</td></tr></table>", ["cell 1", "cell 2"]),
    ("", []),
    ("plain text only", ["plain text only"]),
])
def test_paragraphs(fragment: str, expected: list[str]) -> None:
    assert fragment_paragraphs(fragment, NOISE) == expected


def test_deep_nesting_does_not_overflow() -> None:
    fragment = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert fragment_paragraphs(fragment, NOISE) in (["deep"], [])


@pytest.mark.parametrize(("raw", "expected"), [
    (None, ""), ("", ""), ("  a \n\t b\u00a0 c  ", "a b c"), ("x\ufeffy", "xy")])
def test_clean(raw: str | None, expected: str) -> None:
    assert clean(raw) == expected


def test_join() -> None:
    assert join(["a", "", "b"]) == "a\n\nb"
    assert join([]) is None


def test_noise_takes_only_simple_selectors() -> None:
    with pytest.raises(ValueError):
        Noise(["div > p"])
