"""Token-F1 between an extracted text and the known text: the measure of body extraction.

Bag-of-words over casefolded word tokens (ё = е), so paragraphing and punctuation do not count but
every missing or extra word does; 1.0 is a perfect body, chrome or lost paragraphs lower it.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"\w+")


def tokens(text: str | None) -> list[str]:
    """Word tokens, casefolded, ё folded to е."""
    return _WORD.findall((text or "").casefold().replace("ё", "е"))


def token_f1(a: str | None, b: str | None) -> float:
    """F1 of the word multisets of a (extracted) and b (expected); 1.0 when both are empty."""
    got, want = Counter(tokens(a)), Counter(tokens(b))
    if not got and not want:
        return 1.0
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    return 2 * precision * recall / (precision + recall)
