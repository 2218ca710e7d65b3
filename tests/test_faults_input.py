"""Bad input: mutated replay pages through every parser and the validate pipeline, hostile config files
through `newsmon --config bad.toml crawl`, hostile queries through `newsmon search`, and scraped `<script>`
and CR/LF header injection through the email builder and the web UI.

Covered elsewhere and not repeated: random text/bytes and mutated fixture pages through the parsers
(test_parsing_hostile.py), config key errors through config.load (test_config.py), query-language errors
(test_search.py), header_safe (test_mailer.py).
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import time
import urllib.request
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.exceptions import DropItem

from monitor import mailer
from spiders.items import Article
from spiders.parsing.article import parse_article
from spiders.parsing.listing import parse_listing
from spiders.parsing.printpage import parse_print
from spiders.parsing.rss import parse_rss
from spiders.pipelines import ValidatePipeline
from spiders.sites.spbpu import PROFILE as SPBPU  # these pages are SPbPU's: read them with its profile
from tests.conftest import REPO, run_newsmon
from tests.monitor_fixtures import archive_items, article, free_port, make_config, subscription

parse_article = functools.partial(parse_article, site=SPBPU)
parse_listing = functools.partial(parse_listing, site=SPBPU)
parse_print = functools.partial(parse_print, site=SPBPU)
parse_rss = functools.partial(parse_rss, site=SPBPU)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BREAKERS = st.sampled_from(["<p>", "</p>", "</div>", "<div id=\"content_page\">", "<h1>", "</h1>", "<script>",
                            "<!--", "]]>", "&#0;", "&#xD800;", "\x00", "\ufffd", "<meta charset=\"koi8-r\">",
                            "<span class=\"news-date\">31.02.2024</span>", "\r\n", "</html>", "<br/>" * 50])


@lru_cache(maxsize=1)
def replay_pages() -> dict[str, tuple[str, bytes]]:
    """One page of each kind as the replay serves it: (url, bytes)."""
    from tests.replay.routes import route
    from tests.replay.server import ReplaySite

    site = ReplaySite()
    truth = site.ground_truth()
    ru = next(t for t in truth if t["lang"] == "ru")
    en = next(t for t in truth if t["lang"] == "en")
    base = "http://127.0.0.1:0"
    return {
        "article_ru": (ru["url"], route(site, "ru", ru["path"], "").body),
        "article_en": (en["url"], route(site, "en", en["path"], "").body),
        "print_ru": (ru["url"], route(site, "ru", ru["path"], "print=Y").body),
        "listing_ru": (base + "/media/news/", route(site, "ru", "/media/news/", "").body),
        "rss_ru": (base + "/media/news/rss/", route(site, "ru", "/media/news/rss/", "").body),
    }


def valid_or_counted_drop(url: str, content: bytes | str) -> str:
    """Run the page through the article parser and the validate pipeline: 'valid' or the drop reason."""
    fields = parse_article(content, url)
    item = Article(url=url, source="spbpu-ru", lang="ru", section=fields.section, section_name=fields.section_name,
                   title=fields.title, body=fields.body, published=fields.published, images=fields.images)
    try:
        ValidatePipeline(None).process_item(item)
    except DropItem as exc:
        assert re.match(r"(no title|empty body): ", str(exc)), exc
        return str(exc)
    assert item.title.strip() and item.body.strip()
    assert fields.published is None or re.match(r"^\d{4}-\d{2}-\d{2}", fields.published)
    return "valid"


def test_unmutated_replay_article_is_valid() -> None:
    for name in ("article_ru", "article_en"):
        url, page = replay_pages()[name]
        assert valid_or_counted_drop(url, page) == "valid"


@SETTINGS
@given(name=st.sampled_from(["article_ru", "article_en", "print_ru", "listing_ru", "rss_ru"]), data=st.data())
def test_mutated_replay_pages_through_every_parser(name: str, data: st.DataObject) -> None:
    url, page = replay_pages()[name]
    text = page.decode("utf-8")
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "cut", "truncate"]))
        if action == "insert":
            text = text[:at] + data.draw(BREAKERS) + text[at:]
        elif action == "cut":
            text = text[:at] + text[at + data.draw(st.integers(1, 2000)):]
        else:
            text = text[:at]
    content = text.encode("utf-8", "surrogatepass") if data.draw(st.booleans()) else text
    valid_or_counted_drop(url, content)
    assert isinstance(parse_print(content, url).problems, list)
    assert isinstance(parse_listing(content, url).cards, list)
    assert isinstance(parse_rss(content, url), list)


@SETTINGS
@given(html=st.recursive(st.text(max_size=40), lambda inner: st.tuples(
    st.sampled_from(["p", "div", "h1", "span", "li", "table", "script", "b"]), st.lists(inner, max_size=4)).map(
    lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"), max_leaves=30))
def test_generated_html_is_valid_or_a_counted_drop(html: str) -> None:
    page = f'<html><body><div id="content_page">{html}</div></body></html>'
    valid_or_counted_drop("https://www.spbstu.ru/media/news/other/x/", page)


# --- config files -------------------------------------------------------------------------------------------
CONFIGS = [
    ("storage = 5\n", "[storage]"),
    ("[[sources]]\nbase_url = 'http://x'\n", "sources"),
    ("[crawl]\ntimeout = 'fast'\n", "timeout"),
    ("[crawl]\nretries = 2.5\n", "retries"),
    ("[crawl]\nobey_robots = 'no'\n", "obey_robots"),
    ("[sources.spbpu-ru]\nbase_url = 'http://127.0.0.1:1/; rm -rf /'\n", "base_url"),
    ("[sources.spbpu-ru]\nbase_url = \"javascript:alert(1)\"\n", "base_url"),
    ("[sources.spbpu-ru]\ndownload_delay = -1\n", "download_delay"),
    ("[sources.spbpu-ru]\nconcurrency = 0\n", "concurrency"),
    ("[scheduler]\nlock = 'maybe'\n", "lock"),
    ("[alerts]\nbackoff = '-5s'\n", "backoff"),
    ("[[subscriptions]]\nrecipients = 'intl@example.org'\n", "recipients"),
    ("[[subscriptions]]\nrecipients = [1, 2]\n", "recipients"),
    ("subscriptions = 5\n", "subscriptions"),
    ("[topics.x]\nthreshold = 'high'\n", "threshold"),
    ("[storage]\npath = 'a'\npath = 'b'\n", "not valid TOML"),
    ("[crawl]\n" + "x" * 100_000 + " = 1\n", "[crawl]"),
]
DEAD = "\n[sources.spbpu-en]\nbase_url = 'http://127.0.0.1:9'\n"  # if the loader lets it through, fail fast
GAPS = {  # values that cannot work; the loader once accepted them
    "[crawl]\ntimeout = -1\n[sources.spbpu-ru]\nbase_url = 'http://127.0.0.1:9'\n" + DEAD:
        "a negative [crawl] timeout is accepted",
    "[crawl]\nretries = -3\n[sources.spbpu-ru]\nbase_url = 'http://127.0.0.1:9'\n" + DEAD:
        "a negative [crawl] retries is accepted",
    "[crawl]\ntimeout = nan\n[sources.spbpu-ru]\nbase_url = 'http://127.0.0.1:9'\n" + DEAD:
        "[crawl] timeout = nan is accepted",
    "[alerts]\nmax_attempts = 0\n[sources.spbpu-ru]\nbase_url = 'http://127.0.0.1:9'\n" + DEAD:
        "[alerts] max_attempts = 0 is accepted",
    "a = " + "[" * 500 + "]" * 500 + "\n":
        "deeply nested TOML makes tomllib raise RecursionError, which config.load does not catch (traceback)",
    "[sources.spbpu-ru]\ncron = 'every day'\nbase_url = 'http://127.0.0.1:9'\n" + DEAD:
        "[sources.*] cron is only checked when the daemon builds its trigger, not when the config loads",
}


def _config_cases() -> list:
    cases = [pytest.param(text, key, id=key + str(i)) for i, (text, key) in enumerate(CONFIGS)]
    for text in GAPS:
        key = re.search(r"(\w+) = ", text).group(1)
        cases.append(pytest.param(text, key, id=key + "-gap"))
    return cases


@pytest.mark.parametrize("text,key", _config_cases())
def test_hostile_config_names_the_key_and_exits_2(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    proc = run_newsmon(path, "crawl", check=False, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and key in proc.stderr and str(path) in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 3


def test_config_that_is_not_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(b"[storage]\npath = '\xff\xfe\x00'\n")
    proc = run_newsmon(path, "crawl", check=False, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "UTF-8" in proc.stderr


# --- search queries -----------------------------------------------------------------------------------------
HOSTILE_QUERIES = ["'; DROP TABLE articles; --", '"unbalanced', "((((((", "NOT", "AND OR NOT", "*", "title:x",
                   "NEAR(a b)", "\x00", "a" * 5000, "\\", "';SELECT * FROM outbox--", "{x}", "^$.*", "%_%"]


@pytest.fixture(scope="module")
def search_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("search")
    config = make_config(base)
    from tests.monitor_fixtures import COOP_RU

    archive_items(config, [article(1, *COOP_RU)], alerts=False)
    path = base / "newsmon.toml"
    path.write_text(f'[storage]\npath = "{config.db_path}"\nmaildir = "{config.maildir}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=[f"q{i}" for i in range(len(HOSTILE_QUERIES))])
def test_hostile_search_query_has_no_traceback_and_no_sql_error(search_config: Path, query: str) -> None:
    proc = run_newsmon(search_config, "search", query.replace("\x00", "x"), check=False, timeout=60)
    output = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1, 2), output
    assert "Traceback" not in output
    assert not re.search(r"sqlite3|OperationalError|fts5: syntax|SQL logic|no such column", output, re.I), output


def test_archive_intact_after_hostile_queries(search_config: Path) -> None:
    for query in HOSTILE_QUERIES[:2]:
        run_newsmon(search_config, "search", query, check=False, timeout=60)
    proc = run_newsmon(search_config, "search", "сотрудничество", timeout=60)
    assert "сотрудничеств" in proc.stdout.lower()


# --- scraped script and header injection ---------------------------------------------------------------------
EVIL_TITLE = 'Соглашение о сотрудничестве <script>alert("t")</script>\r\nBcc: victim@example.org\r\nX-Evil: 1'
EVIL_BODY = 'Политех подписал соглашение о сотрудничестве.\n\n<script>alert("b")</script><img src=x onerror=alert(1)>'


def test_scraped_script_and_crlf_never_reach_email_headers_or_html(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    item = {"title": EVIL_TITLE, "url": "https://www.spbstu.ru/media/news/other/x/", "published": "2024-09-27",
            "section_name": "Другое", "lang": "ru", "event": "new", "topics": {"cooperation": ["соглашение"]},
            "paragraphs": EVIL_BODY.split("\n\n"), "diff": "", "source": "spbpu-ru", "section": "other"}
    msg = mailer.alert_message(config, recipient="intl@example.org", subscription="intl", items=[item],
                               label="cooperation", message_id="<x@newsmon>")
    raw = msg.as_bytes()
    headers = raw.split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in headers and b"\nX-Evil:" not in headers
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in html


def test_scraped_script_is_escaped_in_the_web_ui(tmp_path: Path) -> None:
    config = make_config(tmp_path, subscriptions=[subscription()])
    archive_items(config, [article(9, EVIL_TITLE, EVIL_BODY)])
    path = tmp_path / "newsmon.toml"
    path.write_text(f'[storage]\npath = "{config.db_path}"\nmaildir = "{config.maildir}"\n', encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(path), "serve", "--port", str(port)],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={"PYTHONPATH": str(REPO), **__import__("os").environ})
    try:
        pages = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not pages:
            try:
                db_name = config.db_path.stem
                for page in (f"/{db_name}/articles", f"/{db_name}/articles/1"):
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=5) as response:
                        pages.append(response.read().decode("utf-8"))
            except OSError:
                pages = []
                time.sleep(0.3)
        assert pages, "newsmon serve did not answer"
        for html in pages:
            assert "сотрудничестве" in html
            assert '<script>alert("t")' not in html and '<script>alert("b")' not in html
            assert "<img src=x onerror" not in html
    finally:
        proc.terminate()
        proc.wait(timeout=30)
