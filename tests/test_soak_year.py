"""A simulated year of polls with faults (tests/soak_year.py): a short run in `make test`, the long one in
`make soak`, which writes its figures to docs/benchmarks.md.

The long run lasts $NEWSMON_SOAK_MINUTES (default 30) minutes of wall time with faults, then settles.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.soak_year import Options, Soak, markdown, write_section

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
TITLE = "Soak: a simulated year of polls with faults"


def verdict(figures: dict) -> None:
    """What must hold after any soak, long or short."""
    assert figures["integrity"] == "ok"
    assert figures["missing"] == [] and figures["archived_twice"] == [] and figures["extra"] == [], figures
    assert figures["lost"] == [] and figures["duplicated"] == [] and figures["unexpected_alerts"] == [], figures
    assert figures["failed_rows"] == [] and figures["pending_rows"] == 0, figures
    assert figures["articles_without_crawl_record"] == 0, figures
    assert figures["running_records"] == 0, figures
    assert figures["notes"] == [] or all(n.startswith("disk_full not injected") for n in figures["notes"]), figures


def test_soak_short(tmp_path: Path) -> None:
    """About 27 s of faults, every kind of fault at least once; under a minute, bounded by the settle time."""
    figures = Soak(tmp_path, Options(wall=27, cycle=1.5, settle=20, sweep_cycles=3)).run()
    print(json.dumps(figures, indent=1, default=str))
    verdict(figures)
    assert figures["published"] > 0 and figures["polls"] >= 5


MINUTES = float(os.environ.get("NEWSMON_SOAK_MINUTES", "30"))


@pytest.mark.soak
@pytest.mark.timeout(int(MINUTES * 60 + 900))
def test_soak_year(tmp_path: Path) -> None:
    minutes = MINUTES
    figures = Soak(tmp_path, Options(wall=minutes * 60, cycle=2.0, settle=120)).run()
    print(json.dumps(figures, indent=1, default=str))
    write_section(DOC, TITLE, markdown(figures, TITLE))
    verdict(figures)
