"""A webhook receiver on loopback for the Apprise json:// and form:// targets.

It records every request it answered 200 (the ones a sender may count as delivered), answers the next
requests with queued status codes (`replies`), can hold requests unanswered (`hold`) and can go down
and come back on the same port.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from tests.monitor_fixtures import free_port


class Receiver:
    """A recording HTTP server on 127.0.0.1 that can fail, hold and restart on demand."""

    def __init__(self) -> None:
        self.port = free_port()
        self.accepted: list[dict[str, Any]] = []  # payloads answered 200, with "path"
        self.replies: list[int] = []  # status codes for the next requests (then 200)
        self.hits = 0
        self.hold = threading.Event()  # set: requests wait, unanswered, until released
        self.holding = threading.Event()  # set once a request is being held
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def url(self, scheme: str = "json", path: str = "hook") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{path}"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if receiver.hold.is_set():
                    receiver.holding.set()
                    receiver.release.wait(30)
                    return  # never answered: the sender cannot know it arrived
                with receiver.lock:
                    receiver.hits += 1
                    status = receiver.replies.pop(0) if receiver.replies else 200
                    if status == 200:
                        receiver.accepted.append({"path": self.path, **receiver.parse(self.headers, raw)})
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @staticmethod
    def parse(headers: Any, raw: bytes) -> dict[str, Any]:
        if "json" in (headers.get("Content-Type") or ""):
            return json.loads(raw)
        return {key: values[0] for key, values in parse_qs(raw.decode("utf-8")).items()}

    def stop(self) -> None:
        if self.server is not None:
            self.release.set()
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def titles(self) -> list[str]:
        return sorted(p.get("title", "") for p in self.accepted)
