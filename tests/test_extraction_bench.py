"""bench/extraction.py runs and reports every engine on the same pages (a tiny smoke run)."""

from __future__ import annotations

from bench import extraction


def test_extraction_bench_smoke() -> None:
    results: dict = {}
    figures = extraction.run(results, n=10, sample=2, reps=1)
    assert results["extraction"] is figures
    for engine in ("generic_chain", "generic_no_trafilatura", "profile_chain_spbpu", "trafilatura", "spbpu_parser"):
        assert figures[engine]["pages_per_s"] > 0
        assert figures[engine]["spbpu"]["pages"] == 2
    assert figures["generic_chain"]["spbpu"]["body_f1_mean"] >= 0.95
    assert figures["generic_chain"]["other_cms"]["body_f1_mean"] >= 0.95
    assert figures["charset"]["newsmon"]["right"] == figures["charset"]["pages"]
    assert figures["dates"]["us_per_call"] > 0
