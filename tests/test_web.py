"""newsmon serve: Datasette over the archive, checked over HTTP and in a real headless Chromium."""

from __future__ import annotations

import json
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psutil
import pytest

from monitor import outbox
from storage.db import connect
from tests.monitor_fixtures import serving
from tests.query_fixtures import QueryArchive, make_query_archive

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


SUBSCRIBER = "reader.private@example.org"


@pytest.fixture(scope="module")
def query_archive(tmp_path_factory: pytest.TempPathFactory) -> QueryArchive:
    """The sample archive with an alert queued for a subscriber, whose address must never be served."""
    archive = make_query_archive(tmp_path_factory.mktemp("web"))
    db = connect(archive.path)
    with db.atomic():
        outbox.enqueue(db, subscription="coop", recipient=SUBSCRIBER, article_id=archive.ids["china_ru"], version=1)
    db.conn.close()
    return archive


@pytest.fixture(scope="module")
def server(query_archive: QueryArchive) -> Iterator[str]:
    """The web UI over the sample archive."""
    with serving(query_archive.config) as base:
        yield base


def get(url: str, headers: dict[str, str] | None = None) -> str:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode("utf-8")


def status_and_body(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


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
    index = get(server + "/newsmon")
    assert "News archive" in index and "subscribers" in index
    database = json.loads(get(server + "/newsmon.json"))
    titles = {q["name"]: q["title"] for q in database["queries"]}
    assert titles == {"search": "Search the archive (word forms, Russian and English)",
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
    assert '<a href="/article/1">Политех расширяет связи с Китаем</a>' in html


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


@pytest.mark.parametrize("path", [
    "/newsmon.json?sql=" + urllib.parse.quote("select * from outbox"),
    "/newsmon.json?sql=" + urllib.parse.quote("select recipient from outbox"),
    "/newsmon.json?sql=" + urllib.parse.quote("select group_concat(recipient) from outbox where 1"),
    "/newsmon.json?sql=" + urllib.parse.quote("select * from articles a join outbox o on o.article_id = a.id"),
    "/newsmon/outbox.json?_shape=array", "/newsmon/outbox", "/newsmon.db", "/status", "/-/databases.json",
    "/-/databases", "/newsmon.json",
])
def test_subscribers_and_paths_are_not_served(server: str, query_archive: QueryArchive, path: str) -> None:
    _, body = status_and_body(server + path)
    assert SUBSCRIBER not in body
    assert str(query_archive.path.parent) not in body.replace("\\/", "/")


def test_outbox_is_refused_not_empty(server: str) -> None:
    code, body = status_and_body(server + "/newsmon.json?sql=" + urllib.parse.quote("select * from outbox"))
    assert code >= 400 and "prohibited" in body
    assert status_and_body(server + "/newsmon.db")[0] in (403, 404)


def test_front_page_lists_newest_first_with_badges(server: str) -> None:
    html = get(server + "/")
    titles = ["Студенты выиграли регату", "Политех расширяет связи с Китаем",
              "Polytech signs an agreement with a Chinese university"]
    positions = [html.index(t) for t in titles]
    assert positions == sorted(positions)
    assert '<li class="badge">cooperation</li>' in html
    assert '<option value="spbpu-en">' in html and '<option value="cooperation">' in html


def test_front_page_search_marks_word_forms(server: str) -> None:
    html = get(server + "/?" + urllib.parse.urlencode({"q": "сотрудничеству"}))
    assert html.count('class="card"') == 3
    assert "<mark>сотрудничества</mark>" in html


@pytest.mark.parametrize("params,count", [({"topic": "cooperation"}, 3), ({"lang": "en"}, 4),
                                          ({"source": "spbpu-ru", "since": "2024"}, 2),
                                          ({"section": "international_activities"}, 2),
                                          ({"q": "agreements", "lang": "en"}, 2)])
def test_front_page_filters(server: str, params: dict[str, str], count: int) -> None:
    assert get(server + "/?" + urllib.parse.urlencode(params)).count('class="card"') == count


@pytest.mark.parametrize("params,message", [({"source": "nowhere"}, "unknown source"),
                                            ({"since": "2024-13"}, "bad date"), ({"q": '"open'}, "unbalanced quote")])
def test_front_page_bad_input_is_one_line(server: str, params: dict[str, str], message: str) -> None:
    code, html = status_and_body(server + "/?" + urllib.parse.urlencode(params))
    assert code == 400 and message in html and "Traceback" not in html


def test_feed_of_the_current_view(server: str) -> None:
    import feedparser

    feed = feedparser.parse(get(server + "/feed.atom?topic=cooperation"))
    assert not feed.bozo and len(feed.entries) == 3
    assert '/feed.atom?topic=cooperation"' in get(server + "/?topic=cooperation")


def test_article_page_text_topics_and_inline_diff(server: str, query_archive: QueryArchive) -> None:
    html = get(server + f"/article/{query_archive.ids['china_ru']}")
    assert "<h1>Политех расширяет связи с Китаем</h1>" in html
    assert "<p>Стороны договорились о совместных программах двойного диплома и летних школах.</p>" in html
    assert "двойного <del>диплома.</del><ins>диплома и летних школах.</ins>" in html
    assert 'class="badge">cooperation' in html
    assert "Versions (2)" in html


def test_missing_article_is_404(server: str) -> None:
    code, html = status_and_body(server + "/article/9999")
    assert code == 404 and "no archived article" in html


def test_changed_page_shows_the_edit(server: str) -> None:
    html = get(server + "/changed")
    assert html.count('class="card"') == 1 and "<ins>" in html and "Политех расширяет связи с Китаем" in html


def test_status_page_says_what_newsmon_status_says(server: str) -> None:
    html = get(server + "/status")
    assert "spbpu-ru" in html and "4 new" in html and 'outcome-ok">ok' in html
    assert "1 pending" in html


def test_interface_language_from_browser_and_switch(server: str) -> None:
    assert "Свежие новости" in get(server + "/", {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert "Latest news" in get(server + "/", {"Accept-Language": "de,en;q=0.5"})
    with urllib.request.urlopen(server + "/?ui=ru", timeout=10) as response:
        assert "newsmon_ui=ru" in response.headers["set-cookie"]
        assert '<html lang="ru">' in response.read().decode()
    assert "Latest news" in get(server + "/", {"Cookie": "newsmon_ui=en", "Accept-Language": "ru"})


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
            WebDriverWait(driver, 15).until(ec.url_contains("/article/1"))
            page = driver.find_element(By.TAG_NAME, "body").text
            assert "Харбинским политехническим университетом" in page
            assert "international_activities" in page
        finally:
            driver.quit()




@pytest.mark.parametrize("path", ["/", "/?q=agreements", "/article/1", "/changed", "/status"])
def test_reader_pages_need_no_javascript(server: str, path: str) -> None:
    html = get(server + path)
    assert "<script" not in html and '<meta name="viewport"' in html


def test_status_times_are_all_in_the_servers_zone(query_archive: QueryArchive, monkeypatch: pytest.MonkeyPatch) -> None:
    """Last and next crawl are shown in one zone, the server's, and the page names it (stored times are UTC)."""
    from monitor import config as config_module
    from monitor.web.status import collect
    from storage import runs

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        data = collect(config_module.load(query_archive.config), query_archive.path)
        db = connect(query_archive.path, readonly=True)
        started = runs.last_run(db, "spbpu-ru")["started"]
        db.conn.close()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    row = next(s for s in data["sources"] if s["name"] == "spbpu-ru")
    tokyo = datetime.fromisoformat(started).astimezone(timezone(timedelta(hours=9)))
    assert row["started"] == tokyo.strftime("%Y-%m-%d %H:%M:%S") and data["zone"] == "JST"
    shown_next = row["next"].split(" (")[0]  # "YYYY-MM-DD HH:MM:SS (no daemon running)"
    assert datetime.strptime(shown_next, "%Y-%m-%d %H:%M:%S") > datetime.strptime(row["started"], "%Y-%m-%d %H:%M:%S")
