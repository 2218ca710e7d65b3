"""`make bench`: every benchmark, each beside its baseline in the same run, then bench/results.json and the
table in docs/benchmarks.md. `--quick` is a smoke run (tiny sizes, one repetition) that writes to a
scratch directory unless --out/--doc say otherwise.

Run: .venv/bin/python -m bench [--quick] [--only crawl,parse,poll,memory,query,scale]
(`scale`, the daemon over many generated sources, takes minutes: `--quick` leaves it out unless named.)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import crawl, extraction, memory, parse, poll, scale, web

ROOT = Path(__file__).resolve().parent.parent
ALL = ("crawl", "parse", "extraction", "poll", "memory", "query", "web", "scale")
FULL = {"crawl": {"small": 1000, "reps": 5, "large": 5000}, "parse": {"n": 5000, "sample": 50, "reps": 5, "every": 20},
        "poll": {"reps": 5}, "memory": {"crawls": 100}, "query": {"n": 100_000}, "web": {"n": 100_000},
        "extraction": {"n": 400, "sample": 40, "reps": 5},
        "scale": {"n": 1000, "hosts": 8, "size": 4, "interval": 120.0, "intervals": 3, "publish": 10}}
QUICK = {"crawl": {"small": 40, "reps": 1, "large": 60}, "parse": {"n": 30, "sample": 6, "reps": 2, "every": 6},
         "poll": {"reps": 1}, "memory": {"crawls": 4}, "query": {"n": 2000}, "web": {"n": 500, "runs": 10},
         "extraction": {"n": 10, "sample": 2, "reps": 1},
         "scale": {"n": 6, "hosts": 2, "size": 4, "interval": 20.0, "intervals": 2, "publish": 2,
                   "baseline_sources": 2}}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import scrapy

    model, mem_kb = "unknown", 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    try:
        import trafilatura
        traf = trafilatura.__version__
    except ImportError:
        traf = "not installed"
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gb": round(mem_kb / 2**20, 1),
            "os": platform.platform(), "python": platform.python_version(), "scrapy": scrapy.__version__,
            "trafilatura": traf, "sqlite": sqlite3.sqlite_version,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def run_query(results: dict[str, Any], workdir: Path, n: int) -> None:
    """bench/query.py is another module's; measure it when it is there, say why not otherwise."""
    try:
        from bench import query
    except ImportError as exc:
        results["query"] = {"not_measured": f"bench.query is missing ({exc})"}
        return
    if not hasattr(query, "run"):
        results["query"] = {"not_measured": "bench.query has no run(results, workdir, n)"}
        return
    query.run(results, workdir / "query", n=n)


def steps(workdir: Path, sizes: dict[str, dict[str, Any]]) -> dict[str, Callable[[dict[str, Any]], Any]]:
    return {
        "crawl": lambda r: crawl.run(r, workdir / "crawl", **sizes["crawl"]),
        "parse": lambda r: parse.run(r, **sizes["parse"]),
        "extraction": lambda r: extraction.run(r, **sizes["extraction"]),
        "poll": lambda r: poll.run(r, workdir / "poll", **sizes["poll"]),
        "memory": lambda r: r.setdefault("memory", {}).update(
            daemon=memory.daemon_rss(workdir / "daemon", **sizes["memory"])),
        "query": lambda r: run_query(r, workdir, **sizes["query"]),
        "web": lambda r: web.run(r, workdir / "web", **sizes["web"]),
        "scale": lambda r: scale.run(r, workdir / "scale", **sizes["scale"]),
    }


def run_all(only: list[str], quick: bool, workdir: Path) -> dict[str, Any]:
    """Run the chosen benchmarks; a failing one is recorded as such and the others still run."""
    sizes = QUICK if quick else FULL
    results: dict[str, Any] = {"quick": quick, "machine": machine(), "sizes": {k: sizes[k] for k in only},
                               "seconds": {}}
    for name, step in steps(workdir, sizes).items():
        if name not in only:
            continue
        print(f"bench: {name} ...", flush=True)
        start = time.perf_counter()
        try:
            step(results)
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            results.setdefault("failed", {})[name] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        results["seconds"][name] = round(time.perf_counter() - start, 1)
        print(f"bench: {name} done in {results['seconds'][name]} s", flush=True)
    return results


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value}{unit}"


def _met(flag: Any) -> str:
    return "—" if flag is None else ("yes" if flag else "**no**")


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """(figure, newsmon, baseline, ratio, target, met?) for every measured figure."""
    out = []
    if c := r.get("crawl"):
        out.append(("Full crawl throughput, pages/s (spbpu-ru --full)", _fmt(c["newsmon_pages_per_s"]),
                    _fmt(c["baseline_pages_per_s"]) + " bare Scrapy spider", _fmt(c["ratio_median"]),
                    ">= 0.8", _met(c["target_met"])))
    if p := r.get("parse"):
        ours, theirs = p["newsmon"], p["trafilatura"]
        out.append(("Parsing, pages/s (in-process)", _fmt(ours["pages_per_s"]),
                    _fmt(theirs["pages_per_s"]) + " trafilatura.extract", _fmt(p["speed_ratio"]), ">= 5",
                    _met(p["speed_ratio"] >= 5)))
        if "generic" in p:
            out.append(("Parsing with the generic chain (no profile), pages/s, same pages", _fmt(p["generic"]["pages_per_s"]),
                        _fmt(theirs["pages_per_s"]) + " trafilatura.extract", _fmt(p["generic_speed_ratio"]), "—",
                        "—"))
        for key, label in (("body_equal_rate", "Body equal to ground truth (rate)"),
                           ("body_similarity", "Body similarity to ground truth (difflib)"),
                           ("date_accuracy", "Date equal to ground truth (rate)")):
            better = ours[key] >= theirs[key] if key == "date_accuracy" else ours[key] > theirs[key]
            out.append((label, _fmt(ours[key]), _fmt(theirs[key]) + " trafilatura", "—",
                        "more accurate" if key != "date_accuracy" else "at least as accurate", _met(better)))
    if x := r.get("extraction"):
        traf = x["trafilatura"]
        for name, label in (("generic_chain", "generic chain, no selectors"),
                            ("profile_chain_spbpu", "chain with SPbPU selectors"), ("spbpu_parser", "SPbPU profile parser")):
            e = x[name]
            out.append((f"Extraction speed, pages/s ({label}; {x['page_kb']} KB SPbPU pages)", _fmt(e["pages_per_s"]),
                        _fmt(traf["pages_per_s"]) + " trafilatura (favor_precision)",
                        _fmt(round(e["pages_per_s"] / traf["pages_per_s"], 2)), ">= 5 (profile)" if name == "spbpu_parser" else "—",
                        _met(e["pages_per_s"] >= 5 * traf["pages_per_s"]) if name == "spbpu_parser" else "—"))
        for name, label in (("generic_chain", "generic chain"), ("trafilatura", "trafilatura")):
            for where in ("spbpu", "other_cms"):
                sc = x[name].get(where)
                if sc:
                    out.append((f"Body token-F1 mean / min, {label}, {'SPbPU replay' if where == 'spbpu' else 'other CMS pages'}",
                                f"{_fmt(sc['body_f1_mean'])} / {_fmt(sc['body_f1_min'])}", "ground truth", "—",
                                ">= 0.93 (generic)" if name == "generic_chain" else "—",
                                _met(sc["body_f1_mean"] >= 0.93) if name == "generic_chain" else "—"))
    if q := r.get("poll"):
        full = q["full_recrawl"]
        out.append(("Poll with nothing new: requests per source (max)", _fmt(max(q["requests_per_source"].values())),
                    _fmt(max(full["requests"].values())) + " --full re-crawl", "—", "<= 3",
                    _met(max(q["requests_per_source"].values()) <= 3)))
        out.append(("Poll with nothing new: wall time, s (both sources, process start included)", _fmt(q["wall_s"]),
                    _fmt(full["wall_s"]) + " --full re-crawl", _fmt(q["wall_s"] / full["wall_s"]), "< 3 s",
                    _met(q["wall_s"] < 3)))
        out.append(("Poll with nothing new: bytes (both sources)", _fmt(sum(q["bytes_per_source"].values())),
                    _fmt(sum(full["bytes"].values())) + " --full re-crawl", "—", "—", "—"))
    m = r.get("memory", {})
    if "crawl_peak_rss_mb" in m:
        out.append((f"Peak RSS of the {m.get('crawl_articles')}-article crawl, MB", _fmt(m["crawl_peak_rss_mb"]),
                    _fmt(m["baseline_peak_rss_mb"]) + " bare spider",
                    _fmt(m["crawl_peak_rss_mb"] / m["baseline_peak_rss_mb"]) if m["baseline_peak_rss_mb"] else "—",
                    "< 250 MB", _met(m["crawl_target_met"])))
    if d := m.get("daemon"):
        growth = d.get("growth_after_10")
        out.append((f"Daemon RSS growth after the first 10 of {d.get('crawls')} crawls",
                    _fmt(None if growth is None else round(100 * growth, 1), " %"),
                    _fmt(d.get("rss_mb_after_10"), " MB after 10"), "—", "<= 10 %",
                    _met(None if growth is None else growth <= 0.10)))
    if (qr := r.get("query")) is not None:
        out += _query_rows(qr)
    if s := r.get("scale"):
        out += _scale_rows(s, r.get("sizes", {}).get("scale", {}).get("interval"))
    return out


def _scale_rows(s: dict[str, Any], interval: float | None = None) -> list[tuple[str, str, str, str, str, str]]:
    today = s["today_design_idle_poll"]
    cpu, base_cpu = s["cpu_s_per_idle_poll_batched"], today["cpu_s_per_poll"]
    p95 = s["publication_to_outbox_s"]["p95"] or s["publication_to_archive_s"]["p95"]
    return [
        ("Idle poll per source: requests (batched daemon)", _fmt(s["idle_requests_per_poll"]),
         _fmt(today["requests_per_poll"]) + " process per source, no validators", "—", "1",
         _met(s["idle_requests_per_poll"] == 1 if s["idle_requests_per_poll"] is not None else None)),
        ("Idle poll per source: bytes", _fmt(s["idle_bytes_per_poll"]), _fmt(today["bytes_per_poll"]) + " as before",
         "—", "< 5,000", _met(s["idle_bytes_per_poll"] < 5000 if s["idle_bytes_per_poll"] is not None else None)),
        ("Idle poll per source: CPU-seconds (batches where nothing changed)", _fmt(cpu),
         _fmt(base_cpu) + " process per source",
         _fmt(cpu / base_cpu) if cpu and base_cpu else "—", "<= 0.05", _met(cpu <= 0.05 if cpu else None)),
        (f"Scale: daemon CPU, % of one core ({s['sources_polled']} sources every 30 min, from measured rounds)",
         _fmt(s["cpu_percent_of_one_core_every_30m"]), "—", "—", "<= 10",
         _met(s["cpu_percent_of_one_core_every_30m"] <= 10 if s["cpu_percent_of_one_core_every_30m"] else None)),
        ("Scale: peak RSS, MB (daemon / batch crawl)", f"{s['daemon_peak_rss_mb']} / {s['batch_max_rss_mb']}", "—",
         "—", "<= 300", _met(max(s["daemon_peak_rss_mb"], s["batch_max_rss_mb"]) <= 300)),
        ("Scale: publication to outbox p95, s", _fmt(p95), "—", "—",
         f"<= interval + 60 s ({_fmt(interval + 60)} s)" if interval else "<= interval + 60 s",
         _met(p95 <= interval + 60 if p95 is not None and interval else None)),
        ("Scale: max gap between polls of a source, intervals", _fmt(s["max_gap_between_polls_intervals"]), "—", "—",
         "<= 1.5", _met(s["max_gap_between_polls_intervals"] <= 1.5)),
    ]


def _query_rows(q: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    if "not_measured" in q:
        return [("Query at 100,000 articles", "not measured", "—", "—", "—", q["not_measured"])]
    search, export, targets = q.get("search", {}), q.get("export", {}), q.get("targets", {})
    like = search.get("baseline_like_scan", {}).get("p95_ms")
    out = []
    for key, label, target_key, target in (("one_word", "one word", "one_word_p95_under_20ms", "< 20 ms"),
                                           ("word_with_filters", "word + filters", "filtered_p95_under_50ms",
                                            "< 50 ms"), ("phrase", "phrase", None, "—")):
        if key in search:
            p95 = search[key]["p95_ms"]
            out.append((f"Search p95, ms ({label}, {q.get('articles')} articles)", _fmt(p95),
                        _fmt(like) + " LIKE scan" if like else "—", _fmt(p95 / like) if like else "—", target,
                        _met(targets.get(target_key)) if target_key else "—"))
    if export:
        base = export.get("baseline_sqlite_utils_rows_per_s")
        out.append(("Export, rows/s", _fmt(export.get("rows_per_s")), _fmt(base) + " sqlite-utils rows",
                    _fmt(export["rows_per_s"] / base) if base else "—", "> 20,000",
                    _met(targets.get("export_over_20000_rows_s"))))
        out.append(("Export memory, peak KB (all rows vs a tenth)", _fmt(export.get("peak_kb_all")),
                    _fmt(export.get("peak_kb_tenth")) + " a tenth", "—", "flat",
                    _met(targets.get("export_memory_flat"))))
    return out


KEEP = "<!-- Sections below are written by their own runs (soak, scale, word forms...); make bench keeps them. -->"


def kept_sections(doc: Path, generated: str = "") -> str:
    """What other runs wrote below the KEEP line of the existing file, carried over unchanged, except a
    section whose heading the generated part now writes itself (its figures are this run's)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    if KEEP not in text:
        return "\n" + KEEP + "\n"
    written = {line for line in generated.splitlines() if line.startswith("## ")}
    parts = re.split(r"(?m)^(?=## )", text.split(KEEP, 1)[1])
    return "\n" + KEEP + "".join(part for part in parts if part.split("\n", 1)[0] not in written)


def merged(out: Path, results: dict[str, Any], only: list[str]) -> dict[str, Any]:
    """A run of some steps (`--only`) keeps the other steps' figures of the results file it updates."""
    if set(only) >= set(ALL) or results.get("quick") or not out.exists():
        return results
    try:
        previous = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return results
    steps_of = {**{name: (name,) for name in ALL}, "query": ("query", "lemmas")}  # lemmas: the query step's
    kept = {key: previous[key] for name in ALL if name not in only for key in steps_of[name] if key in previous}
    seconds = {**previous.get("seconds", {}), **results.get("seconds", {})}
    sizes = {**previous.get("sizes", {}), **results.get("sizes", {})}
    return {**kept, **results, "seconds": seconds, "sizes": sizes}


def markdown(r: dict[str, Any]) -> str:
    """docs/benchmarks.md: the machine, the table, how each figure was measured."""
    mach = r["machine"]
    lines = ["# Benchmarks", "",
             "Written by `make bench` (`.venv/bin/python -m bench`); raw figures in `bench/results.json`.",
             "Every figure is measured in the same run as its baseline; speeds are medians of at least 5 "
             "repetitions unless the design below says otherwise.", "",
             f"Machine: {mach['cpus']} CPUs ({mach['cpu_model']}), {mach['memory_gb']} GB RAM, {mach['os']}; "
             f"Python {mach['python']}, Scrapy {mach['scrapy']}, trafilatura {mach['trafilatura']}, "
             f"SQLite {mach['sqlite']}; load average at start {mach['load_average_at_start']}."
             + (" **Quick smoke run: sizes are tiny, figures are not meaningful.**" if r.get("quick") else ""), "",
             "| Figure | newsmon | Baseline | Ratio | Target | Met? |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows(r)]
    lines += ["", "## How", ""]
    for name in ("crawl", "parse", "extraction", "poll", "scale"):
        if isinstance(r.get(name), dict) and r[name].get("design"):
            lines.append(f"- **{name}**: {r[name]['design']}.")
    if "daemon" in r.get("memory", {}):
        lines.append("- **memory**: peak RSS = psutil polling (0.1 s) of the crawl subprocess tree during the "
                     "large crawl; daemon = `newsmon run` with 1 s intervals and real crawl subprocesses against "
                     "the replay, its own RSS sampled after every finished crawl.")
    if "query" in r:
        lines.append("- **query**: bench/query.py (a synthetic archive; baselines: an unindexed LIKE scan, "
                     "sqlite-utils row iteration).")
    for name, error in r.get("failed", {}).items():
        lines.append(f"- **{name} failed**: {error}")
    lines += web.section(r)
    lines += ["", f"Total time: {r.get('total_seconds')} s ({', '.join(f'{k} {v} s' for k, v in r['seconds'].items())}).",
              ""]
    from bench.lemmas import section  # the word-forms comparison, measured by the query step

    lines += section(r)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: tiny sizes, one repetition")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {','.join(ALL)}")
    parser.add_argument("--out", type=Path, help="results JSON (default bench/results.json; quick: scratch)")
    parser.add_argument("--doc", type=Path, help="markdown table (default docs/benchmarks.md; quick: scratch)")
    args = parser.parse_args(argv)
    default = [name for name in ALL if name != "scale"] if args.quick else list(ALL)
    only = [name.strip() for name in args.only.split(",") if name.strip()] or default
    unknown = set(only) - set(ALL)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        scratch = Path(tmp)
        out = args.out or (scratch / "results.json" if args.quick else ROOT / "bench" / "results.json")
        doc = args.doc or (scratch / "benchmarks.md" if args.quick else ROOT / "docs" / "benchmarks.md")
        started = time.perf_counter()
        results = run_all(only, args.quick, scratch)
        results["total_seconds"] = round(time.perf_counter() - started, 1)
        out.parent.mkdir(parents=True, exist_ok=True)
        results = merged(out, results, only)
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        doc.parent.mkdir(parents=True, exist_ok=True)
        text = markdown(results)
        doc.write_text(text + kept_sections(doc, text), encoding="utf-8")
        print(f"bench: wrote {out} and {doc} in {results['total_seconds']} s")
    return 1 if results.get("failed") else 0


if __name__ == "__main__":
    raise SystemExit(main())
