"""`python -m bench --quick` runs every benchmark at tiny sizes, so the bench code cannot rot unnoticed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_quick_bench_writes_every_figure(tmp_path: Path) -> None:
    out, doc = tmp_path / "results.json", tmp_path / "benchmarks.md"
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out), "--doc", str(doc)],
                          cwd=REPO, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert not results.get("failed")
    assert results["crawl"]["baseline_pages_per_s"] > 0 and results["crawl"]["newsmon_pages_per_s"] > 0
    assert results["parse"]["newsmon"]["body_equal_rate"] > 0.9
    assert max(results["poll"]["requests_per_source"].values()) <= 3
    assert results["memory"]["crawl_peak_rss_mb"] > 0 and results["memory"]["daemon"]["crawls"] >= 4
    assert results["machine"]["cpus"] >= 1 and results["machine"]["scrapy"]
    table = doc.read_text(encoding="utf-8")
    for figure in ("Full crawl throughput", "Parsing, pages/s", "Poll with nothing new", "Peak RSS",
                   "Daemon RSS growth"):
        assert figure in table
    assert not (REPO / "bench" / "results.json").exists() or out != REPO / "bench" / "results.json"
