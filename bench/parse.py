"""Parsing in-process: newsmon's parse_article against trafilatura on the same generated article pages.

Pages are rendered by the replay (scale mode, the same ~160 KB pages a crawl fetches) without HTTP.
- newsmon: every page (accuracy over all of them; its speed as the median of REPS passes over a sample).
- trafilatura: `extract` for speed (median of REPS passes over the same sample) and `bare_extraction`
  (text and metadata in one call) for accuracy over every SAMPLE_EVERY-th page: trafilatura runs at a
  few pages/s here, so all 5,000 pages would take longer than the whole benchmark budget.
Accuracy: body equal to the ground truth after normalisation (paragraphs joined by blank lines, spaces
folded), a difflib similarity ratio, and the date (YYYY-MM-DD) equal to the truth.
"""

from __future__ import annotations

import difflib
import logging
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from spiders.sites.spbpu import PROFILE as SPBPU  # the replay's pages are SPbPU's
from storage.diff import normalise_text


def paragraphs_text(text: str | None) -> str:
    """One paragraph per non-empty line or blank-line block, joined by blank lines, spaces folded."""
    lines = [line.strip() for line in (text or "").replace("\r", "").split("\n")]
    return normalise_text("\n\n".join(line for line in lines if line))


def pages(n: int, every: int = 1) -> Iterator[tuple[dict[str, Any], bytes]]:
    """(truth row, page bytes) of every `every`-th of n generated Russian articles, rendered on demand."""
    from tests.replay.routes import route
    from tests.replay.server import ReplaySite

    site = ReplaySite(scale=n)
    truth = [row for row in site.ground_truth() if row["source"] == "spbpu-ru"][:n]
    for row in truth[::every]:
        response = route(site, "ru", row["path"], "")
        yield row, response.body


def _score(rows: list[tuple[dict[str, Any], str | None, str | None]]) -> dict[str, Any]:
    """Equality rate, mean similarity and date accuracy of (truth, body, date) triples."""
    equal = similar = dated = 0.0
    for truth, body, date in rows:
        want, got = paragraphs_text(truth["body"]), paragraphs_text(body)
        equal += want == got
        similar += difflib.SequenceMatcher(None, want, got, autojunk=False).quick_ratio() if got else 0.0
        dated += (date or "")[:10] == truth["published"]
    n = max(1, len(rows))
    return {"pages": len(rows), "body_equal_rate": round(equal / n, 4), "body_similarity": round(similar / n, 4),
            "date_accuracy": round(dated / n, 4)}


def _rate(func: Callable[[bytes, str], Any], sample: list[tuple[dict[str, Any], bytes]], reps: int) -> dict:
    """Pages/s of `func` over the sample: the median of `reps` passes (wall time, one core)."""
    rates = []
    for _ in range(reps):
        start = time.perf_counter()
        for row, page in sample:
            func(page, row["url"])
        rates.append(len(sample) / (time.perf_counter() - start))
    return {"pages_per_s": round(statistics.median(rates), 2), "passes": [round(r, 2) for r in rates],
            "sample": len(sample)}


def newsmon_accuracy(n: int) -> tuple[dict[str, Any], float]:
    """Parse all n pages once: accuracy, and the pages/s of that single full pass."""
    from spiders.parsing.article import parse_article

    rows, spent = [], 0.0
    for truth, page in pages(n):
        start = time.perf_counter()
        fields = parse_article(page, truth["url"], SPBPU)
        spent += time.perf_counter() - start
        rows.append((truth, fields.body, fields.published))
    return _score(rows), len(rows) / spent


def trafilatura_accuracy(n: int, every: int) -> tuple[dict[str, Any], float]:
    import trafilatura

    rows, spent = [], 0.0
    for truth, page in pages(n, every):
        html = page.decode("utf-8")
        start = time.perf_counter()
        doc = trafilatura.bare_extraction(html, url=truth["url"], with_metadata=True)
        spent += time.perf_counter() - start
        rows.append((truth, getattr(doc, "text", None), getattr(doc, "date", None)))
    return _score(rows), len(rows) / spent


def run(results: dict[str, Any], *, n: int = 5000, sample: int = 50, reps: int = 5, every: int = 20) -> dict:
    """The parsing figures in results["parse"]."""
    import trafilatura

    from spiders.extraction.chain import extract as chain_extract
    from spiders.parsing.article import parse_article

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    speed_sample = list(pages(n, max(1, n // sample)))[:sample]
    ours_speed = _rate(lambda page, url: parse_article(page, url, SPBPU), speed_sample, reps)
    theirs_speed = _rate(lambda page, url: trafilatura.extract(page.decode("utf-8"), url=url), speed_sample, reps)
    generic_speed = _rate(lambda page, url: chain_extract(page, url), speed_sample, reps)
    ours_acc, ours_full_rate = newsmon_accuracy(n)
    theirs_acc, theirs_bare_rate = trafilatura_accuracy(n, every)
    figures = {
        "design": f"speed: median of {reps} passes over {len(speed_sample)} pages spread over the {n}; "
                  f"accuracy: newsmon on all {n}, trafilatura (bare_extraction with metadata) on every "
                  f"{every}th page ({theirs_acc['pages']})",
        "pages": n, "page_kb": round(sum(len(p) for _, p in speed_sample) / len(speed_sample) / 1024, 1),
        "newsmon": {**ours_speed, "full_pass_pages_per_s": round(ours_full_rate, 2), **ours_acc},
        "generic": {**generic_speed, "what": "newsmon's generic chain (no profile, no selectors), same pages"},
        "trafilatura": {**theirs_speed, "bare_extraction_pages_per_s": round(theirs_bare_rate, 2), **theirs_acc,
                        "version": trafilatura.__version__},
    }
    figures["speed_ratio"] = round(ours_speed["pages_per_s"] / theirs_speed["pages_per_s"], 2)
    figures["generic_speed_ratio"] = round(generic_speed["pages_per_s"] / theirs_speed["pages_per_s"], 2)
    figures["target_met"] = (figures["speed_ratio"] >= 5
                             and ours_acc["body_equal_rate"] > theirs_acc["body_equal_rate"]
                             and ours_acc["date_accuracy"] >= theirs_acc["date_accuracy"])
    results["parse"] = figures
    return figures


if __name__ == "__main__":
    import json
    import sys

    out: dict[str, Any] = {}
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    run(out, n=size, sample=min(50, size), every=20 if size >= 1000 else 1)
    print(json.dumps(out, indent=1, ensure_ascii=False))
