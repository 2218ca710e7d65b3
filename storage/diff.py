"""The monitor's vocabulary: an item is new, changed, unchanged or error; fingerprints and diffs.

Fingerprints cover normalised title, body and date only, so view counters, whitespace and
other page noise never make an unchanged article look changed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
STATUSES = (NEW, CHANGED, UNCHANGED, ERROR)

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u200b\ufeff]+")
_BLANKS = re.compile(r"\n\s*\n+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # no text has them; XML and mail refuse them


def normalise_text(text: str | None) -> str:
    """NFC, NBSP and runs of spaces folded, lines stripped, paragraphs separated by one blank line."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    text = _SPACES.sub(" ", text)
    paragraphs = [" ".join(line.strip() for line in block.split("\n") if line.strip())
                  for block in _BLANKS.split(text)]
    return "\n\n".join(p for p in paragraphs if p)


def normalise_line(text: str | None) -> str:
    """A one-line field (title): all whitespace folded to single spaces."""
    return " ".join(normalise_text(text).split())


def fingerprint(title: str, body: str, published: str | None) -> str:
    """SHA-256 over the normalised fields that make an article's content."""
    payload = "\x1f".join((normalise_line(title), normalise_text(body), (published or "")[:10]))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def classify(old_fingerprint: str | None, new_fingerprint: str) -> str:
    """new when nothing was archived, changed when the fingerprint moved, else unchanged."""
    if old_fingerprint is None:
        return NEW
    return UNCHANGED if old_fingerprint == new_fingerprint else CHANGED


def version_text(title: str, body: str, published: str | None) -> list[str]:
    """The lines a diff compares: title, date, blank line, body paragraphs."""
    return [normalise_line(title), published or "", "", *normalise_text(body).split("\n")]


def unified_diff(old: list[str], new: list[str], old_label: str, new_label: str) -> str:
    """A unified diff of two versions' lines ('' when they are equal)."""
    return "\n".join(difflib.unified_diff(old, new, old_label, new_label, lineterm=""))
