"""UniSite: one of the other universities' replays (`wp` or `drupal`) on 127.0.0.1, with its ground truth."""

from __future__ import annotations

import threading

from tests.replay.content_drupal import SITE as DRUPAL
from tests.replay.content_wp import SITE as WP
from tests.replay.server import STATES, _Server
from tests.replay.uni_routes import route
from tests.replay.unis import Corpus, SiteDesc, build_corpus

SITES: dict[str, SiteDesc] = {"wp": WP, "drupal": DRUPAL}
LISTING = {"wp": "/news/", "drupal": "/news"}
FEED = {"wp": "/feed/", "drupal": None}


class UniSite:
    """A replay university: `label` is "wp" or "drupal"; state 1 or 2 (3 serves 2: only SPbPU has a redesign)."""

    def __init__(self, label: str, port: int = 0, state: int = 1) -> None:
        if label not in SITES:
            raise ValueError(f"unknown replay site {label!r}: one of {', '.join(SITES)}")
        self.label, self.port, self.desc = label, port, SITES[label]
        self.state = 1
        self.set_state(state)
        self.request_log: list[tuple[str, str, str, int]] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> UniSite:
        self._server = _Server(self.port, self, self.label, router=route)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name=f"replay-{self.label}",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> UniSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The site's base URL, `http://127.0.0.1:PORT` (no trailing slash)."""
        port = self._server.server_address[1] if self._server is not None else self.port
        return f"http://127.0.0.1:{port}"

    @property
    def listing_url(self) -> str:
        return self.url + LISTING[self.label]

    @property
    def feed_url(self) -> str | None:
        path = FEED[self.label]
        return self.url + path if path else None

    @property
    def chrome_phrases(self) -> list[str]:
        """Texts of the site's chrome (share bar, related block, cookie notice, widgets, address) never in a body."""
        return list(self.desc.chrome_phrases)

    def set_state(self, n: int) -> None:
        if n not in STATES:
            raise ValueError("state must be 1, 2 or 3")
        self.state = n
        self.corpus()

    def corpus(self) -> Corpus:
        return build_corpus(self.desc, self.state)

    def ground_truth(self) -> list[dict]:
        from tests.replay.uni_truth import ground_truth
        return ground_truth(self.corpus(), self.url)

    def log(self, label: str, method: str, path: str, status: int) -> None:
        with self._lock:
            self.request_log.append((label, method, path, status))

    def reset_log(self) -> None:
        with self._lock:
            self.request_log.clear()
