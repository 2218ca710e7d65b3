"""The replay's two HTTP hosts on 127.0.0.1 and the ReplaySite API that tests, demo and benchmarks use."""

from __future__ import annotations

import itertools
import threading
import time
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.replay import render
from tests.replay.corpus import Host, build_hosts
from tests.replay.routes import Response, route

CONTROL = "/__replay__/state"
STATES = (1, 2, 3)  # 3: state 2's content in the redesigned SPbPU article template


class _Server(ThreadingHTTPServer):
    """One replay host: `router(site, label, path, query)` answers every GET and HEAD."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, site, label: str, router=route) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.site, self.label, self.router = site, label, router


def _http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _not_modified(headers, response: Response) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since against Last-Modified."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or response.etag in tags
    ims = headers.get("If-Modified-Since")
    if ims and response.last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return response.last_modified.replace(microsecond=0) <= since
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the site keeps its own log
        pass

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        site, parts = self.server.site, urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if parts.path != CONTROL:
            return self._send(Response(405, b"method not allowed\n", "text/plain; charset=utf-8"), False)
        raw = parse_qs(parts.query).get("n", [""])[0]
        if raw not in {str(n) for n in STATES}:
            return self._send(Response(400, b"n must be 1, 2 or 3\n", "text/plain; charset=utf-8"), False)
        site.set_state(int(raw))
        self._send(Response(200, f"state {raw}\n".encode(), "text/plain; charset=utf-8"), False)

    def _serve(self, head: bool) -> None:
        site, parts = self.server.site, urlsplit(self.path)
        if parts.path == CONTROL:
            body = f"state {site.state}\n".encode()
            return self._send(Response(200, body, "text/plain; charset=utf-8"), head)
        try:
            response = self.server.router(site, self.server.label, parts.path, parts.query)
        except Exception as exc:  # a replay bug must show as a 500, not a hung client
            response = Response(500, f"replay error: {exc!r}\n".encode(), "text/plain; charset=utf-8")
        if response.delay:
            time.sleep(response.delay)
        if not getattr(site, "validators", True):  # a site that sends neither ETag nor Last-Modified
            response.etag = response.last_modified = None
        if response.status == 200 and response.etag and _not_modified(self.headers, response):
            response = Response(304, b"", response.ctype, etag=response.etag,
                                last_modified=response.last_modified)
        self._send(response, head)

    def send_head(self, response: Response, length: int) -> None:
        """Status line and headers (also used by the transport faults that cut the body)."""
        self.server.site.log(self.server.label, self.command, self.path, response.status)
        self.send_response(response.status)
        self.send_header("Content-Type", response.ctype)
        if response.status != 304:
            self.send_header("Content-Length", str(length))
        if response.etag:
            self.send_header("ETag", response.etag)
        if response.last_modified:
            self.send_header("Last-Modified", _http_date(response.last_modified))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, response: Response, head: bool) -> None:
        if response.action is not None and not head:  # HEAD of a transport fault: headers only
            response.action(self, response)
            return
        self.send_head(response, len(response.body))
        if not head and response.status != 304 and response.body:
            try:
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True


class ReplaySite:
    """Both hosts of the replay, their state (1, 2 or 3) and a log of every request served."""

    def __init__(self, ru_port: int = 0, en_port: int = 0, state: int = 1, faults: bool = False,
                 scale: int | None = None, slow_seconds: float = 5.0) -> None:
        self.ru_port, self.en_port = ru_port, en_port
        self.state, self.faults, self.scale, self.slow_seconds = state, faults, scale, slow_seconds
        self.request_log: list[tuple[str, str, str, int]] = []
        self.validators = True  # False: answer without ETag / Last-Modified (and so never 304)
        self._lock = threading.Lock()
        self._hosts: dict[int, dict[str, Host]] = {}
        self._views: dict[tuple[str, str], itertools.count] = {}
        self._fault_hits: dict[str, int] = {}
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []

    # lifecycle
    def start(self) -> ReplaySite:
        self.hosts()
        for label, port in (("ru", self.ru_port), ("en", self.en_port)):
            server = _Server(port, self, label)
            self._servers[label] = server
            thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=f"replay-{label}",
                                      daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> ReplaySite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # addresses
    def _url(self, label: str) -> str:
        port = self._servers[label].server_address[1] if label in self._servers else \
            (self.ru_port if label == "ru" else self.en_port)
        return f"http://127.0.0.1:{port}"

    @property
    def ru_url(self) -> str:
        return self._url("ru")

    @property
    def en_url(self) -> str:
        return self._url("en")

    def bases(self, label: str) -> render.Bases:
        own = self.ru_url if label == "ru" else self.en_url
        return render.Bases(own, self.ru_url, self.en_url)

    # state
    def hosts(self) -> dict[str, Host]:
        """Both hosts in the current state (built once per state)."""
        state = self.state
        with self._lock:
            if state not in self._hosts:
                self._hosts[state] = build_hosts(state, self.scale)
            return self._hosts[state]

    def set_state(self, n: int) -> None:
        if n not in STATES:
            raise ValueError("state must be 1, 2 or 3")
        self.state = n
        self.hosts()

    def ground_truth(self) -> list[dict]:
        from tests.replay.truth import ground_truth
        return ground_truth(self.hosts(), self.ru_url, self.en_url, self.faults)

    # per-request bookkeeping
    def log(self, label: str, method: str, path: str, status: int) -> None:
        with self._lock:
            self.request_log.append((label, method, path, status))

    def reset_log(self) -> None:
        with self._lock:
            self.request_log.clear()

    def next_view(self, label: str, path: str) -> int:
        """The view counter: a different number on every request of an article page."""
        with self._lock:
            counter = self._views.get((label, path))
            if counter is None:
                counter = self._views[(label, path)] = itertools.count(100 + zlib.crc32(path.encode()) % 900)
            return next(counter)

    def fault_hit(self, path: str) -> int:
        """How many times a fault URL was requested, this request included."""
        with self._lock:
            self._fault_hits[path] = self._fault_hits.get(path, 0) + 1
            return self._fault_hits[path]
