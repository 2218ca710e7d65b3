"""Full-crawl throughput: `newsmon crawl --source spbpu-ru --full` against a bare Scrapy spider fetching
exactly the same URLs, both as subprocesses against the same generated replay on loopback, no delay.

Design: a 5,000-page crawl takes about a minute, so the speed figure is the median of REPS alternating
pairs at SMALL articles (newsmon first in odd pairs, the baseline first in even ones), plus one pair at
the full size whose newsmon run also gives the peak RSS of the 5,000-article crawl. Each newsmon run
starts from an empty archive (every article new: the most expensive path). The URL list of the baseline
is the replay's request log of the newsmon run just before it (robots.txt, RSS, listings, articles).
pages/s = requests the replay served / wall time of the subprocess, process start included.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CONCURRENCY = 8  # per host, both crawlers


def write_config(path: Path, ru_url: str, en_url: str, db: Path, *, interval: str = "30m",
                 concurrency: int = CONCURRENCY, extra: str = "") -> Path:
    """A newsmon.toml for the replay: no politeness delay, no AutoThrottle, the archive at `db`."""
    sources = "".join(f"""
[sources.{name}]
base_url = "{url}"
download_delay = 0
concurrency = {concurrency}
interval = "{interval}"
jitter = "0"
full_sweep = "0"
""" for name, url in (("spbpu-ru", ru_url), ("spbpu-en", en_url)))
    path.write_text(f"""
[storage]
path = "{db}"
maildir = "{db.parent / 'maildir'}"

[crawl]
timeout = 30
retries = 2
autothrottle = false
{sources}{extra}""", encoding="utf-8")
    return path


def newsmon_argv(config: Path) -> list[str]:
    return [sys.executable, "-m", "monitor", "--config", str(config)]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def run_newsmon_crawl(config: Path, *args: str, watch_memory: bool = False) -> dict[str, Any]:
    """One `newsmon crawl ARGS` subprocess: wall seconds, exit status, and peak RSS when asked."""
    from bench.memory import PeakRss

    start = time.perf_counter()
    proc = subprocess.Popen([*newsmon_argv(config), "crawl", *args], cwd=config.parent, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = None
    if watch_memory:
        with PeakRss(proc.pid, interval=0.1) as watcher:
            out, err = proc.communicate()
        peak = watcher.peak_mb
    else:
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"newsmon crawl {' '.join(args)} exited {proc.returncode}: {out}{err}")
    return {"wall_s": wall, "stdout": out.strip(), "peak_rss_mb": peak}


def run_baseline(urls: list[str], workdir: Path, watch_memory: bool = False) -> dict[str, Any]:
    """The bare spider over `urls` in a subprocess; wall seconds and its own report."""
    from bench.memory import PeakRss

    urls_file = workdir / "baseline-urls.txt"
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.baseline_spider", str(urls_file),
                             "--concurrency", str(CONCURRENCY)], cwd=REPO, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRss(proc.pid, interval=0.1 if watch_memory else 3600) as watcher:
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"baseline spider exited {proc.returncode}: {err[-2000:]}")
    report = json.loads(out.strip().splitlines()[-1])
    return {"wall_s": wall, **report, "peak_rss_mb": watcher.peak_mb if watch_memory else None}


def crawl_record(db_path: Path, source: str = "spbpu-ru") -> dict[str, Any]:
    from storage.db import connect

    db = connect(db_path, readonly=True)
    try:
        row = next(db.query("SELECT * FROM crawl_runs WHERE source = ? ORDER BY id DESC LIMIT 1", [source]))
        row["articles"] = db.execute("SELECT count(*) FROM articles WHERE source = ?", [source]).fetchone()[0]
        return row
    finally:
        db.close()


def one_pair(site: Any, workdir: Path, newsmon_first: bool, urls: list[str] | None = None,
             watch_memory: bool = False) -> dict[str, Any]:
    """newsmon and the baseline over the same URLs (newsmon's own request log, or `urls` from an earlier run)."""
    db_dir = workdir / "crawl-db"
    shutil.rmtree(db_dir, ignore_errors=True)
    config = write_config(workdir / "crawl.toml", site.ru_url, site.en_url, db_dir / "newsmon.db")

    def newsmon() -> dict[str, Any]:
        site.reset_log()
        result = run_newsmon_crawl(config, "--source", "spbpu-ru", "--full", watch_memory=watch_memory)
        log = [entry for entry in site.request_log if entry[0] == "ru" and entry[1] == "GET"]
        record = crawl_record(db_dir / "newsmon.db")
        return {**result, "requests": len(log), "urls": [site.ru_url + path for _, _, path, _ in log],
                "articles": record["articles"], "crawl_elapsed_s": record["elapsed"], "outcome": record["outcome"]}

    def baseline(urls: list[str]) -> dict[str, Any]:
        site.reset_log()
        result = run_baseline(urls, workdir, watch_memory)
        return {**result, "requests": len(site.request_log)}

    if newsmon_first or urls is None:
        ours = newsmon()
        base = baseline(ours["urls"])
    else:  # the crawl's URL set is deterministic for a site: time the baseline first this time
        base = baseline(urls)
        ours = newsmon()
    for side in (ours, base):
        side["pages_per_s"] = side["requests"] / side["wall_s"]
    return {"newsmon": ours, "baseline": base, "ratio": ours["pages_per_s"] / base["pages_per_s"]}


def run(results: dict[str, Any], workdir: Path, *, small: int = 1000, reps: int = 5, large: int = 5000) -> dict:
    """The throughput figure (median of `reps` pairs at `small`) and one pair at `large` (with peak RSS)."""
    from tests.replay import ReplaySite

    workdir.mkdir(parents=True, exist_ok=True)
    pairs = []
    with ReplaySite(scale=small) as site:
        urls = None
        for i in range(reps):
            pairs.append(one_pair(site, workdir, newsmon_first=i % 2 == 0, urls=urls))
            urls = pairs[0]["newsmon"]["urls"]
    with ReplaySite(scale=large) as site:
        big = one_pair(site, workdir, newsmon_first=True, watch_memory=True)
    figures = {
        "design": f"median of {reps} alternating pairs at {small} articles + 1 pair at {large}; "
                  f"concurrency {CONCURRENCY} per host, no delay; pages/s = replay requests / subprocess wall time",
        "small": small, "reps": reps, "large": large,
        "newsmon_pages_per_s": statistics.median(p["newsmon"]["pages_per_s"] for p in pairs),
        "baseline_pages_per_s": statistics.median(p["baseline"]["pages_per_s"] for p in pairs),
        "ratio_median": statistics.median(p["ratio"] for p in pairs),
        "ratios": [round(p["ratio"], 3) for p in pairs],
        "pairs": [_brief(p) for p in pairs],
        "large_pair": _brief(big),
    }
    figures["target_met"] = figures["ratio_median"] >= 0.8
    results["crawl"] = figures
    results.setdefault("memory", {})["crawl_peak_rss_mb"] = big["newsmon"]["peak_rss_mb"]
    results["memory"]["crawl_articles"] = big["newsmon"]["articles"]
    results["memory"]["baseline_peak_rss_mb"] = big["baseline"]["peak_rss_mb"]
    results["memory"]["crawl_target_met"] = (big["newsmon"]["peak_rss_mb"] or 0) < 250
    return figures


def _brief(pair: dict[str, Any]) -> dict[str, Any]:
    keep = ("requests", "wall_s", "pages_per_s", "articles", "crawl_elapsed_s", "elapsed_s", "peak_rss_mb",
            "outcome", "responses")
    return {side: {k: round(v, 3) if isinstance(v, float) else v for k, v in pair[side].items() if k in keep}
            for side in ("newsmon", "baseline")} | {"ratio": round(pair["ratio"], 3)}


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        out: dict[str, Any] = {}
        run(out, Path(tmp), small=int(sys.argv[1]) if len(sys.argv) > 1 else 1000, reps=int(sys.argv[2])
            if len(sys.argv) > 2 else 5, large=int(sys.argv[3]) if len(sys.argv) > 3 else 5000)
        print(json.dumps(out, indent=1))
