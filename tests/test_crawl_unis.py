"""Universities newsmon was never tuned for, configured by TOML alone, crawled over real HTTP on loopback.

Two replays of other CMS families (a WordPress-like English site with a feed, a Drupal-like Russian one in
windows-1251 without a feed) are crawled by `newsmon crawl` as new sources: first with `base_url` and
`listing_urls` only (generic discovery and extraction), then with hand-written selectors. Each crawl is
scored against the replay's ground truth.
"""

from __future__ import annotations

import email.policy
import mailbox
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spiders.extraction.score import token_f1
from storage.db import connect
from storage.diff import normalise_line
from tests.conftest import run_newsmon

# Hand-written selectors, as a user would write them after reading one article page of each site.
SELECTORS = {
    "wp": {"title": "h1.entry-title", "body": "div.entry-content", "date": "time.entry-date.published",
           "drop": [".sharedaddy", ".jp-relatedposts", ".wp-block-image figcaption"]},
    "drupal": {"title": "h1.page-title", "body": "div.field--name-body", "date": "span.news-date",
               "drop": [".share-bar", ".view-read-also"]},
}
LANG = {"wp": "en", "drupal": "ru"}


@dataclass
class Crawled:
    site: Any
    config: Path
    db: Path
    truth: dict[str, dict[str, Any]]

    def rows(self) -> dict[str, dict[str, Any]]:
        db = connect(self.db)
        try:
            return {r["url"]: r for r in db.query("SELECT * FROM articles")}
        finally:
            db.close()


def write_source_config(path: Path, site: Any, *, selectors: dict[str, Any] | None = None,
                        subscription: bool = False) -> Path:
    """A config with SPbPU disabled and the replayed university as a new source `uni`."""
    lines = [f'[storage]\npath = "{path.parent / "n.db"}"\nmaildir = "{path.parent / "maildir"}"',
             "[crawl]\ntimeout = 10\nretries = 1\nautothrottle = false",
             "[sources.spbpu-ru]\nenabled = false", "[sources.spbpu-en]\nenabled = false",
             f'[sources.uni]\nbase_url = "{site.url}"\nlisting_urls = ["{site.listing_url}"]\n'
             "download_delay = 0\nconcurrency = 4"]
    if selectors:
        body = "\n".join(f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {list(v)!r}" for k, v in selectors.items())
        lines.append(f"[sources.uni.selectors]\n{body}".replace("'", '"'))
    if subscription:
        lines.append('[[subscriptions]]\nname = "office"\nrecipients = ["office@example.org"]\n'
                     'topics = ["cooperation"]')
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def crawl(tmp_path_factory: pytest.TempPathFactory, label: str, selectors: bool) -> Any:
    from tests.replay import UniSite

    base = tmp_path_factory.mktemp(f"{label}-{'sel' if selectors else 'generic'}")
    site = UniSite(label, port=0, state=1).start()
    config = write_source_config(base / "newsmon.toml", site, selectors=SELECTORS[label] if selectors else None,
                                 subscription=True)
    run_newsmon(config, "crawl", "--full")
    return Crawled(site, config, base / "n.db", {t["url"]: t for t in site.ground_truth()})


@pytest.fixture(scope="module", params=["wp", "drupal"])
def generic(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    crawled = crawl(tmp_path_factory, request.param, selectors=False)
    yield crawled
    crawled.site.stop()


@pytest.fixture(scope="module", params=["wp", "drupal"])
def selected(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    crawled = crawl(tmp_path_factory, request.param, selectors=True)
    yield crawled
    crawled.site.stop()


def scores(crawled: Crawled) -> dict[str, Any]:
    rows = crawled.rows()
    found = [(t, rows.get(url)) for url, t in crawled.truth.items()]
    n = len(found)
    return {
        "missing": [t["url"] for t, r in found if r is None],
        "extra": [url for url in rows if url not in crawled.truth],
        "title": sum(r is not None and normalise_line(r["title"]) == normalise_line(t["title"]) for t, r in found) / n,
        "date": sum(r is not None and (r["published"] or "")[:10] == t["published"] for t, r in found) / n,
        "f1": [token_f1(r["body"], t["body"]) if r else 0.0 for t, r in found],
        "chrome": [(r["url"], c) for t, r in found if r for c in crawled.site.chrome_phrases
                   if c.casefold() in r["body"].casefold()],
    }


def test_generic_source_archives_every_article_once(generic: Crawled) -> None:
    got = scores(generic)
    assert not got["missing"] and not got["extra"]
    assert got["title"] >= 0.95 and got["date"] >= 0.95
    assert sum(got["f1"]) / len(got["f1"]) >= 0.93, f"body F1 {sum(got['f1']) / len(got['f1']):.3f}"


def test_generic_source_records_its_extractors(generic: Crawled) -> None:
    rows = list(generic.rows().values())
    assert {r["body_source"] for r in rows} <= {"metadata", "generic"}
    assert all(r["date_source"] in ("metadata", "generic", "feed", "listing") for r in rows)
    assert {r["lang"] for r in rows} == {LANG[generic.site.label]}


def test_selectors_give_exact_fields_and_no_chrome(selected: Crawled) -> None:
    got = scores(selected)
    assert not got["missing"] and not got["extra"]
    assert got["title"] == 1.0 and got["date"] == 1.0
    assert sum(got["f1"]) / len(got["f1"]) >= 0.98 and not got["chrome"], got["chrome"][:3]
    assert {r["body_source"] for r in selected.rows().values()} == {"profile"}


def test_idle_poll_fetches_no_article(selected: Crawled) -> None:
    selected.site.reset_log()
    out = run_newsmon(selected.config, "crawl").stdout
    assert "0 new, 0 changed" in out
    paths = [entry[2] for entry in selected.site.request_log]
    article_paths = {urlsplit(url).path for url in selected.truth}
    assert len(paths) <= 3 and not article_paths & {urlsplit(p).path for p in paths}, paths


def test_second_state_new_items_and_the_edit(selected: Crawled) -> None:
    before = set(selected.rows())
    selected.site.set_state(2)
    run_newsmon(selected.config, "crawl")
    truth = {t["url"]: t for t in selected.site.ground_truth()}
    rows = selected.rows()
    assert set(rows) - before == {u for u, t in truth.items() if t["added_in_state"] == 2}
    run_newsmon(selected.config, "crawl", "--full")
    rows = selected.rows()
    edited = [u for u, t in truth.items() if t["edited_in_state_2"]]
    assert len(edited) == 1 and rows[edited[0]]["version"] == 2
    assert {u for u, r in rows.items() if r["version"] > 1} == set(edited)
    shown = run_newsmon(selected.config, "show", edited[0], "--diff").stdout
    assert "\n-" in shown and "\n+" in shown and "extracted:" in shown


def test_cooperation_alert_once_on_a_new_source(selected: Crawled) -> None:
    """State 2 brought one cooperation item and one other: one alert, for the cooperation item only."""
    if selected.site.state != 2:
        selected.site.set_state(2)
        run_newsmon(selected.config, "crawl")
    run_newsmon(selected.config, "alerts", "send")
    run_newsmon(selected.config, "crawl", "--full")
    run_newsmon(selected.config, "alerts", "send")
    box = mailbox.Maildir(selected.config.parent / "maildir", factory=None, create=False)
    subjects = [str(email.message_from_bytes(m.as_bytes(), policy=email.policy.default)["Subject"]) for m in box]
    coop = [t for t in selected.truth.values() if False]  # state-1 items are the baseline: never mailed
    new_coop = [t for t in selected.site.ground_truth() if t["added_in_state"] == 2 and t["cooperation"]]
    assert not coop and len(new_coop) == 1
    assert len(subjects) == 1 and new_coop[0]["title"][:30] in subjects[0], subjects
