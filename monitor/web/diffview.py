"""An inline diff between two versions of an article, for reading: paragraphs matched first, then words.

The stored unified diff (versions.diff) is line-based and hard to read in a browser; here unchanged
paragraphs collapse to a count and a changed paragraph shows its deleted and inserted words in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class Block:
    """One piece of the diff: `same` (n unchanged paragraphs) or a paragraph of (op, text) segments."""

    kind: str  # same | para | title | date
    count: int = 0
    segments: list[tuple[str, str]] = field(default_factory=list)  # op: = | - | +


def paragraphs(text: str | None) -> list[str]:
    """A body's paragraphs (the archive separates them with blank lines)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def words(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) segments turning `old` into `new` word by word; runs of one op are merged."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("=", "".join(a[i1:i2]))
        else:
            add("-", "".join(a[i1:i2]))
            add("+", "".join(b[j1:j2]))
    return out


def inline(old: dict, new: dict) -> list[Block]:
    """The blocks of the change from version `old` to `new` (dicts with title, body, published)."""
    blocks: list[Block] = []
    if (old.get("title") or "") != (new.get("title") or ""):
        blocks.append(Block("title", segments=words(old.get("title") or "", new.get("title") or "")))
    if (old.get("published") or "") != (new.get("published") or ""):
        blocks.append(Block("date", segments=words(old.get("published") or "-", new.get("published") or "-")))
    a, b = paragraphs(old.get("body")), paragraphs(new.get("body"))
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            blocks.append(Block("same", count=i2 - i1))
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else ""
            after = news[k] if k < len(news) else ""
            blocks.append(Block("para", segments=words(before, after)))
    return blocks
