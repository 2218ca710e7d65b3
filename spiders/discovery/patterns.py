"""An article URL pattern learned from examples: a regex on the URL path, as `article_pattern` is written.

Paths are aligned segment by segment: a segment all examples share stays literal, numbers become `\\d+`
(or `\\d{4}` for years), anything else `[^/]+`. When the site's other links are given, a variable segment
is narrowed (to slugs with a hyphen, values with a digit, or the values seen) until none of them matches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from spiders.discovery import urls

_MIN_SHARE = 0.1  # a path shape held by fewer of the examples is an outlier, not a form of article URL


def learn_pattern(article_urls: Iterable[str], other_urls: Iterable[str] = ()) -> str:
    """A regex (as a string, anchored) on the URL path that matches the article URLs and, as far as the
    examples allow, none of `other_urls`; "" when there are no examples."""
    shapes: dict[tuple[int, bool], list[list[str]]] = {}
    for url in article_urls:
        path = urls.path_of(url)
        segments = [s for s in path.split("/") if s]
        if segments:
            shapes.setdefault((len(segments), path.endswith("/")), []).append(segments)
    total = sum(len(v) for v in shapes.values())
    if not total:
        return ""
    merged: dict[int, tuple[list[list[str]], set[bool]]] = {}
    for (length, slash), examples in shapes.items():
        entry = merged.setdefault(length, ([], set()))
        entry[0].extend(examples)
        entry[1].add(slash)
    others = [urls.path_of(u) for u in other_urls]
    others = [p for p in others if p.strip("/")]
    alternatives = [_shape(examples, slashes, others) for _, (examples, slashes) in sorted(merged.items())
                    if len(examples) > _MIN_SHARE * total]
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    return f"^{body}$"


def _shape(examples: list[list[str]], slashes: set[bool], others: list[str]) -> str:
    """One path shape: per segment the narrowest form needed to keep `others` out, else the broadest."""
    tail = "/?" if True in slashes else ""
    width = len(examples[0])
    choices = [_forms([e[i] for e in examples], last=i == width - 1) for i in range(width)]
    picked = [0] * len(choices)

    def build() -> str:
        return "".join("/" + choices[i][picked[i]] for i in range(len(choices))) + tail

    while True:
        regex = re.compile(f"^{build()}$")
        leaking = [p for p in others if regex.match(p)]
        if not leaking:
            return build()
        best = None
        for i, forms in enumerate(choices):
            if picked[i] + 1 < len(forms):
                trial = picked.copy()
                trial[i] += 1
                narrowed = re.compile("^" + "".join("/" + choices[j][trial[j]] for j in range(len(choices)))
                                      + tail + "$")
                left = sum(1 for p in leaking if narrowed.match(p))
                if best is None or left < best[0]:
                    best = (left, i)
        if best is None or best[0] == len(leaking):
            return build()  # the examples cannot tell these links apart: keep the broad form
        picked[best[1]] += 1


def _forms(values: list[str], last: bool = False) -> list[str]:
    """Regex forms for one segment, broadest first. A value every example shares stays literal, unless it
    is a number (dates and ids change) or the only example's last segment (its slug)."""
    distinct = set(values)
    if len(distinct) == 1 and not values[0].isdigit() and not (last and len(values) == 1):
        return [re.escape(values[0])]
    if all(v.isdigit() for v in values):
        if all(len(v) == 4 and 1900 <= int(v) <= 2099 for v in values):
            return [r"\d{4}"]
        if all(len(v) == 2 and int(v) <= 31 for v in values):
            return [r"\d{2}"]
        return [r"\d+"]
    forms = [r"[^/]+"]
    if all(any(c.isdigit() for c in v) for v in values):
        forms.append(r"[^/]*\d[^/]*")
    if all("-" in v or "_" in v for v in values):
        forms.append(r"[^/]*[-_][^/]*")
    counts = Counter(values)
    if len(counts) <= 12 and len(counts) < len(values):
        forms.append("(?:" + "|".join(re.escape(v) for v in sorted(counts)) + ")")
    return forms
