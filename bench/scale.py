"""Many sources on one small machine: `tests.replay.many` serves N generated sources on a few loopback
hosts; a baseline crawl sets the archive, then the daemon (`newsmon run`) polls every source on a
compressed interval while a few sources publish between polls.

Measured: CPU-seconds, requests and bytes per idle source poll (batched, from the crawl records and the
daemon's children), the daemon's own CPU and RSS, the peak RSS of a batch crawl process, the time from
"published on the replay" to the archive and to the outbox (p50/p95), and the largest gap between two
polls of a source in intervals. Baseline in the same run: the same idle poll in the previous design
(a process per source, no conditional GET, robots.txt fetched each time), via `scrapy crawl news`.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.crawl import REPO, env
from storage.db import connect


def write_config(site: Any, path: Path, interval: float) -> Path:
    db = path.parent / "data" / "newsmon.db"
    path.write_text(
        f'[storage]\npath = "{db}"\nmaildir = "{db.parent / "maildir"}"\n\n'
        "[crawl]\nautothrottle = false\ntimeout = 10\nretries = 1\n\n"
        '[scheduler]\ndelivery_interval = "1h"\nhealth_interval = "1h"\ncrawl_timeout = "10m"\n\n'
        '[[subscriptions]]\nname = "everything"\nrecipients = ["news@example.org"]\n\n'
        "[sources.spbpu-ru]\nenabled = false\n[sources.spbpu-en]\nenabled = false\n"
        + site.toml(f'interval = "{interval:g}s"\njitter = "0s"\nfull_sweep = "0"\n'), encoding="utf-8")
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def today_design_poll(config: Path, db: Path, sources: list[str]) -> dict[str, Any]:
    """An idle poll per source as before: its own process, no validators, robots.txt fetched again."""
    cpu0, start = _children_cpu(), time.perf_counter()
    for name in sources:
        subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"source={name}",
                        "-s", "NEWSMON_CONDITIONAL_POLLS=0", "-s", "NEWSMON_ROBOTS_CACHE=0", "-s", "LOG_LEVEL=WARNING"],
                       cwd=REPO, env={**env(), "NEWSMON_CONFIG": str(config)}, check=True, capture_output=True)
    cpu, wall = _children_cpu() - cpu0, time.perf_counter() - start
    runs = _runs(db, sources, limit_last=True)
    return {"sources": len(sources), "cpu_s_per_poll": round(cpu / len(sources), 3),
            "wall_s_per_poll": round(wall / len(sources), 2),
            "requests_per_poll": statistics.mean(r["requests"] for r in runs),
            "bytes_per_poll": round(statistics.mean(r["bytes"] for r in runs))}


def _runs(db_path: Path, sources: list[str] | None = None, since: str = "", limit_last: bool = False) -> list[dict]:
    db = connect(db_path)
    try:
        sql = "SELECT * FROM crawl_runs WHERE started >= ? AND outcome != 'running'"
        if limit_last:
            sql += " AND id IN (SELECT max(id) FROM crawl_runs GROUP BY source)"
        rows = [dict(r) for r in db.query(sql + " ORDER BY id", [since])]
    finally:
        db.close()
    return [r for r in rows if sources is None or r["source"] in sources]


def _watch(proc: subprocess.Popen[bytes], until: float, on_tick: Any) -> dict[str, float]:
    """Sample the daemon and its crawl processes until `until`: peak RSS of each, the daemon's own CPU."""
    import psutil

    daemon = psutil.Process(proc.pid)
    peak_daemon = peak_batch = 0
    while time.time() < until and proc.poll() is None:
        on_tick()
        try:
            peak_daemon = max(peak_daemon, daemon.memory_info().rss)
            for child in daemon.children(recursive=True):
                try:
                    peak_batch = max(peak_batch, child.memory_info().rss)
                except psutil.Error:
                    pass
            times = daemon.cpu_times()
        except psutil.Error:
            break
        time.sleep(0.25)
    return {"daemon_peak_rss_mb": round(peak_daemon / 2**20, 1), "batch_peak_rss_mb": round(peak_batch / 2**20, 1),
            "daemon_own_cpu_s": round(times.user + times.system, 2),
            "daemon_children_cpu_s": round(times.children_user + times.children_system, 2)}


def first_crawl(config: Path, workdir: Path, names: list[str], chunk: int) -> dict[str, Any]:
    """The baseline crawl of every source, `chunk` sources per process one after another, so a thousand
    sources' first crawl does not open thousands of connections to the replay's servers at once."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    for start in range(0, len(names), chunk):
        argv = [arg for name in names[start:start + chunk] for arg in ("--source", name)]
        subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "crawl", *argv], env=env(),
                       cwd=workdir, capture_output=True)
    return {"wall_s": round(time.perf_counter() - t0, 1), "cpu_s": round(_children_cpu() - cpu0, 1),
            "processes": -(-len(names) // chunk)}


def crawl_command(batches: Path) -> str:
    """The daemon's crawl command, each batch wrapped by bench.batch_cpu to record its own CPU."""
    return (f"{{python}} -m bench.batch_cpu {batches} -- {{python}} -m monitor --config {{config}} crawl {{sources}}"
            " --time-limit {limit} {full}")


def run(results: dict[str, Any], workdir: Path, n: int = 40, hosts: int = 4, interval: float = 60.0,
        intervals: int = 3, publish: int = 4, baseline_sources: int = 3, size: int = 0,
        chunk: int = 100) -> dict[str, Any]:
    """results["scale"]: the daemon over `n` sources (`size` articles each, 0: 32) polled every `interval` s
    for `intervals` intervals; `publish` sources publish at 1.5 intervals."""
    from tests.replay.many import ManySites

    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    with ManySites(n, hosts, size) as site:
        config = write_config(site, workdir / "newsmon.toml", interval)
        db = workdir / "data" / "newsmon.db"
        first = first_crawl(config, workdir, site.names, chunk)
        today = today_design_poll(config, db, site.names[:baseline_sources])
        site.reset_log()
        batches = workdir / "batches.jsonl"
        start = time.time()
        since = datetime.fromtimestamp(start).astimezone().isoformat(timespec="seconds")
        with open(workdir / "daemon.log", "wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                                    env={**env(), "NEWSMON_CRAWL_COMMAND": crawl_command(batches)},
                                    cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
        chosen = site.names[1::max(1, n // publish)][:publish]
        publish_at = start + interval * 1.5

        def tick() -> None:
            if time.time() >= publish_at and not site.published:
                for name in chosen:
                    site.publish(name)

        try:
            watched = _watch(proc, start + interval * intervals + 20, tick)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
        wall = time.time() - start
        polls = _runs(db, since=since)
        figures = _figures(site, db, polls, watched, wall, interval, start)
        figures.update(_batch_figures(batches, polls, n, watched))
        figures.update(design=f"{n} generated sources ({size or 32} articles each) on {hosts} loopback hosts (the "
                              f"WordPress replay under /uNNNN), the daemon polling every {interval:g}s for {intervals}"
                              f" intervals; {publish} sources publish {len(site.new_urls(chosen[0])) if chosen else 0}"
                              " articles each at 1.5 intervals",
                       first_crawl_all_sources=first, today_design_idle_poll=today, wall_s=round(wall, 1),
                       load_average_at_end=[round(x, 2) for x in os.getloadavg()])
    results["scale"] = figures
    return figures


def _batch_figures(path: Path, polls: list[dict], n: int, watched: dict[str, float]) -> dict[str, Any]:
    """CPU per source poll in batches where nothing changed vs batches with news; CPU at 30-minute polls."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    busy = {p["source"] + "@" + p["started"] for p in polls if p["new"] or p["changed"] or p["outcome"] != "ok"}
    idle_cpu = idle_polls = news_cpu = news_polls = 0.0
    stopped = [row for row in rows if row["returncode"] != 0]  # the batch the bench's SIGTERM cut short
    for row in rows:
        if row in stopped:
            continue
        mine = [p for p in polls if p["source"] in set(row["sources"])
                and row["start"] - 1 <= _ts(p["started"]) <= row["end"] + 1]
        if any(p["source"] + "@" + p["started"] in busy for p in mine) or len(mine) != len(row["sources"]):
            news_cpu, news_polls = news_cpu + row["cpu_s"], news_polls + len(row["sources"])
        else:
            idle_cpu, idle_polls = idle_cpu + row["cpu_s"], idle_polls + len(row["sources"])
    total = watched["daemon_children_cpu_s"] + watched["daemon_own_cpu_s"]
    return {
        "batches": len(rows), "batch_sizes": sorted(len(r["sources"]) for r in rows),
        "batches_stopped_by_the_bench": len(stopped),
        "cpu_s_per_idle_poll_batched": round(idle_cpu / idle_polls, 4) if idle_polls else None,
        "idle_batches_polls": int(idle_polls),
        "cpu_s_per_poll_in_batches_with_news": round(news_cpu / news_polls, 4) if news_polls else None,
        "batches_with_news_polls": int(news_polls),
        "batch_max_rss_mb": round(max((r["max_rss_mb"] for r in rows), default=0), 1),
        # all the daemon's CPU over the run per round of polls (n polls), spread over 30 minutes
        "poll_rounds": round(len(polls) / n, 2),
        "cpu_percent_of_one_core_every_30m": round(100 * total / (len(polls) / n) / 1800, 2) if polls else None,
    }


def _figures(site: Any, db_path: Path, polls: list[dict], watched: dict[str, float], wall: float,
             interval: float, start: float) -> dict[str, Any]:
    idle = [p for p in polls if p["new"] == 0 and p["changed"] == 0 and p["outcome"] == "ok"]
    gaps: dict[str, list[float]] = {}
    for p in polls:
        gaps.setdefault(p["source"], []).append(_ts(p["started"]))
    max_gap = max((max([b - a for a, b in zip(t, t[1:], strict=False)] or [0]) for t in gaps.values()), default=0)
    db = connect(db_path)
    try:
        archived, queued = [], []
        for name, when in site.published.items():
            for url in site.new_urls(name):
                row = next(iter(db.query("SELECT a.first_seen, min(o.created) AS queued FROM articles a"
                                         " LEFT JOIN outbox o ON o.article_id = a.id WHERE a.url = ?", [url])), None)
                if row and row["first_seen"]:
                    archived.append(_ts(row["first_seen"]) - when)
                if row and row["queued"]:
                    queued.append(_ts(row["queued"]) - when)
    finally:
        db.close()
    cpu = watched["daemon_children_cpu_s"]
    return {
        "polls": len(polls), "idle_polls": len(idle), "sources_polled": len(gaps),
        "outcomes": dict(Counter(p["outcome"] for p in polls)),
        "polls_with_new": sum(1 for p in polls if p["new"]),
        "requests_per_poll_max": max((p["requests"] for p in polls if not p["new"]), default=None),
        "idle_requests_per_poll": round(statistics.mean(p["requests"] for p in idle), 2) if idle else None,
        "idle_bytes_per_poll": round(statistics.mean(p["bytes"] for p in idle)) if idle else None,
        "cpu_s_per_poll_batched": round(cpu / len(polls), 3) if polls else None,
        "daemon_cpu_percent_of_one_core": round(100 * (cpu + watched["daemon_own_cpu_s"]) / wall, 1),
        **watched,
        "publication_to_archive_s": {"p50": _percentile(archived, 0.5), "p95": _percentile(archived, 0.95),
                                     "n": len(archived)},
        "publication_to_outbox_s": {"p50": _percentile(queued, 0.5), "p95": _percentile(queued, 0.95),
                                    "n": len(queued)},
        "max_gap_between_polls_intervals": round(max_gap / interval, 2),
    }


if __name__ == "__main__":
    import json
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsmon-scale-") as tmp:
        out: dict[str, Any] = {}
        run(out, Path(tmp), **({"n": 6, "interval": 20.0, "intervals": 2, "publish": 2, "baseline_sources": 2, "size": 4}
                               if "--quick" in sys.argv else {}))
        print(json.dumps(out, indent=1))
