"""Batching the daemon's crawls: the sources due at about the same moment share one crawl process.

Each source keeps its own scheduler job (schedule, jitter, overdue start, never twice at once); a job
hands its source to the `Batcher` and waits for that source's own result. The first job to arrive
waits `window` seconds for others, then runs everything gathered (up to `max_batch` sources, full
sweeps apart from incremental polls) as one `newsmon crawl --source A --source B ...`. Start-up is
paid once per batch; locks, crawl records and outcomes stay per source.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from monitor.crawl_subprocess import Crawler, CrawlResult

log = logging.getLogger(__name__)

WINDOW = 2.0  # seconds the first due source waits for others to join its batch
MAX_BATCH = 100  # sources per crawl process: memory grows with the spiders running at once


@dataclass
class Ticket:
    """One source waiting for its place in a batch, and then for its result."""

    source: str
    full: bool
    done: threading.Event = field(default_factory=threading.Event)
    result: CrawlResult | None = None


class Batcher:
    """Gathers due sources for `window` seconds and crawls them in one process per batch."""

    def __init__(self, crawler: Crawler, window: float = WINDOW, max_batch: int = MAX_BATCH) -> None:
        self.crawler = crawler
        self.window = window
        self.max_batch = max_batch
        self.lock = threading.Lock()
        self.waiting: list[Ticket] = []
        self.gathering = False

    def run(self, source: str, full: bool = False) -> CrawlResult:
        """Crawl `source` in the next batch; blocks until its own result is known."""
        ticket = Ticket(source, full)
        with self.lock:
            self.waiting.append(ticket)
            leader, self.gathering = not self.gathering, True
        if leader:
            time.sleep(self.window)
            with self.lock:
                gathered, self.waiting, self.gathering = self.waiting, [], False
            self._run(gathered)
        ticket.done.wait()
        assert ticket.result is not None
        return ticket.result

    def _run(self, tickets: list[Ticket]) -> None:
        for full in (False, True):
            group = [t for t in tickets if t.full == full]
            for start in range(0, len(group), self.max_batch):
                self._run_batch(group[start:start + self.max_batch], full)

    def _run_batch(self, tickets: list[Ticket], full: bool) -> None:
        names = [t.source for t in tickets]
        if len(names) > 1:
            log.info("batch of %d sources in one crawl process: %s", len(names), ", ".join(names))
        try:
            results = self.crawler.run_batch(names, full)
        except Exception as exc:  # noqa: BLE001 - every waiting job must get an answer
            log.exception("batch crawl failed")
            results = [CrawlResult(name, full, "error", None, 0.0, None, repr(exc)) for name in names]
        for ticket, result in zip(tickets, results, strict=True):
            ticket.result = result
            ticket.done.set()
