"""Article pages parsed in worker processes, so the crawl's own process keeps to downloading and archiving.

Reading a page (lxml, BeautifulSoup, dates) is pure CPU work: about as much per page as Scrapy's own work
for it. In one process it all queues behind one core; here the profile's `parse_article` runs in a small
pool of processes while the crawl goes on fetching. Listing pages stay in the crawl's process: each one
leads to the next, and a listing queued behind article pages would hold up the walk.

Given the crawl's topics, a worker also analyses what it read (monitor.analysis: the search index's texts
and the topic matches), so the crawl's process neither loads the word-form dictionaries nor folds words;
the archive uses an analysis only if it fits the text it stores.

- Workers start from a fork server, never as a fork of the crawl itself (a fork would inherit the
  sources' lock files and open connections); the fork server stays small, each worker imports the parsers.
- The crawl's event loop writes pages into the workers' pipes and reads their answers (spiders.parsing.pipes),
  with no thread of its own; a page goes to the worker with the fewest pages waiting.
- Starting them costs a few tenths of a CPU-second, more than parsing a few pages: the pool starts, in a
  thread, when a full crawl's spider is made, or once a spider has asked for WARM_AFTER article pages (a
  first crawl, a backlog), never for an incremental poll with a few new items. A page that arrives while
  they start waits for them (at most START_TIMEOUT; the crawl goes on fetching meanwhile).
- Once up, workers ignore Ctrl-C and SIGTERM (the crawl stops them), leave when the crawl's process is
  gone however it ended, and send their log lines back with the fields, so the crawl logs them where its
  logs go.
- A pool that breaks (a worker killed) is not restarted: the crawl parses in its own process from then on;
  a page a worker could not send back is parsed in the crawl's process, the others go on in the workers.
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import threading
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, NamedTuple

from w3lib.encoding import html_to_unicode

from spiders.parsing.article import block_bytes
from spiders.parsing.pipes import WorkerProcess
from spiders.profile import SiteProfile

if TYPE_CHECKING:  # the crawl's process imports the parsers only when it parses a page itself
    from monitor.analysis import Analysis, TopicRules
    from spiders.parsing.article import ArticleFields

log = logging.getLogger(__name__)
_WHOLE_PAGE = "whole page"  # a worker's answer to a cut page whose block does not hold everything read
WARM_AFTER = 20  # article pages a spider asks for before the workers are started
START_TIMEOUT = 20  # seconds for a worker to come up before the crawl parses in its own process


class Parsed(NamedTuple):
    """A worker's reading of an article page: its fields and, when topic rules were given, their analysis."""

    fields: ArticleFields
    analysis: Analysis | None


class ParsePool:
    """A lazily started pool of worker processes for one crawl process; `parse` gives a page's fields (and
    analysis). The crawl's event loop talks to the workers through their pipes (spiders.parsing.pipes)."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.workers: list[WorkerProcess] = []
        self.broken = False
        self.ready = False  # the workers answered once: pages go to them from now on
        self._warming: threading.Thread | None = None
        self._started: Future[bool] = Future()  # resolved when a start ends, up or broken
        self._started.set_running_or_notify_cancel()  # a waiting page cancelled must not cancel it for all
        self._values: dict[int, tuple[Any, int, bytes]] = {}  # site profiles and topic rules sent to the workers
        self._keys = itertools.count(1)

    @property
    def active(self) -> bool:
        return self.ready and not self.broken

    def warm(self) -> None:
        """Start the workers in the background (once); `active` turns true when they answer."""
        if self.processes > 0 and self._warming is None:
            self._warming = threading.Thread(target=self._start, name="parse-pool-start", daemon=True)
            self._warming.start()

    async def started(self) -> bool:
        """True when pages go to the workers. A start under way is awaited (a few tenths of a second; the
        crawl goes on fetching meanwhile) rather than reading the page here: a page read in the crawl's
        process is analysed there too, and its first one loads the word-form dictionaries."""
        if self._warming is not None and not self._started.done():
            await asyncio.wrap_future(self._started)
        return self.active

    def _start(self) -> None:
        try:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([])  # a small fork server: each worker imports the parsers itself
            for _ in range(self.processes):
                self.workers.append(WorkerProcess(context, _worker_init))
            for worker in self.workers:
                worker.call_blocking(_ping)
            deadline = time.monotonic() + START_TIMEOUT
            for worker in self.workers:
                if not worker.answered(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError(f"a worker did not start in {START_TIMEOUT} s")
            self.ready = True
            log.info("article pages are parsed in %d worker process(es) from now on", self.processes)
        except Exception as exc:  # no fork server here (e.g. no /dev/shm), or a worker hung: parse here
            log.warning("no worker processes for article parsing (%s); parsing in the crawl process",
                        str(exc) or type(exc).__name__)
            self.broken = True
            self._stop_workers()
        finally:
            self._started.set_result(self.active)

    def _stop_workers(self) -> None:
        """A start that failed or hung: its workers are killed, so nothing waits for one that never answers."""
        for worker in self.workers:
            worker.kill()

    def _value(self, value: Any) -> tuple[int, bytes]:
        """A key for `value` and its pickle, made once: each worker is sent it once, and unpickles it once."""
        known = self._values.get(id(value))
        if known is None:  # the value itself is kept, so its id is never reused while it is known
            known = self._values[id(value)] = (value, next(self._keys), pickle.dumps(value))
        return known[1], known[2]

    def submit(self, body: bytes, encoding: str, url: str | None, site: SiteProfile,
               topics: TopicRules | None = None, block: bool = False) -> asyncio.Future:
        """Send one page to the least busy worker (on the running event loop)."""
        worker = min(self.workers, key=lambda one: len(one.pending))
        worker.attach(asyncio.get_running_loop())
        return worker.call(_parse, body, encoding, url, self._key(worker, site), self._key(worker, topics), block)

    def _key(self, worker: WorkerProcess, value: Any) -> int | None:
        """`value`'s key, the value sent to `worker` first if it has not had it (a pipe keeps the order)."""
        if value is None:
            return None
        key, blob = self._value(value)
        if key not in worker.known:
            worker.send(0, _remember, key, blob)
            worker.known.add(key)
        return key

    async def parse(self, body: bytes, encoding: str, url: str | None, site: SiteProfile,
                    topics: TopicRules | None = None) -> Parsed | None:
        """The article page's fields as the profile's parser reads them, from a worker, with their analysis
        (monitor.analysis) against `topics` when given; None when the pool cannot (the caller parses the
        page in its own process).

        A worker is sent the page from its news block on when the profile marks the block (~10 KB of a
        ~160 KB page: copying, sending and decoding the rest cost more than reading the block), and the
        whole page only when the block alone does not hold everything the parser reads."""
        part = block_bytes(body, encoding, site)
        if part is not None:
            parsed = await self._parse(part, encoding, url, site, topics, block=True)
            if parsed != _WHOLE_PAGE:
                return parsed
        return await self._parse(body, encoding, url, site, topics)

    async def _parse(self, body: bytes, encoding: str, url: str | None, site: SiteProfile,
                     topics: TopicRules | None, block: bool = False) -> Any:
        if not self.active:
            return None
        try:
            ok, answer = await self.submit(body, encoding, url, site, topics, block)
        except BrokenProcessPool as exc:  # a worker died (OOM killer, kill -9): every page it held comes here
            if not self.broken:
                log.warning("article parsing in worker processes stopped (%s); parsing in the crawl process",
                            type(exc).__name__)
            self.broken = True
            self.close()  # the other workers' pages fail too, and are read in the crawl's process
            return None
        except Exception as exc:  # noqa: BLE001 - this page only (e.g. a value that cannot be sent)
            log.warning("a worker could not be sent %s (%r); parsing it in the crawl process", url, exc)
            return None
        if not ok:  # this page only (it could not be read or sent back): the others go on
            log.warning("a worker could not parse %s (%s); parsing it in the crawl process", url, answer)
            return None
        parsed, records = answer
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        return parsed

    def close(self) -> None:
        """Stop the workers (at the end of the crawl process, or after the pool broke: the pages they still
        held fail with BrokenProcessPool, so their spiders parse them in-process; none is cancelled)."""
        if self._warming is not None and self._warming is not threading.current_thread():
            self._warming.join(timeout=30)
        workers, self.workers = self.workers, []
        self.ready = False
        for worker in workers:
            worker.close(wait=0 if self.broken else 5)


_POOLS: dict[int, ParsePool] = {}


def shared(processes: int) -> ParsePool:
    """The crawl process's pool of `processes` workers (every spider of a batch shares it); closed by
    `newsmon crawl` when its reactor stops, and at exit for any other way in (`scrapy crawl news`)."""
    pool = _POOLS.get(processes)
    if pool is None:
        if not _POOLS:
            atexit.register(close_all)
        pool = _POOLS[processes] = ParsePool(processes)
    return pool


def close_all() -> None:
    for pool in _POOLS.values():
        pool.close()
    _POOLS.clear()


# In the worker processes.
_WORKER_BLOBS: dict[int, bytes] = {}  # key -> a site profile or a crawl's topic rules, pickled
_WORKER_VALUES: dict[int, Any] = {}  # key -> the same, unpickled


class _Collect(logging.Handler):
    """Keeps a task's log lines to send back with its result."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


_COLLECT = _Collect()


def _ping() -> None:
    """A first task: the worker is up, has imported the parsers and loaded the word-form dictionaries."""
    from storage.lemmas import english, morph

    morph(), english()


def _worker_init() -> None:
    # Ctrl-C and the daemon's SIGTERM reach the whole group: the crawl stops its workers itself (and the
    # pages they hold are still parsed), and a worker leaves as soon as the crawl's process is gone,
    # however it ended (SIGKILL, the OOM killer), never orphaned holding the crawl's output open.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="crawl-watch", daemon=True).start()
    root = logging.getLogger()
    root.handlers[:] = [_COLLECT]
    root.setLevel(logging.INFO)
    import bs4  # noqa: F401  (the article parser imports it on first use)

    import spiders.parsing.article  # noqa: F401


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def _remember(key: int, blob: bytes) -> None:
    """A site profile or a crawl's topic rules, pickled, kept under `key` (unpickled on first use)."""
    _WORKER_BLOBS[key] = blob


def _parse(body: bytes, encoding: str, url: str | None, site: int, topics: int | None,
           block: bool = False) -> tuple[Parsed | str, list]:
    """A page's Parsed; with `block`, of the page cut at its news block (_WHOLE_PAGE when that is not enough)."""
    from spiders.parsing.article import parse_article, parse_block

    _COLLECT.records = []
    text = html_to_unicode(f"charset={encoding}", body)[1]  # what Scrapy's response.text gives
    fields = parse_block(text, url, _worker_value(site)) if block else parse_article(text, url, _worker_value(site))
    if fields is None:
        return _WHOLE_PAGE, _COLLECT.records
    analysis = None
    if topics is not None and fields.title and fields.body:
        from monitor.analysis import analyse

        analysis = analyse(fields.title, fields.body, fields.section, fields.section_name, _worker_value(topics))
    return Parsed(fields, analysis), _COLLECT.records


def _worker_value(key: int) -> Any:
    known = _WORKER_VALUES.get(key)
    if known is None:
        known = _WORKER_VALUES[key] = pickle.loads(_WORKER_BLOBS[key])
    return known
