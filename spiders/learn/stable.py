"""CSS selectors that hold across a sample of pages: tags, classes every page shares and structure.

A selector is offered only from what repeats: a class on the element in every page of the sample, an id
that is the same on every page, the tag, and the same for up to three ancestors. Positions
(`:nth-child`) and tokens with digits (`post-1234`, `node-57`) are never used: they name one page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lxml import etree

from spiders.extraction import dom

_STATE = frozenset({"odd", "even", "first", "last", "active", "current", "selected", "hover", "new", "is-active",
                    "clearfix", "row", "container", "wrapper", "inner", "clear", "hidden", "visible"})
_TOKEN = re.compile(r"^-?[_a-zA-Z][\w-]*$")
ANCESTORS = 3


def tokens(el: etree._Element) -> set[str]:
    """The element's stable class tokens: CSS-safe, no digits, no state classes."""
    return {t for t in (el.get("class") or "").split()
            if _TOKEN.match(t) and not any(c.isdigit() for c in t) and t.lower() not in _STATE}


def common_tokens(elements: Sequence[etree._Element]) -> list[str]:
    """Class tokens every element carries, in a stable order."""
    shared = set.intersection(*(tokens(el) for el in elements)) if elements else set()
    return sorted(shared)


def simple_forms(elements: Sequence[etree._Element]) -> list[str]:
    """Selectors for one element per page by its own tag, shared classes and shared id; most specific last."""
    tags = {dom.tag_of(el) for el in elements}
    if len(tags) != 1 or not next(iter(tags)):
        return []
    tag = next(iter(tags))
    shared = common_tokens(elements)
    forms = [f"{tag}.{token}" for token in shared]
    if len(shared) > 1:
        forms.append(tag + "".join(f".{t}" for t in shared))
    ids = {el.get("id") or "" for el in elements}
    if len(ids) == 1 and (ident := ids.pop()) and _TOKEN.match(ident) and not any(c.isdigit() for c in ident):
        forms.append(f"{tag}#{ident}")
    forms.append(tag)
    return forms


def candidates(elements: Sequence[etree._Element]) -> list[str]:
    """Every selector worth trying for these elements (one per page): their own forms, then qualified by the
    forms of their ancestors ("div.article h1"), simplest first."""
    own = simple_forms(elements)
    found = list(own)
    level = list(elements)
    for _ in range(ANCESTORS):
        level = [el.getparent() for el in level]
        if any(el is None or dom.tag_of(el) in ("html", "body", "") for el in level):
            break
        for outer in simple_forms(level):
            if outer in (dom.tag_of(level[0]),):
                continue  # "div h1" says little more than "h1"
            found += [f"{outer} {inner}" for inner in own]
    return _unique(found)


def simplest_first(selectors: Iterable[str]) -> list[str]:
    """Selectors to try in order: fewer levels first, then those naming a class, id or attribute (a bare tag
    says the least), then shorter."""
    return sorted(dict.fromkeys(selectors), key=lambda s: (s.count(" "), not any(c in s for c in ".#["), len(s)))


def first_match(root: etree._Element, selector: str) -> etree._Element | None:
    found = dom.css(root, selector)
    return found[0] if found else None


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]
