"""`newsmon sources add/test/list` as a user runs them: subprocesses against a news site on loopback.

The scenario learns the site with `sources add --write`, crawls it with the written block (full, idle,
state 2, full again) and compares the archive with the site's ground truth.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from spiders.extraction.score import token_f1
from storage.db import connect
from tests.conftest import run_newsmon
from tests.monitor_fixtures import free_port
from tests.sources_fixtures import CHROME, NewsSite

CONFIG = """# newsmon for the partner universities
[storage]
path = "{db}"   # the archive

[crawl]
timeout = 5
autothrottle = false

# the built-in sources are not followed here
[sources.spbpu-ru]
enabled = false

[sources.spbpu-en]
enabled = false
"""


def write_config(path: Path) -> Path:
    path.write_text(CONFIG.format(db=path.parent / "data" / "n.db"), encoding="utf-8")
    return path


@dataclass
class Scenario:
    config: Path
    site_url: str = ""
    before: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    logs: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    truth1: list[dict[str, Any]] = field(default_factory=list)
    truth2: list[dict[str, Any]] = field(default_factory=list)
    archive: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seconds: float = 0.0


def archived(config: Path) -> list[dict[str, Any]]:
    db = connect(config.parent / "data" / "n.db")
    try:
        return list(db.query("SELECT * FROM articles WHERE source = 'partner'"))
    finally:
        db.close()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    base = tmp_path_factory.mktemp("sources")
    sc = Scenario(write_config(base / "newsmon.toml"))
    sc.before = sc.config.read_text(encoding="utf-8")
    with NewsSite(state=1) as site:
        sc.site_url = site.url
        sc.truth1 = site.ground_truth()
        started = time.monotonic()
        sc.outputs["add"] = run_newsmon(sc.config, "sources", "add", site.listing_url, "--name", "partner",
                                        "--write", "--delay", "0")
        sc.seconds = time.monotonic() - started
        sc.logs["add"] = list(site.request_log)
        steps = [("full1", ["crawl", "--full"], 1), ("idle", ["crawl"], 1), ("incr2", ["crawl"], 2),
                 ("full2", ["crawl", "--full"], 2)]
        for step, args, state in steps:
            if state == 2 and not sc.truth2:
                site.set_state(2)
                sc.truth2 = site.ground_truth()
            site.reset_log()
            sc.outputs[step] = run_newsmon(sc.config, *args)
            sc.logs[step] = list(site.request_log)
            sc.archive[step] = archived(sc.config)
        sc.outputs["test"] = run_newsmon(sc.config, "sources", "test", "partner", "--format", "json", check=False)
        sc.outputs["list"] = run_newsmon(sc.config, "sources", "list", "--format", "json")
        sc.outputs["list-table"] = run_newsmon(sc.config, "sources", "list")
    return sc


def test_add_prints_the_block_and_a_preview(scenario: Scenario) -> None:
    out = scenario.outputs["add"].stdout
    assert out.startswith("[sources.partner]\n")
    for key in ("base_url", "listing_urls", "feed_url", "article_pattern", "lang = \"en\"",
                "[sources.partner.selectors]", "title =", "body =", "date =", "next_page =", "drop ="):
        assert key in out
    preview = out.split("Preview", 1)[1]
    assert preview.count("\n- http") == 3 and preview.count("[profile]") == 9
    assert "requests" in out and f"Wrote [sources.partner] to {scenario.config}" in out


def test_add_is_polite_and_cheap(scenario: Scenario) -> None:
    log = scenario.logs["add"]
    assert log[0][0] == "/robots.txt" and len(log) <= 20
    assert scenario.seconds < 30


def test_write_keeps_the_files_comments_and_layout(scenario: Scenario) -> None:
    text = scenario.config.read_text(encoding="utf-8")
    assert text.startswith(scenario.before)
    assert "# learned by newsmon sources add from" in text and "download_delay = 0" in text


def test_full_crawl_with_the_learned_block_matches_the_truth(scenario: Scenario) -> None:
    rows = {row["url"]: row for row in scenario.archive["full1"]}
    assert set(rows) == {t["url"] for t in scenario.truth1}
    scores = []
    for item in scenario.truth1:
        row = rows[item["url"]]
        assert row["title"] == item["title"] and row["published"][:10] == item["published"]
        assert not [phrase for phrase in CHROME if phrase in row["body"]]
        scores.append(token_f1(row["body"], item["body"]))
    assert sum(scores) / len(scores) >= 0.98 and min(scores) >= 0.9
    assert "partner: 20 new, 0 changed" in scenario.outputs["full1"].stdout


def test_an_idle_poll_fetches_no_article(scenario: Scenario) -> None:
    log = scenario.logs["idle"]
    articles = {t["url"].removeprefix(scenario.site_url) for t in scenario.truth1}
    assert len(log) <= 3 and not [path for path, _ in log if path in articles], log
    assert "partner: 0 new, 0 changed" in scenario.outputs["idle"].stdout


def test_state_two_new_items_are_found_exactly_and_the_edit_is_diffed(scenario: Scenario) -> None:
    new = {t["url"] for t in scenario.truth2} - {t["url"] for t in scenario.truth1}
    assert len(new) == 2 and "partner: 2 new, 0 changed" in scenario.outputs["incr2"].stdout
    assert new <= {row["url"] for row in scenario.archive["incr2"]}
    assert "partner: 0 new, 1 changed" in scenario.outputs["full2"].stdout
    edited = [row for row in scenario.archive["full2"] if row["version"] == 2]
    assert len(edited) == 1 and "An edited paragraph" in edited[0]["body"]


def test_sources_test_on_a_good_source_shows_each_field_and_its_extractor(scenario: Scenario) -> None:
    result = scenario.outputs["test"]
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["missing"] == {"title": 0, "date": 0, "body": 0}
    assert len(report["articles"]) == 5
    assert all(a["extractors"] == {"title": "profile", "body": "profile", "date": "profile"}
               for a in report["articles"])


def test_sources_list_shows_every_source(scenario: Scenario) -> None:
    rows = {row["name"]: row for row in json.loads(scenario.outputs["list"].stdout)}
    assert rows["partner"]["reads"] == "learned" and rows["partner"]["articles"] == 22
    assert rows["partner"]["enabled"] and rows["partner"]["last_crawl"] and rows["partner"]["last_outcome"] == "ok"
    assert rows["partner"]["base_url"] == scenario.site_url
    assert rows["spbpu-ru"]["reads"] == "spbpu" and not rows["spbpu-ru"]["enabled"]
    table = scenario.outputs["list-table"].stdout.splitlines()
    assert table[0].split()[:3] == ["name", "reads", "enabled"]
    assert any(line.startswith("partner ") and " learned " in line and " 22 " in line for line in table)


def broken_copy(config: Path, tmp_path: Path) -> Path:
    """The scenario's config with the partner's selectors of a site that was redesigned since."""
    text = config.read_text(encoding="utf-8")
    start = text.index("[sources.partner.selectors]")
    broken = text[:start] + '[sources.partner.selectors]\ntitle = "h1.headline"\nbody = "div.article-text"\n'
    path = tmp_path / "newsmon.toml"
    path.write_text(broken, encoding="utf-8")
    return path


def test_sources_test_on_a_broken_source_exits_1_naming_the_fields(scenario: Scenario, tmp_path: Path) -> None:
    config = broken_copy(scenario.config, tmp_path)
    with NewsSite(state=1, port=int(scenario.site_url.rsplit(":", 1)[1])):
        result = run_newsmon(config, "sources", "test", "partner", "--limit", "3", check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last == "partner: 3 articles; title 0/3, date 3/3, body 0/3 (missing on most: title, body)"
    assert "selectors that matched nothing: title, body" in result.stdout


@pytest.mark.parametrize("path, words", [
    ("/empty/", "no article links"),
    ("/nothing/", "HTTP 404"),
    ("/private/news/", "robots.txt forbids"),
    ("/logo.png", "not an HTML page"),
    (None, "cannot fetch"),
])
def test_what_cannot_be_added_is_one_line_exit_2_and_the_config_untouched(tmp_path: Path, path: str | None,
                                                                          words: str) -> None:
    config = write_config(tmp_path / "newsmon.toml")
    before = config.read_text(encoding="utf-8")
    with NewsSite() as site:
        url = site.url + path if path else f"http://127.0.0.1:{free_port()}/news/"
        result = run_newsmon(config, "sources", "add", url, "--name", "partner", "--write", "--delay", "0",
                             check=False)
    assert result.returncode == 2 and words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error: ")
    assert config.read_text(encoding="utf-8") == before


def test_a_name_clash_is_refused_unless_replace(tmp_path: Path) -> None:
    config = write_config(tmp_path / "newsmon.toml")
    with NewsSite() as site:
        run_newsmon(config, "sources", "add", site.listing_url, "--name", "partner", "--write", "--delay", "0")
        written = config.read_text(encoding="utf-8")
        site.reset_log()
        clash = run_newsmon(config, "sources", "add", site.listing_url, "--name", "partner", "--write", check=False)
        assert clash.returncode == 2 and "exists already" in clash.stderr and not site.request_log
        assert config.read_text(encoding="utf-8") == written
        replaced = run_newsmon(config, "sources", "add", site.listing_url, "--name", "partner", "--write",
                               "--replace", "--delay", "0")
    assert "Wrote [sources.partner]" in replaced.stdout
    assert config.read_text(encoding="utf-8").count("[sources.partner]") == 1


def test_add_creates_newsmon_toml_when_there_is_none(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    with NewsSite() as site:
        proc = subprocess.run([sys.executable, "-m", "monitor", "sources", "add", site.listing_url, "--name",
                               "partner", "--write", "--delay", "0"], capture_output=True, text=True, cwd=tmp_path,
                              env={**{k: v for k, v in os.environ.items() if k != "NEWSMON_CONFIG"},
                                   "PYTHONPATH": str(REPO)}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "newsmon.toml").read_text(encoding="utf-8").startswith("[sources.partner]")


@pytest.mark.parametrize("command", ["add", "test", "list"])
def test_each_command_has_help_with_an_example(tmp_path: Path, command: str) -> None:
    result = run_newsmon(write_config(tmp_path / "newsmon.toml"), "sources", command, "--help")
    assert "Example" in result.stdout and f"newsmon sources {command}" in result.stdout


def test_sources_list_before_any_crawl_creates_no_archive(tmp_path: Path) -> None:
    config = write_config(tmp_path / "newsmon.toml")
    with config.open("a", encoding="utf-8") as out:
        out.write('\n[sources.partner]\nbase_url = "https://partner.example.edu"\n')
    rows = {row["name"]: row for row in json.loads(run_newsmon(config, "sources", "list", "--format", "json").stdout)}
    assert rows["partner"] == {"name": "partner", "base_url": "https://partner.example.edu", "reads": "generic",
                               "enabled": True, "articles": 0, "last_crawl": None, "last_outcome": None}
    assert not (tmp_path / "data").exists()
    assert "never" in run_newsmon(config, "sources", "list").stdout
