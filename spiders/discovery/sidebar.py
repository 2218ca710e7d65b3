"""Blocks that repeat on every listing page ("recent news", "Последние новости") are not the list."""

from __future__ import annotations

from collections.abc import Iterable

from spiders.discovery.cards import Link


def sidebar_urls(pages: Iterable[Iterable[Link | str]]) -> set[str]:
    """URLs listed on more than one listing page: a "recent news" block repeats on every page, a list item
    does not. An item that slid from the bottom of one page to the top of the next (a new article was
    published between the two fetches) is not counted."""
    lists = [[item if isinstance(item, str) else item.url for item in page] for page in pages]
    where: dict[str, list[tuple[int, int, int]]] = {}
    for number, page in enumerate(lists):
        for position, found in enumerate(page):
            where.setdefault(found, []).append((number, position, len(page)))
    repeated = set()
    for found, places in where.items():
        if len({number for number, _, _ in places}) < 2:
            continue
        slid = (len(places) == 2 and places[1][0] == places[0][0] + 1
                and places[0][1] >= places[0][2] - 3 and places[1][1] < 3)
        if not slid:
            repeated.add(found)
    return repeated


def sidebar_filter(pages: list[list[Link]]) -> list[list[Link]]:
    """Each page's links without those an earlier page already listed: a repeated block (a "recent news"
    sidebar picked on a later page) keeps no item there, and an item that slid to the next page is kept once,
    on the first page that showed it. Pass the URLs of earlier pages as `exclude` to `article_links` to let
    the page's real list win instead."""
    seen: set[str] = set()
    kept = []
    for page in pages:
        own = [link for link in page if link.url not in seen]
        seen.update(link.url for link in page)
        kept.append(list({link.url: link for link in reversed(own)}.values())[::-1])
    return kept
