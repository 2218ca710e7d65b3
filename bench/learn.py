"""`sources add` figures: requests and seconds to learn a source, F1 of learned vs generic extraction, and the
parsing speed of a learned source against trafilatura on the same pages (same run).

Sites: the SPbPU replay (ru listing, ~160 KB pages) and the two loopback sites of tests/sources_fixtures.py
(WordPress-like English with a feed and Russian windows-1251 without, Drupal-like Russian windows-1251). Learning runs in-process with no delay (the delay is
politeness, not work). Run: `.venv/bin/python -m bench.learn` (prints a Markdown table).
"""

from __future__ import annotations

import statistics
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from spiders.extraction.chain import extract
from spiders.extraction.score import token_f1
from spiders.learn.fetch import PoliteFetcher
from spiders.learn.site import learn_source
from spiders.profile import Selectors

REPS = 5


def _selectors(table: dict[str, Any]) -> Selectors:
    sel = table["selectors"]
    return Selectors(sel.get("title", ""), sel.get("body", ""), sel.get("date", ""), sel.get("next_page", ""),
                     tuple(sel.get("drop", ())))


def _rate(func: Callable[[bytes, str], Any], pages: list[tuple[str, bytes]]) -> float:
    """Pages/s: the median of REPS passes over the pages."""
    rates = []
    for _ in range(REPS):
        start = time.perf_counter()
        for url, body in pages:
            func(body, url)
        rates.append(len(pages) / (time.perf_counter() - start))
    return statistics.median(rates)


def measure(name: str, listing_url: str, truth: list[dict[str, Any]], speed: bool = False) -> dict[str, Any]:
    """Learn the site, then read every truth article with the learned selectors and generically."""
    fetcher = PoliteFetcher(delay=0)
    started = time.perf_counter()
    learned = learn_source(listing_url, "bench", fetcher)
    seconds = time.perf_counter() - started
    selectors = _selectors(learned.table)
    pages = [(t["url"], urllib.request.urlopen(t["url"], timeout=10).read()) for t in truth]
    f1 = {"learned": [], "generic": []}
    exact = {"learned": 0, "generic": 0}
    for item, (url, body) in zip(truth, pages, strict=True):
        for kind, sel in (("learned", selectors), ("generic", Selectors())):
            got = extract(body, url, sel)
            f1[kind].append(token_f1(got.body, item["body"]))
            exact[kind] += got.title == item["title"] and (got.published or "")[:10] == str(item["published"])[:10]
    row = {"site": name, "requests": learned.requests, "seconds": round(seconds, 2), "articles": len(truth),
           **{f"{k}_f1_mean": round(statistics.mean(v), 4) for k, v in f1.items()},
           **{f"{k}_f1_min": round(min(v), 4) for k, v in f1.items()},
           **{f"{k}_title_date": round(v / len(truth), 4) for k, v in exact.items()}}
    if speed:
        import trafilatura

        sample = pages[:50]
        row["learned_pages_s"] = round(_rate(lambda b, u: extract(b, u, selectors), sample), 1)
        row["trafilatura_pages_s"] = round(_rate(lambda b, u: trafilatura.extract(b, url=u), sample), 1)
    return row


def main() -> None:
    from tests.replay import ReplaySite
    from tests.sources_fixtures import NewsSite

    rows = []
    with ReplaySite(ru_port=0, en_port=0, state=1) as site:
        truth = [t for t in site.ground_truth() if t["url"].startswith(site.ru_url + "/")]
        rows.append(measure("SPbPU replay (ru)", site.ru_url + "/media/news/", truth, speed=True))
    for markup, lang, charset, feed in (("wp", "en", "utf-8", True), ("wp", "ru", "windows-1251", False),
                                        ("drupal", "ru", "windows-1251", False)):
        with NewsSite(lang=lang, charset=charset, feed=feed, markup=markup) as site:
            label = f"loopback {markup}, {lang}, {charset}, {'feed' if feed else 'no feed'}"
            rows.append(measure(label, site.listing_url, site.ground_truth()))
    print("| Site | Requests | Seconds | Articles | Title+date learned / generic | Body F1 mean learned / "
          "generic | Body F1 min learned / generic |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['site']} | {r['requests']} | {r['seconds']} | {r['articles']} | {r['learned_title_date']} / "
              f"{r['generic_title_date']} | {r['learned_f1_mean']} / {r['generic_f1_mean']} | "
              f"{r['learned_f1_min']} / {r['generic_f1_min']} |")
    for r in rows:
        if "learned_pages_s" in r:
            ratio = r["learned_pages_s"] / r["trafilatura_pages_s"]
            print(f"\nParsing, {r['site']}: learned selectors {r['learned_pages_s']} pages/s, trafilatura.extract "
                  f"{r['trafilatura_pages_s']} pages/s on the same {min(50, r['articles'])} pages: {ratio:.1f}x")


if __name__ == "__main__":
    main()
