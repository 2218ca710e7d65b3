"""A news source's site as one frozen value, passed down through discovery and extraction.

Like trafilatura's options object: generic code receives the value and never imports a site.
`Selectors` are the per-source CSS overrides of `[sources.NAME.selectors]`; a field without a
selector is extracted generically.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Selectors:
    """CSS selectors of one source; "" means "find it generically"."""

    title: str = ""
    body: str = ""
    date: str = ""
    next_page: str = ""
    drop: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.title or self.body or self.date or self.next_page or self.drop)
