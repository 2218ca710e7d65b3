"""The title, body, date and drop selectors of a source's article pages, learned from a sample of them.

Each selector must pick the same thing on every page of the sample: the title the pages' metadata names,
the date they carry, the element holding (nearly) all the text that varies between pages. Drops are the
elements inside the body that hold only chrome (text repeated across pages, link lists, the date line).
A field with no selector that holds everywhere is not learned, with the reason; the crawl then reads it
generically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from spiders.extraction import dates, dom
from spiders.learn import stable
from spiders.learn.pages import SamplePage, classify
from spiders.profile import Selectors

COVERAGE = 0.9  # the body element must hold this share of each page's varying text
SEMANTIC_DROPS = frozenset({"aside", "nav", "footer", "form", "button", "header"})
MAX_DROPS = 6


@dataclass
class LearnedSelectors:
    """The learned selectors and, for each field not learned, why."""

    selectors: Selectors
    reasons: dict[str, str] = field(default_factory=dict)


def learn(pages: Sequence[SamplePage]) -> LearnedSelectors:
    """Selectors that hold on every page of the sample (at least two pages)."""
    classify(pages)
    reasons: dict[str, str] = {}
    title = _learn_title(pages) or ""
    if not title:
        reasons["title"] = "no element shows the title on every sampled page"
    date = _learn_date(pages) or ""
    if not date:
        dated = sum(1 for p in pages if p.generic.published)
        reasons["date"] = ("no visible element shows the date on every sampled page (found in the page's "
                           "metadata or text instead)" if dated else "the sampled pages show no date")
    body, containers = _learn_body(pages)
    drop: tuple[str, ...] = ()
    if not body:
        reasons["body"] = "no element holds the varying text on every sampled page"
    else:
        drop = tuple(_learn_drops(pages, containers))
    return LearnedSelectors(Selectors(title=title, body=body, date=date, drop=drop), reasons)


def _first_passing(pages: Sequence[SamplePage], found: Callable[[SamplePage], list[etree._Element]],
                   ok: Callable[[SamplePage, str], bool]) -> str | None:
    """The selector, offered by any page's elements, that `ok` accepts on every page: one naming a single
    element per page first, then the simplest."""
    offered: list[str] = []
    for page in pages:
        for el in found(page)[:3]:
            offered += stable.candidates([el])
    passing = [s for s in stable.simplest_first(offered) if all(ok(p, s) for p in pages)]
    return min(passing, key=lambda s: (not _unique(pages, s), passing.index(s)), default=None)


def _unique(pages: Sequence[SamplePage], selector: str) -> bool:
    """Whether the selector matches one element on every page: what it names is a thing, not a kind."""
    return all(len(dom.css(p.root, selector)) == 1 for p in pages)


def _visible_elements(page: SamplePage) -> list[etree._Element]:
    """Elements of the page's <body>, scripts and styles left out."""
    body = page.root.find("body")
    if body is None:
        return []
    return [el for el in body.iter() if isinstance(el.tag, str)
            and dom.tag_of(el) not in ("script", "style", "noscript", "template", "title")]


def titles(page: SamplePage) -> list[str]:
    """What the page's title may be, casefolded: the generic chain's (metadata first), and the text of the
    page's only <h1> when it says otherwise (a shortened og:title, a title with a prefix)."""
    found = [page.generic.title or ""]
    h1s = [dom.text_of(el) for el in page.root.iter("h1")]
    if len(h1s) == 1:
        found.append(h1s[0])
    return list(dict.fromkeys(t.casefold() for t in found if t))


def _learn_title(pages: Sequence[SamplePage]) -> str | None:
    if not all(titles(p) for p in pages):
        return None

    def showing(page: SamplePage) -> list[etree._Element]:
        wanted = titles(page)
        hits = []
        for el in _visible_elements(page):
            own = dom.clean(el.text).casefold()[:40]
            if dom.tag_of(el) == "a" or not own or not any(want.startswith(own) for want in wanted):
                continue
            for node in (el, *list(el.iterancestors())[:3]):
                if dom.text_of(node).casefold() in wanted:
                    hits.append(node)
                    break
        return list(dict.fromkeys(hits))

    def ok(page: SamplePage, selector: str) -> bool:
        el = stable.first_match(page.root, selector)
        return el is not None and dom.text_of(el).casefold() in titles(page)

    return _first_passing(pages, showing, ok)


def _date_of(el: etree._Element) -> str | None:
    """The date an element shows, read as the extraction chain reads a date selector's match."""
    shown = dom.text_of(el)
    value = (dates.parse_date(el.get("datetime") or el.get("content") or "") or dates.parse_date(shown)
             or dates.find_date(shown))
    return value.isoformat()[:10] if value else None


def _learn_date(pages: Sequence[SamplePage]) -> str | None:
    dated = [p for p in pages if p.generic.published]
    if len(dated) < max(2, len(pages) // 2 + 1):
        return None

    def showing(page: SamplePage) -> list[etree._Element]:
        want = page.generic.published[:10]
        hits = [el for el in _visible_elements(page)
                if (el.get("datetime") or any(c.isdigit() for c in el.text or ""))
                and len(dom.text_of(el)) <= 80 and _date_of(el) == want]
        deepest = [el for el in hits if not any(c in hits for c in el)]
        return sorted(deepest, key=lambda el: dom.tag_of(el) != "time")

    def ok(page: SamplePage, selector: str) -> bool:
        for el in dom.css(page.root, selector):
            shown = _date_of(el)
            if shown:
                return shown == page.generic.published[:10]
        return False

    return _first_passing(dated, showing, ok)


def _container(page: SamplePage) -> etree._Element | None:
    """The deepest element holding COVERAGE of the page's varying text."""
    total = page.total_content
    if not total:
        return None
    node = page.root
    while True:
        inner = next((c for c in node if isinstance(c.tag, str) and page.content.get(c, 0) >= COVERAGE * total),
                     None)
        if inner is None:
            return node
        node = inner


def _learn_body(pages: Sequence[SamplePage]) -> tuple[str, list[etree._Element]]:
    """(selector, its element on each page): the tightest one covering the varying text of every page."""
    offered: list[str] = []
    for page in pages:
        el = _container(page)
        for _ in range(4):
            if el is None or dom.tag_of(el) in ("html", "body"):
                break
            offered += stable.candidates([el])
            el = el.getparent()
    best: tuple[int, bool, int, str] | None = None
    for selector in dict.fromkeys(offered):
        noise = 0
        for page in pages:
            el = stable.first_match(page.root, selector)
            if el is None or page.content.get(el, 0) < COVERAGE * page.total_content:
                break
            noise += page.text.get(el, 0) - page.content.get(el, 0)
        else:
            rank = (noise, not _unique(pages, selector), len(selector), selector)
            best = rank if best is None or rank < best else best
    if best is None:
        return "", []
    return best[-1], [stable.first_match(p.root, best[-1]) for p in pages]


def _learn_drops(pages: Sequence[SamplePage], containers: Sequence[etree._Element]) -> list[str]:
    """Selectors of chrome-only elements inside the body: never holding varying text on any sampled page."""
    offered: dict[str, None] = {}
    for page, box in zip(pages, containers, strict=True):
        for owner in list(page.blocks):
            if owner is box or page.content.get(owner, 0) or box not in owner.iterancestors():
                continue  # not inside the body, or holds content
            top = owner
            while top.getparent() is not box and not page.content.get(top.getparent(), 0):
                top = top.getparent()
            for form in stable.simple_forms([top]):
                if "." in form or "#" in form or form in SEMANTIC_DROPS:
                    offered[form] = None
    scored = []
    for selector in offered:
        gain = _drop_gain(pages, containers, selector)
        if gain > 0:
            scored.append((-gain, len(selector), selector))
    chosen: list[str] = []
    removed: set = set()
    for _, _, selector in sorted(scored):
        hits = {el for p in pages for el in dom.css(p.root, selector)}
        if hits <= removed:
            continue
        chosen.append(selector)
        removed |= hits
        if len(chosen) == MAX_DROPS:
            break
    return chosen


def _drop_gain(pages: Sequence[SamplePage], containers: Sequence[etree._Element], selector: str) -> int:
    """Chrome characters the selector removes from the bodies; 0 when it would remove any content."""
    gain = 0
    for page, box in zip(pages, containers, strict=True):
        for el in dom.css(page.root, selector):
            if page.content.get(el, 0) or el is box or el in box.iterancestors() or next(el.iter("img"), None) is not None:
                return 0  # never drop content, the body itself, or an image the article shows
            if box in el.iterancestors():
                gain += page.text.get(el, 0)
    return gain
