"""The `soak` marker: long fault-injection runs, skipped unless asked for with --run-soak (make soak).

Registered by tests/conftest.py (`pytest_plugins`), so --run-soak parses at start-up;
NEWSMON_RUN_SOAK=1 works as well.
"""

from __future__ import annotations

import os

import pytest

ENV_VAR = "NEWSMON_RUN_SOAK"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-soak", action="store_true", default=False,
                     help="run the long fault-injection tests marked soak (make soak)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "soak: long fault-injection runs (make soak)")


def soak_enabled(config: pytest.Config) -> bool:
    """True when the run asked for soak tests (--run-soak or NEWSMON_RUN_SOAK=1)."""
    try:
        flag = bool(config.getoption("--run-soak"))
    except ValueError:  # the option was never registered (plugin loaded after argument parsing)
        flag = False
    return flag or os.environ.get(ENV_VAR) == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if soak_enabled(config):
        return
    skip = pytest.mark.skip(reason=f"soak test: run with --run-soak (make soak) or {ENV_VAR}=1")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)
