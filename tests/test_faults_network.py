"""Network faults served by the replay on loopback: one `newsmon crawl --full` of the fault replay, then,
per fault row of the ground truth, its `expect` (stored, stored_no_date, dropped, error, skipped) checked
against the archive, the crawl record, the replay's request log and data/logs/crawl.log.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from storage.db import connect
from storage.diff import normalise_line, normalise_text
from tests.conftest import run_newsmon, write_config
from tests.replay.faults import FAULTS

TIMEOUT = 2      # [crawl] timeout: the slow fault answers after SLOW seconds
SLOW = 3
# What an error or drop's recorded reason must name, per fault.
REASONS = {
    "no-h1": r"title", "empty-body": r"body", "500-always": r"\b500\b", "404": r"\b404\b",
    "redirect-loop": r"redirect", "slow": r"took longer|timeout|timed out", "reset": r"DataLoss|reset|connection",
    "short-body": r"DataLoss|length|truncat", "huge": r"max size|size", "robots": r"robots",
    "redirect-offsite": r"offsite|redirect|host",
}
# Faults the crawler is known to get wrong: code -> reason (a strict xfail, reported to the lead).
GAPS: dict[str, str] = {}


@dataclass
class FaultCrawl:
    truth: dict[str, dict[str, Any]]
    log: list[tuple[str, str, str, int]]
    stdout: str
    db_path: Path
    crawl_log: str
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> FaultCrawl:
    from tests.replay import ReplaySite

    base = tmp_path_factory.mktemp("faults")
    with ReplaySite(faults=True, slow_seconds=SLOW) as site:
        config = write_config(base / "newsmon.toml", site.ru_url, site.en_url, base / "data" / "n.db")
        config.write_text(config.read_text().replace("timeout = 5", f"timeout = {TIMEOUT}"))
        proc = run_newsmon(config, "crawl", "--full", check=False, timeout=120)
        result = FaultCrawl({t["fault"]: t for t in site.ground_truth() if t["fault"]}, list(site.request_log),
                            proc.stdout + proc.stderr, base / "data" / "n.db",
                            (base / "data" / "logs" / "crawl.log").read_text(encoding="utf-8"),
                            hosts={urlsplit(site.ru_url).netloc, urlsplit(site.en_url).netloc})
        result.truth["*"] = {"all": site.ground_truth()}
    db = connect(result.db_path)
    result.articles = {r["url"]: r for r in db.query("SELECT * FROM articles")}
    result.runs = {r["source"]: r for r in db.query("SELECT * FROM crawl_runs")}
    result.events = list(db.query("SELECT * FROM crawl_events"))
    db.close()
    return result


def codes(expect: str | None = None, gaps: bool = False) -> list[Any]:
    """Fault codes (with a strict xfail where the crawler is known to miss the check)."""
    chosen = [f.code for f in FAULTS if expect is None or f.expect == expect]
    if not gaps:
        return chosen
    return [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=GAPS[c])) if c in GAPS else c for c in chosen]


def events_of(crawl: FaultCrawl, url: str) -> list[dict[str, Any]]:
    return [e for e in crawl.events if e["url"] == url]


def test_the_crawl_finishes_ok(crawl: FaultCrawl) -> None:
    assert {s: r["outcome"] for s, r in crawl.runs.items()} == {"spbpu-ru": "ok", "spbpu-en": "ok"}, crawl.stdout
    assert "Traceback" not in crawl.stdout and "Traceback" not in crawl.crawl_log


def test_every_healthy_article_is_still_archived(crawl: FaultCrawl) -> None:
    healthy = [t for t in crawl.truth["*"]["all"] if not t["fault"]]
    missing = [t["url"] for t in healthy if t["url"] not in crawl.articles]
    assert not missing


@pytest.mark.parametrize("code", codes("stored"))
def test_stored_with_the_right_text(crawl: FaultCrawl, code: str) -> None:
    truth = crawl.truth[code]
    row = crawl.articles.get(truth["url"])
    assert row is not None, f"{code} not stored"
    assert normalise_line(row["title"]) == normalise_line(truth["title"])
    assert normalise_text(row["body"]) == normalise_text(truth["body"])
    assert (row["published"] or "")[:10] == truth["published"]
    assert "no_date" not in json.loads(row["flags"])


def test_no_date_is_stored_flagged_and_counted(crawl: FaultCrawl) -> None:
    (code,) = codes("stored_no_date")
    truth = crawl.truth[code]
    row = crawl.articles[truth["url"]]
    assert row["published"] is None and "no_date" in json.loads(row["flags"])
    assert normalise_text(row["body"]) == normalise_text(truth["body"])
    assert crawl.runs["spbpu-ru"]["flagged"] == 1 and crawl.runs["spbpu-ru"]["no_date"] == 1
    assert [e["kind"] for e in events_of(crawl, truth["url"])] == ["no_date"]


@pytest.mark.parametrize("code", codes("dropped") + codes("error") + codes("skipped"))
def test_not_stored(crawl: FaultCrawl, code: str) -> None:
    assert crawl.truth[code]["url"] not in crawl.articles


@pytest.mark.parametrize("code", codes("dropped") + codes("error", gaps=True) + codes("skipped", gaps=True))
def test_counted_with_a_reason_naming_it(crawl: FaultCrawl, code: str) -> None:
    truth = crawl.truth[code]
    kinds = {"dropped": {"dropped"}, "error": {"error"}, "skipped": {"error", "skipped"}}[truth["expect"]]
    found = [e for e in events_of(crawl, truth["url"]) if e["kind"] in kinds]
    assert len(found) == 1, events_of(crawl, truth["url"])
    assert re.search(REASONS[code], found[0]["reason"], re.I), found[0]["reason"]


def test_healthy_articles_have_no_events(crawl: FaultCrawl) -> None:
    """A fault must cost its own item only: no error, drop or flag on any other article."""
    faulty = {t["url"] for t in crawl.truth["*"]["all"] if t["fault"]}
    stray = [(e["kind"], e["url"], e["reason"]) for e in crawl.events if e["url"] not in faulty]
    assert not stray, f"{len(stray)} events on healthy articles, e.g. {stray[:2]}"


def test_run_counters_match_the_events(crawl: FaultCrawl) -> None:
    run = crawl.runs["spbpu-ru"]
    ru = [e for e in crawl.events if e["run_id"] == run["id"]]
    assert run["errors"] == sum(e["kind"] == "error" for e in ru)
    assert run["dropped"] == sum(e["kind"] == "dropped" for e in ru) == len(codes("dropped"))
    assert run["errors"] >= len(codes("error")) - len(GAPS)


@pytest.mark.parametrize("code", codes(gaps=True))
def test_each_fault_logged_once(crawl: FaultCrawl, code: str) -> None:
    """newsmon's own outcome line for the URL (new / error / Dropped / no_date) appears exactly once."""
    truth = crawl.truth[code]
    url = re.escape(truth["url"])
    kind = {"stored": "new", "stored_no_date": "no_date", "dropped": "Dropped: [^:]+", "error": "error",
            "skipped": "(?:skipped|error)"}[truth["expect"]]
    lines = re.findall(rf"^.*\] (?:INFO|WARNING|ERROR): {kind}: {url}(?::|$).*$", crawl.crawl_log, re.M)
    assert len(lines) == 1, lines


@pytest.mark.parametrize("code", ["500-once", "503-once"])
def test_5xx_recovers_on_retry(crawl: FaultCrawl, code: str) -> None:
    statuses = [s for _, _, path, s in crawl.log if path == crawl.truth[code]["path"]]
    assert statuses[0] in (500, 503) and statuses[-1] == 200


def test_permanent_500_is_retried_then_given_up(crawl: FaultCrawl) -> None:
    statuses = [s for _, _, path, s in crawl.log if path == crawl.truth["500-always"]["path"]]
    assert statuses == [500, 500, 500]  # retries = 2


def test_robots_forbidden_path_is_never_requested(crawl: FaultCrawl) -> None:
    assert not [e for e in crawl.log if "replay-fault-robots" in e[2]]


def test_no_request_leaves_the_source_hosts(crawl: FaultCrawl) -> None:
    assert {label for label, *_ in crawl.log} <= {"ru", "en"}
    assert all(urlsplit(url).netloc in crawl.hosts for url in crawl.articles)
    assert not re.search(r"(Crawled \(\d+\)|GET) <?http://evil\.example\.invalid", crawl.crawl_log)


def test_nothing_malformed_is_stored(crawl: FaultCrawl) -> None:
    db = connect(crawl.db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        dupes = db.execute("SELECT url, count(*) FROM articles GROUP BY url HAVING count(*) > 1").fetchall()
        assert not dupes
        assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == len(crawl.articles)
    finally:
        db.close()
    for row in crawl.articles.values():
        assert (row["title"] or "").strip() and (row["body"] or "").strip(), row["url"]
        assert "\x00" not in row["body"] and "\ufffd" not in row["title"] + row["body"], row["url"]
        assert row["fingerprint"]
