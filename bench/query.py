"""Query benchmark: a synthetic archive of n articles, then search latency, export rate and memory.

Every figure has a baseline measured in the same run on the same file: an unindexed LIKE scan for
search, sqlite-utils' plain row iteration for export.
Run alone: .venv/bin/python -m bench.query --n 100000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from bench.corpus import Corpus
from monitor.commands.query import write_rows
from storage import fts, queries
from storage.db import connect
from storage.migrations import migrations

WORDS = ["сотрудничеству", "Китаем", "соглашения", "лаборатории", "регата", "выставку",
         "agreements", "delegation", "China", "laboratories", "regatta", "exhibition"]
COMMON = ["университеты", "universities"]  # in half the articles of their language: the worst case
PHRASES = ['"международного сотрудничества"', '"двойного диплома"', '"joint research"', '"double degree"']
FILTERED = [
    ("сотрудничество", queries.Filters(lang="ru", since="2020")),
    ("agreement", queries.Filters(source="spbpu-en", section="international_activities")),
    ("Китай", queries.Filters(topic="cooperation")),
    ("competition", queries.Filters(since="2022-01-01", until="2023-12-31", lang="en")),
    ("лаборатория", queries.Filters(section="nauka_i_innovatsii", since="2018")),
    ("university", queries.Filters(topic="cooperation", lang="en", since="2019")),
]
CHUNK = 5000


def _rows(corpus: Corpus, n: int, start: int) -> Iterator[tuple[tuple, tuple, dict, tuple | None]]:
    first_day, rng = date(2014, 1, 1), random.Random(start)
    for i in range(start, min(start + CHUNK, n)):
        art = corpus.article(i)
        aid, lang = i + 1, art["lang"]
        source, host = ("spbpu-ru", "www") if lang == "ru" else ("spbpu-en", "english")
        published = (first_day + timedelta(days=int(i * 4000 / n))).isoformat()
        seen = f"{published}T12:00:00+00:00"
        finger = hashlib.sha256(art["body"].encode()).hexdigest()
        url = f"https://{host}.spbstu.ru/media/news/{art['section']}/bench-{aid}/"
        yield ((aid, url, source, lang, art["section"], art["section"], art["title"], art["body"], published,
                "article", finger, seen, seen, seen),
               (aid, art["title"], art["body"], published, finger, seen),
               {"id": aid, "title": art["title"], "body": art["body"]},
               (aid, round(rng.uniform(0.5, 1.0), 2)) if rng.random() < 0.08 else None)


def build_archive(path: Path, n: int, seed: int = 1, *, snowball: bool = False) -> dict[str, float]:
    """Write n synthetic articles (rows, versions, index, topics) in one transaction.

    The index holds lemmas (storage/fts.py) or, with snowball, the previous version's stems in its layout.
    Returns the seconds taken in all and in the index alone (computing its text and inserting it).
    """
    t0 = time.perf_counter()
    if snowball:
        db = connect(path, migrate=False)
        migrations.apply(db, stop_before="0006_lemma_index")
    else:
        db = connect(path)
    corpus = Corpus(seed)
    index_s = 0.0
    with db.atomic():
        for start in range(0, n, CHUNK):
            chunk = list(_rows(corpus, n, start))
            db.conn.executemany(
                "INSERT INTO articles (id, url, source, lang, section, section_name, title, body, published,"
                " date_source, fingerprint, first_seen, last_seen, updated) VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [c[0] for c in chunk])
            db.conn.executemany(
                "INSERT INTO versions (article_id, version, title, body, published, fingerprint, seen_at)"
                " VALUES (?, 1, ?, ?, ?, ?, ?)", [c[1] for c in chunk])
            t_index = time.perf_counter()
            if snowball:
                db.conn.executemany("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                                    [(c[2]["id"], fts.snowball_text(c[2]["title"]), fts.snowball_text(c[2]["body"]))
                                     for c in chunk])
            else:
                db.conn.executemany("INSERT INTO articles_fts (rowid, title, body, forms) VALUES (?, ?, ?, ?)",
                                    [(c[2]["id"], *fts.index_texts(c[2]["title"], c[2]["body"])) for c in chunk])
            index_s += time.perf_counter() - t_index
            db.conn.executemany("INSERT INTO article_topics (article_id, topic, score) VALUES (?, 'cooperation', ?)",
                                [c[3] for c in chunk if c[3]])
        db.execute("INSERT INTO crawl_runs (source, mode, started, finished, outcome) VALUES"
                   " ('spbpu-ru', 'full', '2024-06-01T00:00:00+00:00', '2024-06-01T01:00:00+00:00', 'ok')")
    t_index = time.perf_counter()
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
    index_s += time.perf_counter() - t_index
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.conn.close()
    return {"build_s": time.perf_counter() - t0, "index_s": index_s}


def _latencies(func: Callable[[Any], Any], cases: list[Any], runs: int) -> dict[str, float]:
    """p50/p95/max in ms of func over the cases, cycled `runs` times after one warm-up pass."""
    for case in cases:
        func(case)
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        func(cases[i % len(cases)])
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
            "max_ms": round(times[-1], 2), "runs": runs}


def measure_search(path: Path, runs: int = 200) -> dict[str, Any]:
    """Search latency through storage.queries.search (snippets included) and the LIKE baseline."""
    db = connect(path, readonly=True)
    out = {
        "one_word": _latencies(lambda w: queries.search(db, w, limit=20), WORDS, runs),
        "phrase": _latencies(lambda p: queries.search(db, p, limit=20), PHRASES, runs),
        "word_with_filters": _latencies(lambda c: queries.search(db, c[0], c[1], limit=20), FILTERED, runs),
        "common_word": _latencies(lambda w: queries.search(db, w, limit=20), COMMON, max(runs // 4, 10)),
        "hits_per_word": {w: db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                        [queries.search_mod.to_fts(w)]).fetchone()[0] for w in [*WORDS, *COMMON]},
    }
    # Baseline: what a plain archive without the index would do: scan every title and body for the stem.
    like = "SELECT id FROM articles WHERE title LIKE ? OR body LIKE ? ORDER BY published DESC"
    patterns = ["%сотрудничеств%", "%agreement%", "%регат%"]
    out["baseline_like_scan"] = _latencies(lambda p: db.execute(like, [p, p]).fetchall(), patterns, 6)
    db.conn.close()
    return out


def _export_once(path: Path, limit: int | None = None, baseline: bool = False) -> tuple[int, float]:
    db = connect(path, readonly=True)
    t0 = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        if baseline:
            rows = (dict(r) for r in db["articles"].rows)
            count = 0
            for row in islice(rows, limit):
                sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        else:
            rows = islice(queries.iter_export(db), limit)
            count = write_rows(rows, "jsonl", queries.EXPORT_FIELDS, sink)
    elapsed = time.perf_counter() - t0
    db.conn.close()
    return count, elapsed


def _peak_kb(path: Path, limit: int | None) -> float:
    tracemalloc.start()
    _export_once(path, limit)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 1024, 1)


def measure_export(path: Path, n: int, reps: int = 5) -> dict[str, Any]:
    """Export rate (jsonl to /dev/null; median of `reps` alternating pairs after a warm-up, so neither side
    pays for a cold page cache) and peak Python memory at a tenth and at all of the archive."""
    _export_once(path, baseline=True)  # warm-up: the archive into the OS page cache
    ours, base = [], []
    for _ in range(reps):
        count, elapsed = _export_once(path)
        ours.append(count / elapsed)
        base_count, base_elapsed = _export_once(path, baseline=True)
        base.append(base_count / base_elapsed)
    return {
        "rows": count,
        "rows_per_s": round(statistics.median(ours)),
        "baseline_sqlite_utils_rows_per_s": round(statistics.median(base)),
        "peak_kb_tenth": _peak_kb(path, max(n // 10, 1)),
        "peak_kb_all": _peak_kb(path, None),
    }


def archive_size(path: Path) -> dict[str, Any]:
    """Bytes on disk, and the share of the full-text index when SQLite has the dbstat table."""
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    db = connect(path, readonly=True)
    try:
        fts = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'").fetchone()[0]
    except Exception:
        fts = None
    db.conn.close()
    return {"bytes": size, "mb": round(size / 2**20, 1), "fts_mb": round(fts / 2**20, 1) if fts else None}


def run(results: dict, workdir: Path, n: int = 100_000) -> dict[str, Any]:
    """Build, measure, and store the figures in results["query"]."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "bench-query.db"
    for old in workdir.glob("bench-query.db*"):
        old.unlink()
    from bench import lemmas

    snowball_path = workdir / "bench-query-snowball.db"
    for old in workdir.glob("bench-query-snowball.db*"):
        old.unlink()
    snowball_build = build_archive(snowball_path, n, snowball=True)  # first: the lemma caches start cold
    build = build_archive(path, n)
    figures: dict[str, Any] = {"articles": n, "build_s": round(build["build_s"], 1)}
    figures["search"] = measure_search(path)
    figures["export"] = measure_export(path, n)
    figures["size"] = archive_size(path)
    search = figures["search"]
    figures["targets"] = {
        "one_word_p95_under_20ms": search["one_word"]["p95_ms"] < 20,
        "filtered_p95_under_50ms": search["word_with_filters"]["p95_ms"] < 50,
        "export_over_20000_rows_s": figures["export"]["rows_per_s"] > 20_000,
        "export_memory_flat": figures["export"]["peak_kb_all"] < 2 * figures["export"]["peak_kb_tenth"] + 256,
    }
    results["query"] = figures
    results["lemmas"] = lemmas.compare(path, snowball_path, n, build, snowball_build, figures)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the synthetic archive")
    parser.add_argument("--workdir", type=Path, help="where to build it (default: a temporary directory)")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    if args.workdir:
        run(results, args.workdir, args.n)
    else:
        with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
            run(results, Path(tmp), args.n)
    print(json.dumps({"query": results["query"], "lemmas": results["lemmas"]}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
