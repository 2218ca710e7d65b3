"""Article pages parsed in worker processes (spiders.parsing.pool, `[crawl] parse_processes`): real worker
processes, a real crawl over loopback HTTP, and what happens when a worker dies or Ctrl-C reaches it."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from monitor.analysis import TopicRules, analyse, topics_digest
from monitor.config import from_dict
from monitor.errors import ConfigError
from monitor.topics import load_topics
from spiders.parsing import pool as pool_module
from spiders.parsing.article import parse_article
from spiders.parsing.pool import ParsePool
from spiders.sites.spbpu import PROFILE
from storage.db import connect
from storage.lemmas import index_texts
from tests.conftest import run_newsmon, write_config
from tests.monitor_fixtures import pool_workers, started_pool

FIXTURE = Path(__file__).parent / "fixtures" / "parsing" / "article_ru.html"
URL = "https://www.spbstu.ru/media/news/international_activities/some-article/"


def parse(pool: ParsePool, body: bytes, topics: TopicRules | None = None) -> Any:
    return asyncio.run(pool.parse(body, "utf-8", URL, PROFILE, topics))


def test_a_worker_reads_what_the_crawl_process_reads() -> None:
    body = FIXTURE.read_bytes()
    pool = started_pool(2)
    try:
        parsed = parse(pool, body)
        assert len(pool_workers(pool)) == 2 and os.getpid() not in pool_workers(pool)
    finally:
        pool.close()
    assert parsed.fields == parse_article(body.decode("utf-8"), URL, PROFILE)
    assert parsed.fields.title and parsed.fields.body and parsed.fields.published
    assert parsed.analysis is None  # no topics given: nothing analysed


def test_a_worker_analyses_what_the_crawl_process_would() -> None:
    """The index texts and topic matches a worker sends back are what the archive computes itself."""
    topics = load_topics(from_dict({"topics": {"labs": {"terms": ["лаборатория", "university"]}}}))
    topics["cooperation"].terms[0].keys  # noqa: B018  (a topic used here already: its cached keys travel along)
    pool = started_pool(1)
    try:
        analysis = parse(pool, FIXTURE.read_bytes(), TopicRules.of(topics)).analysis
    finally:
        pool.close()
    fields = parse_article(FIXTURE.read_text(encoding="utf-8"), URL, PROFILE)
    assert analysis == analyse(fields.title, fields.body, fields.section, fields.section_name,
                               TopicRules.of(topics))
    assert analysis.texts == index_texts(analysis.title, analysis.body) and analysis.texts[0]
    assert {m.topic for m in analysis.matches} == {"cooperation"}  # the fixture is an international visit
    assert analysis.topics == topics_digest(load_topics(from_dict({"topics": {"labs": {
        "terms": ["лаборатория", "university"]}}})))


def test_pages_go_to_the_workers_without_threads_in_the_crawl_process() -> None:
    """The event loop writes and reads the workers' pipes: no thread wakes up (or takes the GIL) per page."""
    pool = started_pool(1)
    pool._warming.join(timeout=10)  # the start's thread sets `ready` just before it ends
    before = set(threading.enumerate())
    try:
        assert all(parse(pool, FIXTURE.read_bytes()).fields.title for _ in range(3))
        added = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    finally:
        pool.close()
    assert added == []


def test_a_page_waits_for_workers_being_started() -> None:
    """A page that arrives while the workers start is sent to them, not read in the crawl's process."""
    pool = ParsePool(1)
    try:
        pool.warm()
        assert not pool.active  # still starting
        assert asyncio.run(pool.started()) and pool.active
        assert parse(pool, FIXTURE.read_bytes()).fields.title
    finally:
        pool.close()
    assert not asyncio.run(ParsePool(1).started())  # never warmed: read in the crawl's process, no wait


def test_workers_that_do_not_start_in_time_are_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that hangs while starting: the pages waiting for it are read in the crawl's process, and
    the worker is killed, so nothing waits for it at the end of the crawl either."""
    monkeypatch.setattr(pool_module, "START_TIMEOUT", 2.0)
    monkeypatch.setattr(pool_module, "_ping", functools.partial(time.sleep, 120))  # the worker hangs
    stopped: list[Any] = []
    stop = ParsePool._stop_workers

    def spy(self: ParsePool) -> None:
        stopped.extend(worker.process for worker in self.workers)
        stop(self)

    monkeypatch.setattr(ParsePool, "_stop_workers", spy)
    pool = ParsePool(1)
    pool.warm()
    assert not asyncio.run(pool.started()) and pool.broken
    closing = threading.Thread(target=pool.close)
    closing.start()
    closing.join(timeout=15)
    assert not closing.is_alive(), "closing the pool waited for a worker that never started"
    assert stopped
    deadline = time.monotonic() + 10  # SIGKILL is delivered, not awaited
    while any(_alive(p.pid) for p in stopped if p.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p.pid) for p in stopped if p.pid)


def test_when_a_worker_dies_the_other_workers_pages_do_not_wait_forever() -> None:
    """The pool breaks: a page another worker still holds fails too (and is read in the crawl's process)."""
    from concurrent.futures.process import BrokenProcessPool

    pool = started_pool(2)

    async def crawl() -> tuple[Any, Any]:
        dying, busy = pool.workers
        busy.attach(asyncio.get_running_loop())
        held = busy.call(time.sleep, 30)  # a page the healthy worker is still reading
        os.kill(dying.pid, signal.SIGKILL)
        dying.process.join(timeout=10)
        parsed = await pool.parse(FIXTURE.read_bytes(), "utf-8", URL, PROFILE)  # to the idle, dead worker
        with pytest.raises(BrokenProcessPool):
            await asyncio.wait_for(held, timeout=10)
        return parsed, pool.broken

    try:
        assert asyncio.run(crawl()) == (None, True)
    finally:
        pool.close()


def test_a_killed_worker_leaves_parsing_to_the_crawl_process(caplog: pytest.LogCaptureFixture) -> None:
    pool = started_pool(1)
    try:
        for pid in pool_workers(pool):
            os.kill(pid, signal.SIGKILL)
        with caplog.at_level(logging.WARNING, logger="spiders.parsing.pool"):
            assert parse(pool, FIXTURE.read_bytes()) is None  # the caller parses the page itself
        assert pool.broken and not pool.active
        assert "parsing in the crawl process" in caplog.text
    finally:
        pool.close()


def test_a_page_a_worker_cannot_return_leaves_the_others_in_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = started_pool(1)
    try:
        good = pool._value(PROFILE)
        monkeypatch.setattr(pool, "_value", lambda site: (10_000, b"not a pickle"))
        assert parse(pool, FIXTURE.read_bytes()) is None  # this page is parsed in the crawl's process
        monkeypatch.setattr(pool, "_value", lambda site: good)
        assert pool.active and parse(pool, FIXTURE.read_bytes()).fields.title
    finally:
        pool.close()


WATCHED = """
import sys, time
sys.path.insert(0, {repo!r})
from spiders.parsing import pool as pool_module
from spiders.parsing.pool import ParsePool

if __name__ == "__main__":  # the workers import the main module (multiprocessing's rule)
    pool = ParsePool(2)
    pool.warm()
    while not pool.active and not pool.broken:
        time.sleep(0.05)
    print(*[worker.pid for worker in pool.workers] if pool.active else ["broken"], flush=True)
    time.sleep(120)
"""


def test_workers_leave_when_the_crawl_process_is_killed(tmp_path: Path) -> None:
    """The OOM killer or a segfault takes the crawl alone: its workers must not stay behind."""
    script = tmp_path / "crawl.py"
    script.write_text(WATCHED.format(repo=str(Path(__file__).resolve().parent.parent)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        assert line != ["broken"], "the worker processes did not start"
        pids = [int(p) for p in line]
        assert len(pids) == 2 and all(_alive(pid) for pid in pids)
        proc.kill()  # SIGKILL to the crawl process only, not its group
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in pids)
    finally:
        proc.kill()
        proc.wait()


UNCLOSED = """
import sys, time
sys.path.insert(0, {repo!r})
from spiders.parsing.pool import ParsePool

if __name__ == "__main__":
    pool = ParsePool(1)
    pool.warm()
    while not pool.active and not pool.broken:
        time.sleep(0.05)
    print(*[worker.pid for worker in pool.workers] if pool.active else ["broken"], flush=True)
"""


def test_a_pool_nobody_closed_does_not_hold_up_the_exit(tmp_path: Path) -> None:
    """Workers ignore SIGTERM, and multiprocessing joins its children at exit: they must leave by then."""
    script = tmp_path / "crawl.py"
    script.write_text(UNCLOSED.format(repo=str(Path(__file__).resolve().parent.parent)), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    pids = proc.stdout.split()
    assert proc.returncode == 0 and pids and pids != ["broken"], proc.stderr[-2000:]
    assert not any(_alive(int(pid)) for pid in pids)


def test_workers_ignore_ctrl_c_and_stop_with_the_pool() -> None:
    pool = started_pool(1)
    try:
        pids = pool_workers(pool)
        for pid in pids:
            os.kill(pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole process group
        time.sleep(0.3)
        assert parse(pool, FIXTURE.read_bytes()).fields.title
    finally:
        pool.close()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for its parent)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # gone, or going while its stat is read
        return False


def test_parse_processes_is_checked() -> None:
    assert from_dict({}).data["crawl"]["parse_processes"] >= 0
    assert from_dict({"crawl": {"parse_processes": 0}}).data["crawl"]["parse_processes"] == 0
    for bad in (-1, "two", 1.5):
        with pytest.raises(ConfigError, match="parse_processes"):
            from_dict({"crawl": {"parse_processes": bad}})


TIMES = {"id", "first_seen", "last_seen", "updated"}
DICTIONARY = "Loading dictionaries from"  # pymorphy3's log line when a process loads the Russian dictionary


def _archive(db_path: Path) -> dict[str, dict]:
    """Every archived column of every article but its id and times, with its topics and search-index row."""
    db = connect(db_path, readonly=True)
    try:
        return {r["url"]: {**{k: v for k, v in r.items() if k not in TIMES},
                           "topics": sorted(tuple(t) for t in db.execute(
                               "SELECT topic, score, terms FROM article_topics WHERE article_id = ?", [r["id"]])),
                           "fts": tuple(db.execute("SELECT title, body, forms FROM articles_fts WHERE rowid = ?",
                                                   [r["id"]]).fetchone())}
                for r in db.query("SELECT * FROM articles")}
    finally:
        db.close()


def test_a_crawl_archives_the_same_with_and_without_workers(tmp_path: Path) -> None:
    from tests.replay import ReplaySite

    archives, logs = {}, {}
    with ReplaySite(scale=120) as site:
        for processes in (0, 1):
            base = tmp_path / f"p{processes}"
            base.mkdir()
            config = write_config(base / "newsmon.toml", site.ru_url, site.en_url, base / "data" / "n.db")
            config.write_text(config.read_text(encoding="utf-8").replace(
                "autothrottle = false", f"autothrottle = false\nparse_processes = {processes}"), encoding="utf-8")
            out = run_newsmon(config, "crawl", "--source", "spbpu-ru", "--full").stdout
            assert "120 new" in out and "0 errors" in out, out
            archives[processes] = _archive(base / "data" / "n.db")
            logs[processes] = (base / "data" / "logs" / "crawl.log").read_text(encoding="utf-8")
        site.set_state(2)  # two new articles: a poll too small to start the workers (README: [crawl])
        run_newsmon(config, "crawl", "--source", "spbpu-ru")
        polled = (base / "data" / "logs" / "crawl.log").read_text(encoding="utf-8")[len(logs[1]):]
        assert "new: " in polled and "worker process" not in polled
    assert len(archives[0]) == 120 and archives[1] == archives[0]  # index texts and topics included
    assert "worker process(es) from now on" in logs[1] and "worker process" not in logs[0]
    in_workers = re.search(r"'newsmon/parsed_in_workers': (\d+)", logs[1])
    assert in_workers and int(in_workers.group(1)) == 120, "a full crawl waits for its workers to start"
    assert "parsed_in_workers" not in logs[0]
    # The workers analysed every page: the crawl's own process never loaded a word-form dictionary.
    assert DICTIONARY in logs[0] and DICTIONARY not in logs[1]


@pytest.mark.parametrize(("sources", "processes", "warmed"), [
    ({"spbpu-ru": {}}, 1, True),  # the built-in profile has its own parsers
    ({"spbpu-ru": {}, "uni": {"base_url": "https://news.example.edu"}}, 1, True),
    ({"uni": {"base_url": "https://news.example.edu"}}, 1, False),  # read generically, in the crawl's process
    ({"spbpu-ru": {}}, 0, False),
])
def test_a_full_crawl_starts_the_workers_of_sources_with_parsers(monkeypatch: pytest.MonkeyPatch, sources: dict,
                                                            processes: int, warmed: bool) -> None:
    from monitor.crawl_inprocess import warm_parsers

    started: list[int] = []
    monkeypatch.setattr(pool_module, "_POOLS", {})
    monkeypatch.setattr(ParsePool, "warm", lambda self: started.append(self.processes))
    config = from_dict({"crawl": {"parse_processes": processes}, "sources": sources})
    warm_parsers(config, sorted(sources))
    assert started == ([processes] if warmed else [])
    assert (processes in pool_module._POOLS) == warmed  # the pool the spiders get (pool.shared)


def test_a_worker_is_sent_the_page_from_its_news_block_on(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[int, bool]] = []
    real = ParsePool.submit

    def spy(self: ParsePool, body: bytes, encoding: str, url: str | None, site: Any, topics: Any = None,
            block: bool = False) -> Any:
        sent.append((len(body), block))
        return real(self, body, encoding, url, site, topics, block)

    monkeypatch.setattr(ParsePool, "submit", spy)
    page = FIXTURE.read_bytes()
    chrome = page.replace(b"<body>", b"<body>" + b"<ul>" + b"<li><a href='/x'>menu</a></li>" * 2000 + b"</ul>", 1)
    assert len(chrome) > len(page) + 50_000
    pool = started_pool(1)
    try:
        parsed = parse(pool, chrome)
        # the block lacks the h1 (it is above it): the worker says so and is sent the whole page
        moved = chrome.replace(b"<h1", b"<h1 data-x='1'", 1)
        h1_start = moved.index(b"<h1")
        h1 = moved[h1_start:moved.index(b"</h1>") + 5]
        moved = moved.replace(h1, b"", 1).replace(b"<body>", b"<body>" + h1, 1)
        whole = parse(pool, moved)
    finally:
        pool.close()
    assert parsed.fields == parse_article(chrome.decode("utf-8"), URL, PROFILE) and parsed.fields.title
    assert sent[0][1] and sent[0][0] < len(page) and len(sent) == 3  # the cut page, then the second page twice
    assert sent[1][1] and not sent[2][1] and sent[2][0] == len(moved)
    assert whole.fields == parse_article(moved.decode("utf-8"), URL, PROFILE) and whole.fields.title


@pytest.mark.parametrize(("encoding", "cut"), [("utf-8", True), ("windows-1251", True), ("koi8-r", True),
                                               ("utf-16", False), ("shift_jis", False), ("no-such", False)])
def test_only_pages_in_an_ascii_keeping_encoding_are_cut(encoding: str, cut: bool) -> None:
    from spiders.parsing.article import block_bytes

    body = b"<html><body><nav>menu</nav><div class='news-detail'><h1>x</h1></div></body></html>"
    part = block_bytes(body, encoding, PROFILE)
    assert (part == body[body.index(b"<div"):]) if cut else part is None
