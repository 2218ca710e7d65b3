"""Web UI benchmark: server time of the reader's pages at n articles, beside Datasette's generic pages.

The archive is bench/query.py's synthetic one, with some articles edited (a second version with a diff).
Requests go through the whole ASGI app in-process (Datasette's test client: routing, the plugin, SQL,
templates), so the figures are server time without the network. Baseline: Datasette's own table,
search and row pages over the same file, which the reader's pages replace.
Run alone: .venv/bin/python -m bench.web --n 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench.query import FILTERED, WORDS, build_archive
from storage.archive import store
from storage.db import connect
from storage.diff import fingerprint

TARGET_MS = 100
EDITED = 200  # articles given a second version


def edit_some(path: Path, count: int = EDITED, seed: int = 3) -> list[int]:
    """Store a changed copy of `count` random articles, so article pages carry versions and diffs."""
    db = connect(path)
    rng = random.Random(seed)
    n = db.execute("SELECT max(id) FROM articles").fetchone()[0]
    ids = sorted(rng.sample(range(1, n + 1), count))
    for article_id in ids:
        row = next(db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        body = row["body"].replace(".", ". Дополнено.", 1)
        item = {k: row[k] for k in ("url", "source", "lang", "section", "section_name", "title", "published")}
        item.update(body=body, fingerprint=fingerprint(row["title"], body, row["published"]))
        store(db, item, seen_at="2025-01-01T00:00:00+00:00")
    db.conn.close()
    return ids


def _p95(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
            "max_ms": round(times[-1], 2), "runs": len(times)}


async def _measure(client: Any, urls: list[str], runs: int) -> dict[str, float]:
    urls = urls[:runs]  # a short (quick) run warms up only the URLs it times
    for url in urls:  # warm-up: each URL once (page cache, the filter menus' cache)
        response = await client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        response = await client.get(urls[i % len(urls)])
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    return _p95(times)


def cases(n: int, edited: list[int], db_name: str) -> dict[str, list[str]]:
    """The URLs of each figure: ours, and Datasette's generic page for the same reading."""
    rng = random.Random(5)
    q = urllib.parse.quote
    filters = [f"/?q={q(word)}&" + urllib.parse.urlencode({k: v for k, v in vars(f).items() if v})
               for word, f in FILTERED]
    articles = [rng.randint(1, n) for _ in range(20)] + edited[:20]
    return {
        "front": ["/", "/?lang=ru", "/?topic=cooperation", "/?source=spbpu-en&section=international_activities",
                  "/?since=2020&until=2021", "/?page=3"],
        "search": [f"/?q={q(w)}" for w in WORDS] + filters,
        "article": [f"/article/{i}" for i in articles],
        "baseline_table": [f"/{db_name}/articles", f"/{db_name}/articles?lang=ru"],
        "baseline_search": [f"/{db_name}/articles?_search={q(w)}" for w in WORDS],
        "baseline_row": [f"/{db_name}/articles/{i}" for i in articles],
    }


async def _run_all(path: Path, n: int, edited: list[int], runs: int) -> dict[str, Any]:
    from monitor.web import build

    ds = build(path)
    await ds.invoke_startup()
    out = {}
    for name, urls in cases(n, edited, path.stem).items():
        out[name] = await _measure(ds.client, urls, runs if not name.startswith("baseline") else max(runs // 4, 10))
    return out


def run(results: dict, workdir: Path, n: int = 100_000, runs: int = 200) -> dict[str, Any]:
    """Build the archive, time the pages, store the figures in results["web"]."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "bench.db"
    for old in workdir.glob("bench.db*"):
        old.unlink()
    build_s = build_archive(path, n)["build_s"]
    edited = edit_some(path, min(EDITED, n // 10))
    pages = asyncio.run(_run_all(path, n, edited, runs))
    figures = {"articles": n, "build_s": round(build_s, 1), "pages": pages,
               "targets": {f"{k}_p95_under_{TARGET_MS}ms": pages[k]["p95_ms"] <= TARGET_MS
                           for k in ("front", "search", "article")},
               "design": (f"{runs} sequential requests per page kind through Datasette's in-process ASGI client "
                          f"after one warm-up pass over its URLs; p95 of the server time; baseline pages "
                          f"{max(runs // 4, 10)} requests each")}
    results["web"] = figures
    return figures


def section(r: dict[str, Any]) -> list[str]:
    """The web UI's own heading in docs/benchmarks.md (empty when not measured)."""
    w = r.get("web")
    if not w:
        return []
    p = w["pages"]
    lines = ["", "## Web UI (`newsmon serve`)", "",
             f"Server time at {w['articles']:,} articles ({w['design']}).", "",
             "| Page | p50 ms | p95 ms | Baseline: Datasette's generic page, p95 ms | Target | Met? |",
             "|---|---|---|---|---|---|"]
    for key, label, base in (("front", "Front page `/` (latest, filters, pages)", "baseline_table"),
                             ("search", "Search `/?q=` (words, words + filters)", "baseline_search"),
                             ("article", "Article `/article/<id>` (versions, diffs)", "baseline_row")):
        met = w["targets"][f"{key}_p95_under_{TARGET_MS}ms"]
        lines.append(f"| {label} | {p[key]['p50_ms']} | {p[key]['p95_ms']} | {p[base]['p95_ms']} |"
                     f" <= {TARGET_MS} ms | {'yes' if met else '**no**'} |")
    lines += ["", "Front-page cases: no filter, lang, topic, source + section, a date range, page 3; search cases: the "
              "12 words and the 6 word + filter combinations of bench/query.py; article pages: 20 random articles and "
              "20 with a second version (inline diff). Datasette's generic pages are what `newsmon serve` showed "
              "before: the articles table (with facets), its search box, and the row page."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the synthetic archive")
    parser.add_argument("--runs", type=int, default=200, help="requests per page kind")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-web-") as tmp:
        run(results, Path(tmp), args.n, args.runs)
    print(json.dumps(results["web"], ensure_ascii=False, indent=2))
    print("\n".join(section(results)))


if __name__ == "__main__":
    main()
