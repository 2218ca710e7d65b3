"""newsmon serve: Datasette over the archive, checked over HTTP and in a real headless Chromium."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.query_fixtures import QueryArchive, query_archive  # noqa: F401

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(query_archive: QueryArchive) -> Iterator[str]:  # noqa: F811
    """`newsmon serve` as a subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    log = query_archive.path.parent / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(query_archive.config), "serve",
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"newsmon serve did not start: {log.read_text()}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def rows(base: str, path: str, **params: str) -> list[dict]:
    query = urllib.parse.urlencode({**params, "_shape": "array"})
    return json.loads(get(f"{base}/newsmon/{path}.json?{query}"))


def test_binds_loopback_only(server: str) -> None:
    process = psutil.Process(server_pid(server))
    listening = [c for c in process.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    assert listening and all(c.laddr.ip == "127.0.0.1" for c in listening)


def server_pid(base: str) -> int:
    port = int(base.rsplit(":", 1)[1])
    for proc in psutil.process_iter():
        try:
            if any(c.laddr.port == port and c.status == psutil.CONN_LISTEN for c in proc.net_connections("inet")):
                return proc.pid
        except (psutil.AccessDenied, psutil.NoSuchProcess):
            continue
    raise AssertionError("no process listens on the port")


def test_metadata_titles_and_canned_queries(server: str) -> None:
    index = get(server + "/")
    assert "newsmon — university news archive" in index
    database = json.loads(get(server + "/newsmon.json"))
    titles = {q["name"]: q["title"] for q in database["queries"]}
    assert titles == {"search": "Search the archive (stemmed, Russian and English)",
                      "latest_cooperation_news": "Latest cooperation news",
                      "recently_changed_articles": "Recently changed articles"}
    assert "articles_fts" not in get(server + "/newsmon")  # hidden


@pytest.mark.parametrize("q,count", [("сотрудничеству", 3), ("Китаем", 1), ("agreements", 2), ('"double degree"', 1),
                                     ("", 0)])
def test_stemmed_search_canned_query(server: str, q: str, count: int) -> None:
    found = rows(server, "search", q=q)
    assert len(found) == count
    if q == "Китаем":
        assert found[0]["title"] == "Политех расширяет связи с Китаем"
        assert "\ue000Китаем\ue001" in found[0]["snippet"]


def test_search_page_marks_words_and_links_articles(server: str) -> None:
    html = get(server + "/newsmon/search?" + urllib.parse.urlencode({"q": "сотрудничеству"}))
    assert "<mark>сотрудничеству</mark>" in html and "<mark>Сотрудничество</mark>" in html
    assert '<a href="/newsmon/articles/1">Политех расширяет связи с Китаем</a>' in html


def test_latest_cooperation_and_recently_changed(server: str) -> None:
    coop = rows(server, "latest_cooperation_news")
    assert [r["published"] for r in coop] == ["2024-03-15", "2024-02-02", "2022-11-20"]
    changed = rows(server, "recently_changed_articles")
    assert len(changed) == 1 and changed[0]["version"] == 2
    assert "+Стороны договорились о совместных программах двойного диплома и летних школах." in changed[0]["diff"]


def test_facets_by_source_section_lang_and_topic(server: str) -> None:
    data = json.loads(get(server + "/newsmon/articles.json?_extra=facet_results&_size=0"))
    facets = data["facet_results"]
    assert set(facets) == {"source", "section", "lang", "topic"}
    counts = {name: {r["value"]: r["count"] for r in facet["results"]} for name, facet in facets.items()}
    assert counts["lang"] == {"ru": 4, "en": 4} and counts["topic"] == {"cooperation": 3}
    assert counts["section"]["international_activities"] == 2
    tagged = rows(server, "articles", _topic="cooperation")
    assert len(tagged) == 3


def test_table_search_box_is_stemmed(server: str) -> None:
    found = rows(server, "articles", _search="сотрудничеству")
    assert len(found) == 3
    assert rows(server, "articles", _search="agreements", lang="en")[0]["title"].startswith("Polytech signs")


def test_versions_are_browsable(server: str) -> None:
    versions = rows(server, "versions", article_id="1")
    assert [v["version"] for v in sorted(versions, key=lambda v: v["version"])] == [1, 2]
    assert "versions" in get(server + "/newsmon/articles/1")


def test_archive_is_opened_read_only(server: str) -> None:
    data = json.loads(get(server + "/newsmon.json?" + urllib.parse.urlencode(
        {"sql": "select count(*) as n from articles", "_shape": "array"})))
    assert data == [{"n": 8}]
    with pytest.raises(urllib.error.HTTPError):
        get(server + "/newsmon.json?" + urllib.parse.urlencode({"sql": "delete from articles"}))


@pytest.mark.browser
def test_browser_search_and_open(server: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser installs it)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run"):
        options.add_argument(arg)
    with tempfile.TemporaryDirectory(prefix="newsmon-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            driver.set_page_load_timeout(30)
            driver.get(server + "/newsmon/search")
            box = WebDriverWait(driver, 15).until(ec.presence_of_element_located((By.NAME, "q")))
            box.clear()
            box.send_keys("сотрудничеству")  # a word form none of the articles has verbatim in its title
            box.submit()
            link = WebDriverWait(driver, 15).until(
                ec.element_to_be_clickable((By.LINK_TEXT, "Политех расширяет связи с Китаем")))
            marks = [m.text for m in driver.find_elements(By.TAG_NAME, "mark")]
            assert "сотрудничества" in marks and "сотрудничеству" in marks
            link.click()
            WebDriverWait(driver, 15).until(ec.url_contains("/newsmon/articles/1"))
            page = driver.find_element(By.TAG_NAME, "body").text
            assert "Харбинским политехническим университетом" in page
            assert "international_activities" in page
        finally:
            driver.quit()


