"""Many small news sources on loopback for the scale bench: the WordPress replay (`UniSite("wp")`'s
templates and corpus) mounted once per source under `/uNNNN` on a few hosts (ports).

Each source has its own state (1, then 2 once "published"): publishing a source flips it to the corpus
of state 2, whose feed and listing carry the new articles. Every page answers conditional GET, like
the single-site replays; `validators = False` makes the hosts send none.
"""

from __future__ import annotations

import re
import threading
import time
from functools import cache
from urllib.parse import parse_qs

from tests.replay.content_wp import SITE as WP
from tests.replay.routes import Response, not_found
from tests.replay.server import _Server
from tests.replay.uni_routes import WP_ROBOTS, wp_route
from tests.replay.unis import Corpus, build_corpus

_MOUNT = re.compile(r"^/(u\d{4})(/.*)$")


@cache
def corpus(state: int, size: int = 0) -> Corpus:
    """The WordPress corpus in `state`, cut to state 1's `size` newest articles (0: all) plus state 2's new ones."""
    whole = build_corpus(WP, state)
    if not size:
        return whole
    kept = {a.path for a in build_corpus(WP, 1).articles[:size]}
    fresh = {a.path for a in whole.articles} - {a.path for a in build_corpus(WP, 1).articles}
    return Corpus(WP, whole.state, [a for a in whole.articles if a.path in kept | fresh])


class ManySites:
    """`n` sources named u0000... spread over `hosts` HTTP servers; a log of every request served."""

    def __init__(self, n: int, hosts: int = 4, size: int = 0) -> None:
        self.size = size
        self.names = [f"u{i:04d}" for i in range(n)]
        self.hosts = hosts
        self.states = {name: 1 for name in self.names}
        self.published: dict[str, float] = {}  # source -> time.time() it was switched to state 2
        self.validators = True
        self.request_log: list[tuple[str, str, str, int]] = []
        self._lock = threading.Lock()
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> ManySites:
        for h in range(self.hosts):
            server = _Server(0, self, str(h), router=route)
            thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=f"many-{h}", daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> ManySites:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def host_url(self, name: str) -> str:
        port = self._servers[int(name[1:]) % self.hosts].server_address[1]
        return f"http://127.0.0.1:{port}"

    def base_url(self, name: str) -> str:
        return f"{self.host_url(name)}/{name}"

    def publish(self, name: str) -> None:
        """The source's news section gains state 2's articles now."""
        self.states[name] = 2
        self.published[name] = time.time()

    def new_urls(self, name: str) -> list[str]:
        old = {a.path for a in corpus(1, self.size).articles}
        return [self.base_url(name) + a.path for a in corpus(2, self.size).articles if a.path not in old]

    def toml(self, extra: str = "") -> str:
        """One `[sources.NAME]` table per source (no politeness delay: it is loopback)."""
        return "".join(
            f'\n[sources.{name}]\nbase_url = "{self.base_url(name)}"\nlisting_urls = ["{self.base_url(name)}/news/"]\n'
            f'feed_url = "{self.base_url(name)}/feed/"\nlang = "en"\ndownload_delay = 0\nconcurrency = 2\n{extra}'
            for name in self.names)

    def log(self, label: str, method: str, path: str, status: int) -> None:
        with self._lock:
            self.request_log.append((label, method, path, status))

    def reset_log(self) -> None:
        with self._lock:
            self.request_log.clear()


def route(site: ManySites, label: str, path: str, raw_query: str) -> Response:
    if path == "/robots.txt":
        return Response(200, WP_ROBOTS.encode(), "text/plain; charset=utf-8", etag='"robots"')
    match = _MOUNT.match(path)
    if match is None or match.group(1) not in site.states:
        return not_found("en")
    name, rest = match.groups()
    return wp_route(corpus(site.states[name], site.size), site.base_url(name), rest, parse_qs(raw_query))
