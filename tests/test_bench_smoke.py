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


def test_a_partial_run_keeps_the_other_steps_and_replaces_its_own_section(tmp_path: Path) -> None:
    """`--only query` updates the query figures (and its word-forms section) and keeps every other step's."""
    from bench.__main__ import KEEP, kept_sections, merged

    out = tmp_path / "results.json"
    out.write_text(json.dumps({"crawl": {"ratio_median": 0.5}, "query": {"old": 1}, "lemmas": {"old": 1},
                               "seconds": {"crawl": 9.0, "query": 5.0}, "sizes": {"crawl": {"small": 400}}}))
    fresh = {"query": {"new": 2}, "lemmas": {"new": 2}, "seconds": {"query": 4.0}, "sizes": {"query": {"n": 10}}}
    both = merged(out, fresh, ["query"])
    assert both["crawl"] == {"ratio_median": 0.5} and both["query"] == {"new": 2} and both["lemmas"] == {"new": 2}
    assert both["seconds"] == {"crawl": 9.0, "query": 4.0} and set(both["sizes"]) == {"crawl", "query"}
    assert "lemmas" not in merged(out, {"query": {"failed": 1}, "seconds": {}}, ["query"])  # none of the old

    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n{KEEP}\n\n## Word forms\n\nold figures\n\n## Soak\n\nkept\n")
    kept = kept_sections(doc, "# Benchmarks\n\n## Word forms\n\nnew figures\n")
    assert "old figures" not in kept and "## Soak\n\nkept" in kept and kept.startswith("\n" + KEEP)
