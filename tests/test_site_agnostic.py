"""Generic code knows no site: only a site profile names its hosts, section codes, selectors and sources.

Adding a university is a TOML block; a redesign of one site is a change to its profile. This test
reads every shipped file outside `spiders/sites/` and fails on any of SPbPU's own names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.sites import spbpu

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("spiders", "monitor", "storage")
SUFFIXES = {".py", ".yaml", ".yml", ".html", ".txt", ".json", ".toml"}


def forbidden() -> list[str]:
    """SPbPU's hosts, distinctive section codes, selectors' class names and source names, from its profile."""
    names = [*spbpu.PROFILE.hosts, "spbstu", *spbpu.SOURCES, "spbpu"]
    names += [code for code in spbpu.PROFILE.sections if "_" in code or "-" in code]
    # SPbPU's own ids and classes (a CMS family's common classes, like Bitrix's pager, are fair game)
    names += ["content_page", "news-detail", "cat-int", "news-section"]
    return names


def shipped_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in (REPO / package).rglob("*"):
            if path.suffix in SUFFIXES and "sites" not in path.relative_to(REPO).parts[:2]:
                files.append(path)
    return files


def test_forbidden_names_come_from_the_profile() -> None:
    assert "www.spbstu.ru" in forbidden() and "international_activities" in forbidden()
    assert len(shipped_files()) > 40


@pytest.mark.parametrize("name", forbidden())
def test_no_generic_module_names_a_site(name: str) -> None:
    hits = [f"{path.relative_to(REPO)}:{n}" for path in shipped_files()
            for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            if name.lower() in line.lower()]
    assert not hits, f"{name!r} named outside spiders/sites/: {hits[:10]}"
