"""Polling when nothing changed: an incremental `newsmon crawl` of both sources right after a full crawl,
process start included. Requests per source come from the replay's log, bytes from the crawl records.

Baselines in the same run: a `--full` re-crawl of the same archive (what a poll would cost without the
incremental stop), and the bare start of the newsmon process (`newsmon --help`).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.crawl import env, newsmon_argv, run_newsmon_crawl, write_config
from storage.db import connect


def _bytes_of_last_runs(db_path: Path) -> dict[str, int]:
    db = connect(db_path, readonly=True)
    try:
        rows = db.query("SELECT source, bytes FROM crawl_runs WHERE id IN"
                        " (SELECT max(id) FROM crawl_runs GROUP BY source)")
        return {r["source"]: r["bytes"] for r in rows}
    finally:
        db.close()


def _crawl(site: Any, config: Path, *args: str) -> dict[str, Any]:
    site.reset_log()
    result = run_newsmon_crawl(config, *args)
    per_host = {"spbpu-ru": 0, "spbpu-en": 0}
    for label, *_ in site.request_log:
        per_host["spbpu-ru" if label == "ru" else "spbpu-en"] += 1
    return {"wall_s": result["wall_s"], "requests": per_host, "bytes": _bytes_of_last_runs(config.parent / "poll-db"
                                                                                            / "newsmon.db")}


def process_start_s(config: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*newsmon_argv(config), "--help"], check=True, capture_output=True, env=env())
    return time.perf_counter() - start


def run(results: dict[str, Any], workdir: Path, reps: int = 5) -> dict[str, Any]:
    """results["poll"]: the median wall time of `reps` incremental polls, their requests and bytes."""
    from tests.replay import ReplaySite

    db_dir = workdir / "poll-db"
    shutil.rmtree(db_dir, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    with ReplaySite() as site:
        config = write_config(workdir / "poll-db.toml", site.ru_url, site.en_url, db_dir / "newsmon.db")
        # the config lives beside poll-db/ so _crawl finds the archive
        first_full = _crawl(site, config, "--full")
        polls = [_crawl(site, config) for _ in range(reps)]
        full = _crawl(site, config, "--full")
        starts = [process_start_s(config) for _ in range(reps)]
    worst = {src: max(p["requests"][src] for p in polls) for src in ("spbpu-ru", "spbpu-en")}
    figures = {
        "design": f"median of {reps} incremental crawls of both sources after a full crawl; baselines: a --full "
                  "re-crawl (conditional GET) and `newsmon --help` (process start alone)",
        "wall_s": round(statistics.median(p["wall_s"] for p in polls), 3),
        "requests_per_source": worst,
        "bytes_per_source": polls[-1]["bytes"],
        "first_full_crawl": first_full,
        "full_recrawl": full,
        "process_start_s": round(statistics.median(starts), 3),
        "polls": polls,
    }
    figures["target_met"] = max(worst.values()) <= 3 and figures["wall_s"] < 3
    results["poll"] = figures
    return figures


if __name__ == "__main__":
    import json
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        out: dict[str, Any] = {}
        run(out, Path(tmp))
        print(json.dumps(out, indent=1))
