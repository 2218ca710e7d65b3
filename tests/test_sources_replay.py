"""`sources add --write` then `crawl --full` on the replay sites, without a hand-written line.

SPbPU's own listing: the learned block must archive it as well as the built-in profile does. The other
universities' replay (`tests.replay.UniSite`: a WordPress-like English site and a Drupal-like Russian one
in windows-1251 without a feed) must meet the figures of a learned source: title and date 100 %, body
token-F1 >= 0.98 mean (min >= 0.90), no chrome phrase in any body, an idle poll of <= 3 requests with no
article page, state 2's new items found exactly and the edit diffed; `sources add` itself <= 20 requests
and < 30 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spiders.extraction.score import token_f1
from storage.db import connect
from tests.conftest import run_newsmon

CONFIG = """[storage]
path = "{db}"

[crawl]
timeout = 5
autothrottle = false

[sources.spbpu-ru]
enabled = false

[sources.spbpu-en]
enabled = false
"""


@dataclass
class Run:
    """What a learned source did on a replay site: outputs, request logs, archives, truths."""

    config: Path
    outputs: dict[str, str] = field(default_factory=dict)
    logs: dict[str, list[Any]] = field(default_factory=dict)
    archive: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    truth1: list[dict[str, Any]] = field(default_factory=list)
    truth2: list[dict[str, Any]] = field(default_factory=list)
    add_seconds: float = 0.0


def _archived(config: Path) -> dict[str, dict[str, Any]]:
    db = connect(config.parent / "data" / "n.db")
    try:
        return {row["url"]: row for row in db.query("SELECT * FROM articles WHERE source = 'learned'")}
    finally:
        db.close()


def learn_and_crawl(base: Path, listing_url: str, truth: Callable[[], list[dict[str, Any]]], log: Callable[[], list],
                    reset: Callable[[], None], set_state: Callable[[int], None] | None) -> Run:
    """sources add --write, then crawl --full, an idle crawl, and (with set_state) state 2 incremental + full."""
    config = base / "newsmon.toml"
    config.write_text(CONFIG.format(db=base / "data" / "n.db"), encoding="utf-8")
    run = Run(config, truth1=truth())
    reset()
    started = time.monotonic()
    run.outputs["add"] = run_newsmon(config, "sources", "add", listing_url, "--name", "learned", "--write",
                                     "--delay", "0").stdout
    run.add_seconds = time.monotonic() - started
    run.logs["add"] = list(log())
    steps = [("full1", ["--full"], 1), ("idle", [], 1)]
    if set_state is not None:
        steps += [("incr2", [], 2), ("full2", ["--full"], 2)]
    for step, args, state in steps:
        if state == 2 and not run.truth2:
            set_state(2)
            run.truth2 = truth()
        reset()
        run.outputs[step] = run_newsmon(config, "crawl", "--source", "learned", *args).stdout
        run.logs[step] = list(log())
        run.archive[step] = _archived(config)
    return run


def assert_matches_truth(archive: dict[str, dict[str, Any]], truth: list[dict[str, Any]],
                         chrome: tuple[str, ...] = ()) -> list[float]:
    """Title and date 100 %, body F1 >= 0.98 mean and >= 0.90 each, no chrome phrase in a body."""
    missing = [t["url"] for t in truth if t["url"] not in archive]
    assert not missing, missing[:5]
    scores = []
    for item in truth:
        row = archive[item["url"]]
        assert row["title"] == item["title"], item["url"]
        assert (row["published"] or "")[:10] == str(item["published"])[:10], item["url"]
        assert not [phrase for phrase in chrome if phrase in row["body"]], item["url"]
        scores.append(token_f1(row["body"], item["body"]))
    assert sum(scores) / len(scores) >= 0.98 and min(scores) >= 0.9, (sum(scores) / len(scores), min(scores))
    return scores


def _path(entry: Any) -> str:
    """The path of one request-log entry, whatever its shape (a tuple with the path, or a string)."""
    parts = entry if isinstance(entry, tuple | list) else (entry,)
    return next((str(p) for p in parts if isinstance(p, str) and p.startswith("/")), str(entry))


@pytest.fixture(scope="module", params=["ru", "en"])
def spbpu(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    from tests.replay import ReplaySite

    with ReplaySite(ru_port=0, en_port=0, state=1) as site:
        base = site.ru_url if request.param == "ru" else site.en_url

        def truth() -> list[dict[str, Any]]:
            return [t for t in site.ground_truth() if t["url"].startswith(base + "/")]

        return learn_and_crawl(tmp_path_factory.mktemp("spbpu"), base + "/media/news/", truth,
                               lambda: site.request_log, site.reset_log, None)


def test_a_block_learned_from_spbpus_listing_archives_it_as_the_built_in_profile_does(spbpu: Run) -> None:
    assert_matches_truth(spbpu.archive["full1"], spbpu.truth1)
    assert "[profile]" in spbpu.outputs["add"] and "not learned" not in spbpu.outputs["add"]


def test_learning_spbpu_is_cheap(spbpu: Run) -> None:
    assert len(spbpu.logs["add"]) <= 20 and spbpu.add_seconds < 30


def unisite(kind: str) -> Any:
    """The non-SPbPU replay site `kind`, or a skip saying why it is not available."""
    try:
        from tests.replay import UniSite
    except ImportError:
        pytest.skip("tests.replay.UniSite (the other universities' replay sites) is not in this tree")
    try:
        return UniSite(kind, port=0, state=1)
    except (KeyError, ValueError, TypeError) as exc:
        pytest.skip(f"UniSite has no {kind!r} site: {exc}")


@pytest.fixture(scope="module", params=["wp", "drupal"])
def uni(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Any]:
    with unisite(request.param) as site:
        def reset() -> None:
            if hasattr(site, "reset_log"):
                site.reset_log()
            else:
                site.request_log.clear()

        set_state = getattr(site, "set_state", None)
        run = learn_and_crawl(tmp_path_factory.mktemp(request.param), site.listing_url, site.ground_truth,
                              lambda: site.request_log, reset, set_state)
        return run, site


def test_learned_source_reads_every_article_exactly(uni: tuple[Run, Any]) -> None:
    run, site = uni
    assert_matches_truth(run.archive["full1"], run.truth1, tuple(getattr(site, "chrome_phrases", ())))


def test_learning_the_site_is_cheap(uni: tuple[Run, Any]) -> None:
    run, _ = uni
    assert len(run.logs["add"]) <= 20 and run.add_seconds < 30


def test_an_idle_poll_is_at_most_three_requests_and_no_article(uni: tuple[Run, Any]) -> None:
    run, _ = uni
    articles = {urlsplit(t["url"]).path for t in run.truth1}
    paths = [_path(entry) for entry in run.logs["idle"]]
    assert len(paths) <= 3 and not [p for p in paths if urlsplit(p).path in articles], paths


def test_state_two_new_items_are_found_exactly_and_the_edit_is_diffed(uni: tuple[Run, Any]) -> None:
    run, _ = uni
    if not run.truth2:
        pytest.skip("this replay site has no second state")
    new = {t["url"] for t in run.truth2} - {t["url"] for t in run.truth1}
    assert new and f"learned: {len(new)} new, 0 changed" in run.outputs["incr2"]
    before = {t["url"]: t for t in run.truth1}
    edited = {t["url"] for t in run.truth2 if t["url"] in before
              and (t["body"], t["title"]) != (before[t["url"]]["body"], before[t["url"]]["title"])}
    assert edited and all(run.archive["full2"][url]["version"] == 2 for url in edited)
    assert_matches_truth(run.archive["full2"], run.truth2)
