"""`newsmon extract`: saved files (any encoding), URLs on a loopback HTTP server, errors as one line + exit 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from spiders import __version__
from spiders.parsing.detect import KEYS

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
CAPTURE = Path("/work/shared/reference/seed-article-print-page.txt")
if not CAPTURE.exists():
    CAPTURE = FIXTURES / "seed-article-print-page.txt"
ARTICLE_PATH = "/media/news/partnership/politekh-i-rosneft/"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["extract", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str) -> dict:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_capture_gives_exactly_its_title_date_and_paragraphs() -> None:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", CAPTURE.read_text(encoding="utf-8")) if b.strip()]
    result = as_json(str(CAPTURE))
    assert result["kind"] == "text"
    assert result["title"] == "SPbPU implements scientific and educational cooperation in China" == blocks[0]
    assert result["published"] == "2023-11-30"
    assert result["body"].split("\n\n") == blocks[1:-3]
    assert result["lang"] == "en"
    assert result["problems"] == []


def test_json_keys_are_stable() -> None:
    for name in ("article_en.html", "listing_ru.html", "spbpu-ru-rss-2024-09-27.xml", "print_ru.html"):
        assert list(as_json(str(FIXTURES / name)))[: len(KEYS)] == list(KEYS)


@pytest.mark.parametrize(("name", "url", "kind", "lang", "extra"), [
    ("article_en.html", "https://english.spbstu.ru/media/news/international_activities/a/#top", "article", "en",
     {"url": "https://english.spbstu.ru/media/news/international_activities/a/", "source": "spbpu-en",
      "section": "international_activities", "published": "2023-06-01"}),
    ("article_ru.html", None, "article", "ru", {"url": None, "source": None, "section": "partnership"}),
    ("print_ru.html", "https://www.spbstu.ru" + ARTICLE_PATH + "?print=Y", "print", "ru",
     {"url": "https://www.spbstu.ru" + ARTICLE_PATH, "published": "2024-07-17"}),
    ("listing_en.html", "https://english.spbstu.ru/media/news/", "listing", "en",
     {"next_url": "https://english.spbstu.ru/media/news/?PAGEN_1=3"}),
    ("spbpu-ru-rss-2024-09-27.xml", None, "rss", "ru", {}),
    ("print_en.html", None, "print", "en", {"published": "2023-11-30", "problems": []}),
])
def test_page_kinds(name: str, url: str | None, kind: str, lang: str, extra: dict) -> None:
    result = as_json(str(FIXTURES / name), *(["--url", url] if url else []))
    assert (result["kind"], result["lang"]) == (kind, lang)
    for key, value in extra.items():
        assert result[key] == value, key
    if kind == "rss":
        assert len(result["entries"]) == 20
    if kind == "listing":
        assert [c["section"] for c in result["cards"]] == ["international_activities", "sport"]


def test_saved_url_makes_links_absolute() -> None:
    result = as_json(str(FIXTURES / "article_en.html"), "--url", "http://127.0.0.1:8001/media/news/education/b/")
    assert result["images"][0] == {"url": "http://127.0.0.1:8001/upload/iblock/abc/1.jpg",
                                   "caption": "Rector Andrei Rudskoi at the signing"}
    assert result["section"] == "education"


def test_text_format_is_readable() -> None:
    code, out, _ = run(str(FIXTURES / "article_en.html"))
    assert code == 0
    assert "title:        SPbPU and Tsinghua sign an agreement" in out
    assert "published:    2023-06-01" in out
    assert out.rstrip().endswith("A quote from the rector.")


def test_windows_1251_page_in_a_real_process(tmp_path: Path) -> None:
    html = (FIXTURES / "article_ru.html").read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    page = tmp_path / "cp1251.html"
    page.write_bytes(html.encode("windows-1251"))
    proc = subprocess.run([sys.executable, "-m", "monitor", "extract", str(page), "--format", "json"],
                          capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["title"] == "Политех и «Роснефть» подписали соглашение о сотрудничестве"
    assert result["body"].startswith("Санкт-Петербургский политехнический университет")
    assert result["published"] == "2024-07-17"


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["extract", "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout and "newsmon extract" in result.stdout


def test_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.html"))
    assert code == 2
    assert err.strip().count("\n") == 0 and err.startswith("Error: no such file")


class Handler(BaseHTTPRequestHandler):
    """Loopback site: the cp1251 article, a 404, a slow page; remembers the User-Agent it saw."""

    agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        Handler.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(3)
        if self.path.startswith(ARTICLE_PATH):
            body = (FIXTURES / "article_ru.html").read_text(encoding="utf-8").replace(
                '<meta charset="utf-8">', "").encode("windows-1251")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=windows-1251")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_error(404, "Not Found")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetches_a_url_with_its_charset_header_and_user_agent(server: str) -> None:
    Handler.agents.clear()
    result = as_json(server + ARTICLE_PATH)
    assert result["url"] == server + ARTICLE_PATH
    assert result["title"] == "Политех и «Роснефть» подписали соглашение о сотрудничестве"
    assert result["section"] == "partnership" and result["lang"] == "ru"
    assert Handler.agents == [f"newsmon/{__version__}"]


@pytest.mark.parametrize(("path", "message"), [("/missing/", "HTTP 404"), ("/slow", "timed out")])
def test_http_errors_are_one_line_and_exit_2(server: str, tmp_path: Path, path: str, message: str) -> None:
    config = tmp_path / "newsmon.toml"
    config.write_text("[crawl]\ntimeout = 0.5\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "extract", server + path])
    code, err = result.exit_code, result.stderr
    assert code == 2
    assert err.startswith("Error: cannot fetch") and message in err and err.strip().count("\n") == 0


def test_refused_connection_is_exit_2() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = run(f"http://127.0.0.1:{port}/x")
    assert code == 2 and "Error: cannot fetch" in err


def test_dev_zero_is_refused_at_the_crawls_size_limit() -> None:
    """Issue 15: /dev/zero was read without end; now at most the crawl's own page size limit is read."""
    proc = subprocess.run([sys.executable, "-m", "monitor", "extract", "/dev/zero"], capture_output=True, text=True,
                          timeout=60, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 2 and proc.stderr.startswith("Error: /dev/zero is larger than 10 MiB")
    assert proc.stderr.strip().count("\n") == 0


def test_size_limit_is_the_crawls() -> None:
    from monitor.commands.extract import MAX_BYTES
    from spiders.settings import DOWNLOAD_MAXSIZE

    assert MAX_BYTES == DOWNLOAD_MAXSIZE


@pytest.mark.parametrize("content", [bytes(range(256)) * 8, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
                                     b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200)])
def test_binary_file_is_not_a_text_page(tmp_path: Path, content: bytes) -> None:
    page = tmp_path / "page.bin"
    page.write_bytes(content)
    code, out, err = run(str(page))
    assert code == 2 and "not a text page" in err and out == ""


def test_utf16_page_is_text(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes("Новости сотрудничества\n\nСоглашение подписано.".encode("utf-16"))
    code, out, _ = run(str(page))
    assert code == 0 and "kind:" in out
