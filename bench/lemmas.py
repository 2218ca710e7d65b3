"""Word forms benchmark: the lemma index against the previous version's Snowball index, same run, same
synthetic archive (built twice by bench/query.py): indexing rate, search latency, hits per word form,
index size, and what the lemmatiser costs a process (start-up, memory).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.query import FILTERED, WORDS, _latencies, archive_size
from storage import fts, queries
from storage.db import connect
from storage.search import parse

ROOT = Path(__file__).resolve().parent.parent
CHINA = ["Китай", "Китая", "Китаю", "Китаем", "Китае"]
SMOKE = 10_000  # below: a smoke run (`make bench --quick`), fewer repetitions
TARGETS = {"one_word_p95_ms": 10, "word_with_filters_p95_ms": 25, "index_rate_ratio": 0.5}
_STARTUP = """
import json, time, psutil
proc = psutil.Process()
rss = lambda: proc.memory_info().rss / 2**20
out = {}
def step(name, func):
    r0, t, c = rss(), time.perf_counter(), time.process_time()
    func()
    out.update({name + "_ms": (time.perf_counter() - t) * 1000, name + "_cpu_ms": (time.process_time() - c) * 1000,
                name + "_rss_mb": rss() - r0})
step("import_archive", lambda: __import__("storage.archive") and __import__("monitor.topics"))
from storage import lemmas
step("first_russian_word", lambda: lemmas.keys("Китая"))
step("first_english_word", lambda: lemmas.keys("agreements"))
out["total_rss_mb"] = rss()
print(json.dumps(out))
"""


def startup(runs: int = 3) -> dict[str, float]:
    """Median over fresh processes: importing the archive code, the first Russian and English word."""
    samples = [json.loads(subprocess.run([sys.executable, "-c", _STARTUP], cwd=ROOT, capture_output=True, text=True,
                                         check=True).stdout) for _ in range(runs)]
    return {k: round(statistics.median(s[k] for s in samples), 1) for k in samples[0]}


def _snowball_fts(word: str) -> str:
    return '"' + fts.snowball_text(word) + '"'


def _lookups(path: Path, to_fts: Callable[[str], str], runs: int) -> dict[str, Any]:
    db = connect(path, readonly=True)
    out = {"one_word": _latencies(lambda w: queries.ranked_ids(db, to_fts(w), [], [], 20), WORDS, runs),
           "word_with_filters": _latencies(lambda c: queries.ranked_ids(db, to_fts(c[0]), *c[1].where(), 20),
                                           FILTERED, runs)}
    db.conn.close()
    return out


def lookup_latency(lemma_path: Path, snowball_path: Path, runs: int = 200) -> dict[str, Any]:
    """The index lookup alone (ranked ids, no snippets) on both archives, for a like-for-like comparison."""
    return {"lemmas": _lookups(lemma_path, lambda w: parse(w).fts, runs),
            "snowball": _lookups(snowball_path, _snowball_fts, runs)}


def hits(lemma_path: Path, snowball_path: Path) -> dict[str, dict[str, int]]:
    """Articles each word form finds in each index: the lemma index finds the same for every form."""
    out: dict[str, dict[str, int]] = {}
    count = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
    lem, snow = connect(lemma_path, readonly=True), connect(snowball_path, readonly=True)
    for word in [*CHINA, *WORDS]:
        out[word] = {"lemmas": lem.execute(count, [parse(word).fts]).fetchone()[0],
                     "snowball": snow.execute(count, [_snowball_fts(word)]).fetchone()[0]}
    lem.conn.close()
    snow.conn.close()
    return out


def compare(lemma_path: Path, snowball_path: Path, n: int, build: dict[str, float], snowball_build: dict[str, float],
            query: dict[str, Any]) -> dict[str, Any]:
    """results["lemmas"]: every figure of both indexes and the issue's targets."""
    rate, snowball_rate = n / build["index_s"], n / snowball_build["index_s"]
    search = query["search"]
    figures: dict[str, Any] = {
        "articles": n,
        "index_articles_per_s": {"lemmas": round(rate), "snowball": round(snowball_rate),
                                 "ratio": round(rate / snowball_rate, 3)},
        "build_s": {"lemmas": round(build["build_s"], 1), "snowball": round(snowball_build["build_s"], 1)},
        "search_p95_ms": {"one_word": search["one_word"]["p95_ms"],
                          "word_with_filters": search["word_with_filters"]["p95_ms"],
                          "phrase": search["phrase"]["p95_ms"]},
        "lookup": lookup_latency(lemma_path, snowball_path, runs=200 if n >= SMOKE else 20),
        "hits": hits(lemma_path, snowball_path),
        "size_mb": {"lemmas": archive_size(lemma_path), "snowball": archive_size(snowball_path)},
        "lemmatiser": startup(runs=3 if n >= SMOKE else 1),
    }
    figures["targets"] = {
        "one_word_p95_le_10ms": figures["search_p95_ms"]["one_word"] <= TARGETS["one_word_p95_ms"],
        "filtered_p95_le_25ms": figures["search_p95_ms"]["word_with_filters"] <= TARGETS["word_with_filters_p95_ms"],
        "index_rate_ge_half_snowball": figures["index_articles_per_s"]["ratio"] >= TARGETS["index_rate_ratio"],
    }
    return figures


def _met(flag: bool) -> str:
    return "yes" if flag else "**no**"


def section(r: dict[str, Any]) -> list[str]:
    """The docs/benchmarks.md section of this comparison (empty when it was not measured)."""
    lem = r.get("lemmas")
    if not lem:
        return []
    rate, p95, look, size, boot, met = (lem["index_articles_per_s"], lem["search_p95_ms"], lem["lookup"],
                                        lem["size_mb"], lem["lemmatiser"], lem["targets"])
    china = ", ".join(f"{w} {lem['hits'][w]['lemmas']}/{lem['hits'][w]['snowball']}" for w in CHINA)
    return [
        "", "## Word forms: dictionary lemmas against Snowball stems", "",
        f"The query benchmark's synthetic archive of {lem['articles']:,} articles built twice in the same run: with "
        "the lemma index (storage/lemmas.py: pymorphy3 lemmas, lemminflect's table for English, Snowball for unknown "
        "words) and with the previous version's Snowball index. Search p95 is `storage.queries.search` with "
        "snippets; lookup is the ranked index query alone on both archives."
        + (f" Load average at the start of the run: {r['machine']['load_average_at_start']} on "
           f"{r['machine']['cpus']} CPUs." if r.get("machine") else ""), "",
        "| Figure | Lemmas | Snowball | Target | Met? |", "|---|---|---|---|---|",
        f"| Indexing, articles/s (index text + FTS insert) | {rate['lemmas']:,} | {rate['snowball']:,} | "
        f">= 0.5x Snowball ({rate['ratio']}x) | {_met(met['index_rate_ge_half_snowball'])} |",
        f"| Search p95, ms (one word, snippets) | {p95['one_word']} | — | <= 10 ms | "
        f"{_met(met['one_word_p95_le_10ms'])} |",
        f"| Search p95, ms (word + filters, snippets) | {p95['word_with_filters']} | — | <= 25 ms | "
        f"{_met(met['filtered_p95_le_25ms'])} |",
        f"| Search p95, ms (phrase, snippets) | {p95['phrase']} | — | — | — |",
        f"| Index lookup p95, ms (one word) | {look['lemmas']['one_word']['p95_ms']} | "
        f"{look['snowball']['one_word']['p95_ms']} | — | — |",
        f"| Index lookup p95, ms (word + filters) | {look['lemmas']['word_with_filters']['p95_ms']} | "
        f"{look['snowball']['word_with_filters']['p95_ms']} | — | — |",
        f"| Archive size, MB (full-text index) | {size['lemmas']['mb']} ({size['lemmas']['fts_mb']}) | "
        f"{size['snowball']['mb']} ({size['snowball']['fts_mb']}) | — | — |",
        f"| Articles found per form of Китай (lemmas/Snowball) | {china} | | same for every form | "
        f"{_met(len({lem['hits'][w]['lemmas'] for w in CHINA}) == 1)} |",
        "", "Lemmatiser cost per process (median of 3 fresh processes; wall time, CPU time, RSS added): importing "
        f"the archive code {boot['import_archive_ms']} ms, {boot['import_archive_cpu_ms']} ms CPU (no dictionary "
        f"loaded); the first Russian word {boot['first_russian_word_ms']} ms, {boot['first_russian_word_cpu_ms']} ms "
        f"CPU, +{boot['first_russian_word_rss_mb']} MB (pymorphy3 with DAWG2); the first English word "
        f"{boot['first_english_word_ms']} ms, {boot['first_english_word_cpu_ms']} ms CPU, "
        f"+{boot['first_english_word_rss_mb']} MB (the English table); {boot['total_rss_mb']} MB RSS in all. A crawl "
        "pays these once, and only when it stores an article of that language.",
        "", "Recall and precision over the replay corpus are in tests/test_lemmas_forms.py (printed by the test): "
        "every form of 309 Russian and 120 English words finds every article holding any form of the word.", "",
    ]
