"""Title and body of a page no selector describes: a fast content scorer, trafilatura as a second opinion.

The scorer is readability's idea on lxml: text-rich paragraphs vote for their parent (and half for the
grandparent), link-heavy containers are discounted, the winner and its worthy siblings are the article.
Chrome is removed first by tag (nav, aside, footer, forms, captions) and by class/id words (share, related,
cookie, breadcrumb...). It reads a 150 KB page in a few ms; trafilatura (~100 ms) runs only when the
scorer finds no article, so the crawl stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from spiders.extraction import dom

CHROME_WORDS = ("share", "social", "related", "recommend", "comment", "cookie", "consent", "gdpr", "banner",
                "breadcrumb", "sidebar", "widget", "menu", "subscri", "newsletter", "promo", "advert", "sponsor",
                "navbar", "navigation", "pagination", "pager", "popular", "rating", "footer", "tags",
                "tagcloud", "read-also", "readalso", "more-news", "morenews", "also", "masthead", "topbar",
                "skip", "modal", "popup", "toolbar", "likes", "views", "counter", "author-box", "byline",
                "signup", "login", "search", "lang-switch", "meta(?![a-z])")  # regex fragments
# Whole class/id tokens only: as substrings they would hit "field-label-hidden" around real content.
CHROME_TOKENS = frozenset({"hidden", "element-hidden", "element-invisible", "visually-hidden", "sr-only",
                           "screen-reader-text", "d-none", "noprint", "noindex", "print", "print-link", "print-version",
                           "print-button", "print-link-wrap", "printlink"})
CAPTION_CLASSES = frozenset({"caption", "wp-caption-text", "wp-element-caption", "figure-caption",
                             "image-caption", "photo-caption", "img-caption", "caption-text", "credit",
                             "photo-credit", "image-credit", "field--name-field-image-caption", "caption_text"})
# At the start of a class word: "search" must not hit "research-news", nor "meta" "metallurgy".
_CHROME = re.compile(r"(?<![a-z])(?:" + "|".join(CHROME_WORDS) + ")")
POSITIVE_WORDS = ("article", "body", "content", "entry", "main", "post", "text", "story", "detail", "news")
MIN_SCORE = 2.5  # one real paragraph of prose; menus and link lists score ~0 after the link discount
_CARD_PARENTS = ("div", "ul", "ol", "section")
_CARD_TAGS = frozenset({"div", "li", "article", "section"})
_DATE_LIKE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} [^\W\d_]{3,9} \d{4}\b")
_PROTECTED = frozenset({"html", "body", "article", "main"})
_SCORED = ("p", "pre", "blockquote")
_INLINE = frozenset({"a", "b", "i", "em", "strong", "span", "font", "u", "sub", "sup", "small", "abbr", "q"})
_SEPARATORS = re.compile(r"\s+[|–—•·:/»«-]{1,2}\s+|\s+::\s+")
_LOGO = re.compile(r"logo|brand|site-title|site-name|sitename|site-branding")
_TOKENS = re.compile(r"[\s_]+")


@dataclass
class Candidate:
    """The article's container(s) the scorer chose, with its score (0 when nothing qualified)."""

    elements: list[etree._Element] = field(default_factory=list)
    score: float = 0.0


def _class_tokens(el: etree._Element) -> list[str]:
    return [t for t in _TOKENS.split(f"{el.get('class') or ''} {el.get('id') or ''}".lower()) if t]


def is_caption(el: etree._Element) -> bool:
    """Whether class/id words say this element is an image caption or credit (never body text)."""
    return any(t in CAPTION_CLASSES for t in _class_tokens(el))


def is_chrome(el: etree._Element) -> bool:
    """Whether class/id words say this element is page chrome (share bar, related list, cookie banner...)."""
    words = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if len(words) < 3 or dom.tag_of(el) in _PROTECTED:
        return False
    tokens = _TOKENS.split(words)
    if any(t in CAPTION_CLASSES for t in tokens):
        return True
    if not _CHROME.search(words) and not any(t in CHROME_TOKENS for t in tokens):
        return False
    if any(word in words for word in POSITIVE_WORDS) and len(dom.text_of(el)) >= 50 and link_density(el) < 0.5:
        return False  # "article-body share-enabled": a container of prose that mentions chrome
    return True


def strip_chrome(root: etree._Element, keep: etree._Element | None = None) -> None:
    """Remove never-text tags, class/id-named chrome and lists of cards under root (root and keep's
    ancestors stay)."""
    dom.strip_never_text(root)
    dom.remove([el for el in root.iter() if el is not root and isinstance(el.tag, str) and is_chrome(el)])
    spared = set(keep.iterancestors()) | {keep} if keep is not None else set()
    dom.remove([el for el in root.iter(*_CARD_PARENTS) if el is not root and el not in spared and is_card_list(el)])


def _signature(el: etree._Element) -> tuple[str, str]:
    return dom.tag_of(el), " ".join(sorted((el.get("class") or "").split()))


def is_card_list(el: etree._Element) -> bool:
    """Whether an element is a list of cards ("more news", "recent news"): three or more children alike,
    each a link to another page with an image, a heading or a date. Teasers there are prose that would
    out-vote a short article."""
    children = [c for c in el if isinstance(c.tag, str) and dom.tag_of(c) in _CARD_TAGS]
    if len(children) < 3:
        return False
    common = max(set(map(_signature, children)), key=[_signature(c) for c in children].count)
    cards = [c for c in children if _signature(c) == common]
    if len(cards) < 3:
        return False
    texts = [dom.text_of(c) for c in cards]
    if any(len(text) < 20 for text in texts):  # a gallery of linked photos inside an article is no teaser list
        return False
    if len(dom.text_of(el)) - sum(map(len, texts)) > 200:  # prose beside the cards: an article holding them
        return False
    return all(c.find(".//a[@href]") is not None and (c.find(".//img") is not None or _has_heading(c)
                                                        or _DATE_LIKE.search(text)) for c, text in zip(cards, texts, strict=True))


def _has_heading(el: etree._Element) -> bool:
    return any(True for _ in el.iter("h2", "h3", "h4", "h5", "h6"))


def link_density(el: etree._Element) -> float:
    text = len(dom.text_of(el))
    if not text:
        return 1.0
    return min(1.0, sum(len(dom.text_of(a)) for a in el.iter("a")) / text)


def own_text(el: etree._Element) -> str:
    """The text an element holds itself: its text and the tails of its children, not the children's text."""
    pieces = [el.text or ""]
    pieces += [(child.text or "") + (child.tail or "") if dom.tag_of(child) in _INLINE else (child.tail or "")
               for child in el]
    return dom.clean(" ".join(pieces))


def _paragraph_score(text: str) -> float:
    return 1 + text.count(",") + text.count("،") + min(len(text) / 100, 3)


def best_candidate(root: etree._Element, title_el: etree._Element | None = None) -> Candidate:
    """The element holding the article text, by readability's vote of paragraphs; siblings that belong join.

    With the title's element known, a container that shares no more than `<body>` with it scores a
    third: the article sits beside its title, "more news" blocks elsewhere."""
    scores: dict[etree._Element, float] = {}
    for el in root.iter("div", "td", "section", "article"):
        own = own_text(el)
        if len(own) >= 100:  # text written straight into a container with <br>s (Bitrix, old hand-made pages)
            value = _paragraph_score(own)
            scores[el] = scores.get(el, 0.0) + value
            parent = el.getparent()
            if parent is not None:  # ... or <div>s used as paragraphs: their container holds the article
                scores[parent] = scores.get(parent, 0.0) + value / 2
    for el in root.iter(*_SCORED):
        text = dom.text_of(el)
        if len(text) < 25 or link_density(el) > 0.5:  # a link is a way out, not article text
            continue
        parent = el.getparent()
        if parent is None:
            continue
        value = _paragraph_score(text)
        scores[parent] = scores.get(parent, 0.0) + value
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0.0) + value / 2
    if not scores:
        return Candidate()
    ranked = {el: score * (1 - link_density(el)) for el, score in scores.items()}
    if title_el is not None:
        near = set(title_el.iterancestors()) - {root.find(".//body"), root}
        for el in ranked:
            if near and el not in near and near.isdisjoint(el.iterancestors()):
                ranked[el] /= 3
    top = max(ranked, key=ranked.get)
    while (parent := top.getparent()) is not None and ranked.get(parent, 0.0) >= ranked[top] * 0.75:
        top = parent  # the article is split over sibling blocks (lead, text): their parent holds it all
    elements = [top]
    parent = top.getparent()
    if parent is not None and dom.tag_of(top) not in ("body", "html"):
        threshold = max(MIN_SCORE, ranked[top] * 0.2)
        elements = [sib for sib in parent if sib is top or _belongs(sib, ranked, threshold)]
    return Candidate(elements, ranked[top])


def _belongs(sib: etree._Element, ranked: dict, threshold: float) -> bool:
    """A sibling of the winner is article text when it scored well or is one plain paragraph of prose."""
    if not isinstance(sib.tag, str):
        return False
    if ranked.get(sib, 0.0) >= threshold:
        return True
    if dom.tag_of(sib) == "p":
        text = dom.text_of(sib)
        return len(text) > 80 and link_density(sib) < 0.25 or (0 < len(text) <= 80 and text[-1:] in ".!?»")
    return False


def prune(el: etree._Element) -> None:
    """Inside the chosen container: drop the title (h1) and link lists ("read also", tag lists)."""
    dom.remove(list(el.iter("h1")))
    lists = [x for x in el.iter("ul", "ol", "div", "table", "section")
             if x is not el and 0 < len(dom.text_of(x)) < 2000 and link_density(x) > 0.5]
    dom.remove(lists)


def generic_body(root: etree._Element,
                 title_el: etree._Element | None = None) -> tuple[list[etree._Element], list[str]]:
    """(the article's containers, their paragraphs) by the scorer, chrome stripped; ([], []) when no
    container qualifies. Mutates root."""
    body = root.find(".//body")
    strip_chrome(body if body is not None else root, keep=title_el)
    if title_el is not None and title_el.getparent() is None:
        title_el = None  # removed as chrome: no anchor
    candidate = best_candidate(root, title_el)
    if candidate.score < MIN_SCORE:
        return [], []
    found: list[str] = []
    for el in candidate.elements:
        prune(el)
        found += dom.paragraphs(el)
    return candidate.elements, found


def trafilatura_paragraphs(html: str, url: str | None = None) -> list[str]:
    """trafilatura's main text, precision-first, as paragraphs; [] when it finds none or is not installed."""
    try:
        import trafilatura
    except ImportError:
        return []
    text = trafilatura.extract(html, url=url, favor_precision=True, include_comments=False,
                               include_tables=False, include_images=False, deduplicate=False)
    lines = (dom.clean(line) for line in (text or "").splitlines())
    return [line.removeprefix("- ") for line in lines if line]


def title_parts(text: str) -> list[str]:
    """A `<title>` split at its site-name separators: "News | University" -> ["News", "University"]."""
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]


def strip_site_name(title: str | None, site_name: str | None = None, h1s: tuple[str, ...] = ()) -> str | None:
    """A title without the site's suffix (" | University", " — Новости"): the part an `<h1>` confirms, else
    the part that is not the site name, else the longest part when one part clearly dominates."""
    title = dom.clean(title)
    if not title:
        return None
    parts = title_parts(title)
    if len(parts) <= 1:
        return title
    folded = {h.casefold() for h in h1s}
    if title.casefold() in folded:
        return title
    for part in parts:
        if part.casefold() in folded:
            return part
    if site_name:
        rest = [p for p in parts if p.casefold() != site_name.casefold()]
        if rest and len(rest) < len(parts):
            return " — ".join(rest) if len(rest) > 1 else rest[0]
    first, longest = parts[0], max(parts, key=len)
    if len(first) >= 20 or first is longest:
        return first
    return longest


def _logo(el: etree._Element) -> bool:
    """Whether an h1 is the site's name in the page header (old themes put the logo in an h1 everywhere)."""
    for node in (el, *el.iterancestors()):
        words = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if _LOGO.search(words):
            return True
    return False


def headings(root: etree._Element) -> list[str]:
    """Texts of the page's `<h1>`s outside navigation, headers' logos and footers."""
    found = []
    for el in root.iter("h1"):
        if el.xpath("ancestor::nav or ancestor::footer or ancestor::aside") or _logo(el):
            continue
        text = dom.text_of(el)
        if text and len(text) >= 5:
            found.append(text)
    return found


def generic_title(root: etree._Element, site_name: str | None = None, hint: str | None = None) -> str | None:
    """The article's title: the `<h1>` the `<title>` (or a metadata hint) confirms, else the first
    article-like `<h1>`, else the `<title>` without its site suffix."""
    h1s = headings(root)
    page_title = dom.text_of(root.find(".//title"))
    if not h1s and page_title:
        parts = {p.casefold() for p in title_parts(page_title)}
        for el in root.iter("h2", "h3"):
            text = dom.text_of(el)
            if text.casefold() in parts:
                return text
    parts = title_parts(page_title)
    site = (site_name or (parts[-1] if len(parts) > 1 else "")).casefold()
    confirm = {p.casefold() for p in parts if p.casefold() != site} | ({hint.casefold()} if hint else set())
    for h1 in h1s:
        folded = h1.casefold()
        if folded == site:
            continue
        if folded in confirm or folded == page_title.casefold() or (
                len(h1) > 15 and any(folded in c for c in confirm)):
            return h1
    if h1s and not page_title:
        return h1s[0]
    if page_title:
        stripped = strip_site_name(page_title, site_name, tuple(h1s))
        h1s = [h1 for h1 in h1s if h1.casefold() != site]
        if h1s and len(h1s[0]) > 15 and (not stripped or len(h1s[0]) >= len(stripped) * 0.5):
            return h1s[0]
        return stripped
    return h1s[0] if h1s else None

