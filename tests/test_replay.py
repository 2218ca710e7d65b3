"""The replay site over real HTTP on loopback: pager, conditional GET, RSS quirks, states, faults, scale."""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from bs4 import BeautifulSoup

from storage.diff import normalise_text
from tests.replay import ReplaySite
from tests.replay.faults import FAULTS, OFFSITE

REFERENCE = Path(__file__).parent / "replay" / "reference"
REPO = Path(__file__).resolve().parent.parent
SEED_PATH = "/media/news/international_activities/spbpu-implements-scientific-and-educational-cooperation-in-china/"
EDITED_PATH = "/media/news/international_activities/delegatsiya-kharbinskogo-politekhnicheskogo-universiteta-posetila-spbpu/"
UNTOUCHED_PATH = "/media/news/politech-media/dinastiya-kolesnikovykh-pashkevichey/"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None,
          timeout: float = 10) -> tuple[int, http.client.HTTPMessage, bytes]:
    """(status, headers, body) without following redirects; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def soup_of(url: str) -> BeautifulSoup:
    status, _, body = fetch(url)
    assert status == 200, url
    return BeautifulSoup(body, "lxml")


def extract_article(soup: BeautifulSoup) -> dict:
    """A reference parser written from docs/site-model.md."""
    content = soup.select_one("#content_page")
    paragraphs = []
    for el in content.find_all(["p", "h2", "h3", "h4", "li", "blockquote"]):
        if el.name == "p" and el.find_parent("blockquote"):
            continue
        paragraphs.append(el.get_text())
    images = [{"url": a["href"], "caption": (a.parent.select_one(".caption") or a).get_text()}
              for a in content.select(".news-image > a")]
    return {"title": soup.h1.get_text() if soup.h1 else None, "body": normalise_text("\n\n".join(paragraphs)),
            "date": soup.select_one(".news-meta .news-date").get_text(),
            "section_name": soup.select_one(".news-meta .news-section").get_text(), "images": images}


def walk_listing(start: str) -> tuple[list[str], int]:
    """Follow the pager's own links from page 1; the card links in order and the number of pages."""
    seen, queue, cards = {start}, [start], []
    while queue:
        url = queue.pop(0)
        soup = soup_of(url)
        cards += [urljoin(url, a["href"]) for a in soup.select(".news-list .article-item h4.article-title a")]
        for a in soup.select(".bx-pagination a[href]"):
            target = urljoin(url, a["href"])
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return cards, len(seen)


@pytest.fixture(scope="module")
def site():
    """A read-only replay in state 1 (tests that change state start their own)."""
    with ReplaySite() as s:
        yield s


@pytest.fixture
def fresh():
    with ReplaySite() as s:
        yield s


@pytest.fixture(scope="module")
def truth(site):
    return site.ground_truth()


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("section", [None, "international_activities"])
def test_pager_reaches_every_article_exactly_once(site, truth, lang, section):
    base = site.ru_url if lang == "ru" else site.en_url
    path = f"/media/news/{section}/" if section else "/media/news/"
    cards, pages = walk_listing(base + path)
    expected = {r["url"] for r in truth if r["lang"] == lang and (section is None or r["section"] == section)}
    assert len(cards) == len(set(cards))
    assert set(cards) == expected
    assert pages >= 3


def test_corpus_size_sections_and_labels(truth):
    by_lang = Counter(r["lang"] for r in truth)
    assert by_lang["ru"] >= 60 and by_lang["en"] >= 20
    for lang in ("ru", "en"):
        rows = [r for r in truth if r["lang"] == lang]
        assert len({r["section"] for r in rows}) == 9
        assert {r["cooperation"] for r in rows} == {True, False}
    negatives = [r for r in truth if not r["cooperation"] and re.search(r"визит|сотрудничеств|visit|cooperation",
                                                                        r["body"])]
    assert len(negatives) >= 3


@pytest.mark.parametrize("lang,forms", [
    ("ru", ["сотрудничества", "сотрудничеству", "сотрудничество", "Китаем", "Китай"]),
    ("en", ["agreement", "agreements"]),
])
def test_word_forms_for_search(truth, lang, forms):
    text = "\n".join(r["title"] + "\n" + r["body"] for r in truth if r["lang"] == lang)
    for form in forms:
        assert re.search(rf"(?<!\w){form}(?!\w)", text), form


def test_body_markup_variety(site, truth):
    pages = [fetch(r["url"])[2].decode() for r in truth if r["lang"] == "ru"]
    content = [p[p.index('id="content_page"'):p.index('class="print-link-wrap"')] for p in pages]
    for marker in ("<ul><li>", "<h3>", "<blockquote>", "&nbsp;", "<a href=", 'class="caption"', "«", "—"):
        assert any(marker in c for c in content), marker


def test_ground_truth_matches_pages(site, truth):
    for row in truth:
        text = fetch(row["url"])[2].decode()
        fragment = text[text.index('<div class="news-detail">'):text.index('<footer')]
        page = extract_article(BeautifulSoup(fragment, "lxml"))
        assert page["title"] == row["title"]
        assert page["body"] == row["body"], row["path"]
        assert page["section_name"] == row["section_name"]
        assert [urljoin(row["url"], i["url"]) for i in page["images"]] == [i["url"] for i in row["images"]]
        assert [i["caption"] for i in page["images"]] == [i["caption"] for i in row["images"]]


def test_dates_on_cards_and_article_meta(site, truth):
    ru_card = re.compile(r"^(Понедельник|Вторник|Среда|Четверг|Пятница|Суббота|Воскресенье), \d{1,2} [А-Я][а-я]+ \d{4}$")
    en_card = re.compile(r"^[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}$")
    for base, pattern in ((site.ru_url, ru_card), (site.en_url, en_card)):
        dates = [d.get_text() for d in soup_of(base + "/media/news/").select(".article-item .article-date")]
        assert dates and all(pattern.match(d) for d in dates), dates
    ru = extract_article(soup_of(site.ru_url + UNTOUCHED_PATH))
    en = extract_article(soup_of(site.en_url + SEED_PATH))
    assert (ru["date"], en["date"]) == ("27 сентября 2024", "30 November 2023")
    assert "Пятница, 27 Сентября 2024" in [d.get_text() for d in soup_of(site.ru_url + "/media/news/").select(
        ".article-date")]


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
def test_conditional_get_answers_304(site, header):
    url = site.ru_url + UNTOUCHED_PATH
    status, headers, _ = fetch(url)
    value = headers["ETag"] if header == "If-None-Match" else headers["Last-Modified"]
    status, headers2, body = fetch(url, headers={header: value})
    assert (status, body, headers2["ETag"]) == (304, b"", headers["ETag"])
    assert fetch(url, headers={"If-None-Match": '"other"'})[0] == 200


def test_state_2_changes_only_the_edited_article(fresh):
    edited, untouched = fresh.ru_url + EDITED_PATH, fresh.ru_url + UNTOUCHED_PATH
    before = {url: fetch(url)[1] for url in (edited, untouched)}
    status, _, _ = fetch(fresh.en_url + "/__replay__/state?n=2", method="POST")
    assert status == 200 and fresh.state == 2
    status, headers, _ = fetch(edited, headers={"If-None-Match": before[edited]["ETag"]})
    assert status == 200 and headers["ETag"] != before[edited]["ETag"]
    assert fetch(edited, headers={"If-Modified-Since": before[edited]["Last-Modified"]})[0] == 200
    for header, key in (("If-None-Match", "ETag"), ("If-Modified-Since", "Last-Modified")):
        assert fetch(untouched, headers={header: before[untouched][key]})[0] == 304


def test_state_2_new_items_on_top_and_one_edit(fresh):
    old = {r["url"]: r for r in fresh.ground_truth()}
    fresh.set_state(2)
    new = fresh.ground_truth()
    added = [r for r in new if r["url"] not in old]
    assert all(r["added_in_state"] == 2 for r in added)
    volatile = ("published_at", "summary", "body")  # RSS membership moves; the body is the edit
    stable = [{k: v for k, v in r.items() if k not in volatile} for r in new if r["url"] in old]
    assert stable == [{k: v for k, v in old[r["url"]].items() if k not in volatile} for r in stable]
    edited = [r["url"] for r in new if r["url"] in old and r["body"] != old[r["url"]]["body"]]
    assert edited == [fresh.ru_url + EDITED_PATH]
    assert [r["url"] for r in new if r["edited_in_state_2"]] == edited
    for lang, base in (("ru", fresh.ru_url), ("en", fresh.en_url)):
        mine = [r for r in added if r["lang"] == lang]
        assert {r["cooperation"] for r in mine} == {True, False}
        urls = {r["url"] for r in mine}
        feed = ET.fromstring(fetch(base + "/media/news/rss/")[2])
        assert {i.findtext("link") for i in list(feed.iter("item"))[:len(urls)]} == urls
        cards = walk_listing(base + "/media/news/")[0]
        assert set(cards[:len(urls)]) == urls


def test_seed_print_page_equals_the_capture(site):
    article = soup_of(site.en_url + SEED_PATH)
    link = urljoin(site.en_url + SEED_PATH, article.select_one("a.print-link")["href"])
    text = soup_of(link).get_text()
    capture = (REFERENCE / "seed-article-print-page.txt").read_text(encoding="utf-8")
    assert " ".join(text.split()) == " ".join(capture.split())
    body = extract_article(article)["body"]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", capture) if p.strip()][1:-3]
    assert body == "\n\n".join(" ".join(p.split()) for p in paragraphs)


def test_ru_rss_reproduces_the_real_response(site):
    status, headers, body = fetch(site.ru_url + "/media/news/rss/")
    assert status == 200 and headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    real = (REFERENCE / "spbpu-ru-rss-2024-09-27.xml").read_text(encoding="utf-8")
    expected = real.replace("https://www.spbstu.ru", site.ru_url).replace("http://www.spbstu.ru", site.ru_url)
    assert body.decode("utf-8") == expected.rstrip("\n")
    items = list(ET.fromstring(body).iter("item"))
    real_items = list(ET.fromstring(real.encode()).iter("item"))
    assert len(items) == 20
    for mine, theirs in zip(items, real_items, strict=True):
        assert mine.findtext("title") == theirs.findtext("title")
        assert mine.findtext("pubDate") == theirs.findtext("pubDate")
        assert mine.findtext("category").endswith("/")
        assert mine.findtext("description").strip().endswith("...")
    assert any("&nbsp;" in i.findtext("description") for i in items)
    assert any(i.findtext("category").endswith(" /") for i in items)


def test_en_rss_has_the_same_format(site, truth):
    feed = ET.fromstring(fetch(site.en_url + "/media/news/rss/")[2])
    items = list(feed.iter("item"))
    assert len(items) == 20
    dates = [i.findtext("pubDate") for i in items]
    assert all(re.match(r"^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0300$", d) for d in dates)
    rows = {r["url"]: r for r in truth}
    for item in items:
        row = rows[item.findtext("link")]
        assert item.findtext("category").endswith("/") and row["published_at"]
        assert normalise_text(html.unescape(item.findtext("description").strip())) == row["summary"]
        assert item.find("enclosure").get("url").startswith(site.en_url + "/upload/iblock/")


@pytest.mark.parametrize("lang,path", [("ru", "/media/news/"), ("ru", UNTOUCHED_PATH), ("en", SEED_PATH),
                                       ("en", "/media/news/international_activities/?PAGEN_1=2")])
def test_page_weight_head_and_type(site, lang, path):
    url = (site.ru_url if lang == "ru" else site.en_url) + path
    status, headers, body = fetch(url)
    assert status == 200 and 100_000 <= len(body) <= 250_000
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    status, head_headers, head_body = fetch(url, method="HEAD")
    assert status == 200 and head_body == b""
    assert head_headers["Content-Length"] == headers["Content-Length"] and head_headers["ETag"] == headers["ETag"]


@pytest.mark.parametrize("path", ["/nope/", "/media/news/sport/no-such-article/", "/media/news/no_section/",
                                  "/media/news/?PAGEN_2=999", "/media/news/other/replay-fault-no-h1/"])
def test_unknown_paths_are_404(site, path):
    assert fetch(site.ru_url + path)[0] == 404


def test_view_counter_changes_but_etag_stays(site):
    answers = [fetch(site.ru_url + UNTOUCHED_PATH) for _ in range(2)]
    views = [BeautifulSoup(b, "lxml").select_one(".news-views").get_text() for _, _, b in answers]
    assert views[0] != views[1]
    assert answers[0][2] != answers[1][2]
    assert answers[0][1]["ETag"] == answers[1][1]["ETag"]


def test_chrome_holds_nothing_the_parsers_read(site, truth):
    article = soup_of(site.ru_url + UNTOUCHED_PATH)
    assert len(article.find_all("h1")) == 1 and len(article.select("#content_page")) == 1
    assert len(article.select(".news-date")) == 1 and not article.select(".news-list, .article-item")
    listing = soup_of(site.ru_url + "/media/news/")
    assert not listing.find_all("h1") and len(listing.select(".news-list")) == 1
    assert len(listing.select(".article-item")) == 10 and len(listing.select("a.next")) == 1
    assert not listing.select(".news-date, #content_page, a.print-link")


def test_absolute_links_point_at_the_replay(site):
    for url in (site.ru_url + UNTOUCHED_PATH, site.en_url + "/media/news/", site.ru_url + "/media/news/rss/"):
        text = fetch(url)[2].decode()
        links = re.findall(r"(?:href|src|url)=\"(https?://[^\"]+)\"|<link>(https?://[^<]+)<", text)
        absolute = [a or b for a, b in links]
        assert absolute and all(u.startswith((site.ru_url, site.en_url)) for u in absolute)


def test_robots_and_request_log(site):
    site.reset_log()
    parser = RobotFileParser()
    parser.parse(fetch(site.ru_url + "/robots.txt")[2].decode().splitlines())
    assert parser.can_fetch("newsmon", site.ru_url + UNTOUCHED_PATH)
    assert not parser.can_fetch("newsmon", site.ru_url + "/bitrix/admin/")
    fetch(site.en_url + "/media/news/", method="HEAD")
    assert site.request_log == [("ru", "GET", "/robots.txt", 200), ("en", "HEAD", "/media/news/", 200)]
    site.reset_log()
    assert site.request_log == []


def _expect_fault(site: ReplaySite, code: str, url: str) -> None:
    """Each fault URL answers as designed (see tests/replay/faults.py)."""
    if code in ("reset", "short-body"):
        with pytest.raises((http.client.IncompleteRead, ConnectionError, urllib.error.URLError)):
            fetch(url)
        return
    if code == "slow":
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            fetch(url, timeout=0.5)
        return
    if code == "huge":
        with urllib.request.urlopen(url, timeout=5) as response:
            assert int(response.headers["Content-Length"]) == 20 * 1024 * 1024
        return
    status, headers, body = fetch(url)
    first = {"500-once": 500, "500-always": 500, "503-once": 503, "404": 404, "redirect-offsite": 302,
             "redirect-loop": 302}.get(code, 200)
    assert status == first
    if code in ("500-once", "503-once"):
        assert fetch(url)[0] == 200
    if code == "500-always":
        assert fetch(url)[0] == 500
    if code == "redirect-offsite":
        assert headers["Location"] == OFFSITE
    if code == "redirect-loop":
        status2, headers2, _ = fetch(headers["Location"])
        assert status2 == 302 and headers2["Location"] == url
    ctype = headers.get("Content-Type", "")
    if code == "cp1251":
        assert ctype == "text/html; charset=windows-1251" and "Новость в кодировке" in body.decode("cp1251")
    if code == "wrong-charset":
        assert ctype == "text/html; charset=iso-8859-1" and b'<meta charset="utf-8">' in body
    if code == "no-charset":
        assert ctype == "text/html" and b'<meta charset="utf-8">' in body
    if code == "no-h1":
        assert b"<h1>" not in body
    if code == "empty-body":
        assert not BeautifulSoup(body, "lxml").select("#content_page p")
    if code.startswith("garbage-date"):
        assert "31 Брюмера 20ХХ" in body.decode()
    if code == "truncated-html":
        assert b"</html>" not in body and int(headers["Content-Length"]) == len(body)
    if code == "robots":
        parser = RobotFileParser()
        parser.parse(fetch(site.ru_url + "/robots.txt")[2].decode().splitlines())
        assert not parser.can_fetch("newsmon", url)


@pytest.fixture(scope="module")
def faulty():
    with ReplaySite(faults=True, slow_seconds=1.5) as s:
        yield s


@pytest.mark.parametrize("fault", FAULTS, ids=[f.code for f in FAULTS])
def test_fault_urls_answer_as_designed(faulty, fault):
    _expect_fault(faulty, fault.code, faulty.ru_url + fault.path)


def test_fault_items_only_on_ru_listing_page_1(faulty):
    truth = faulty.ground_truth()
    rows = [r for r in truth if r["fault"]]
    assert {r["fault"] for r in rows} == {f.code for f in FAULTS}
    assert {r["expect"] for r in rows} == {"stored", "stored_no_date", "dropped", "error", "skipped"}
    page1 = walk_listing(faulty.ru_url + "/media/news/")[0]
    assert {r["url"] for r in rows} <= set(page1)
    for url in (faulty.ru_url + "/media/news/other/", faulty.en_url + "/media/news/"):
        assert not [c for c in walk_listing(url)[0] if "replay-fault" in c]
    by_code = {r["fault"]: r for r in rows}
    soup = soup_of(faulty.ru_url + "/media/news/")
    nocard = soup.find("a", href=by_code["garbage-date-nocard"]["path"]).find_parent(class_="article-item")
    assert nocard.select(".article-date") == [] and by_code["garbage-date-nocard"]["published"] is None
    assert "ZÃ¼rich" in by_code["wrong-charset"]["body"] and "Zürich" in by_code["wrong-charset"]["alt_body"]


def test_truncated_and_malformed_truth_matches_a_parser(faulty):
    rows = {r["fault"]: r for r in faulty.ground_truth() if r["fault"]}
    for code in ("truncated-html", "malformed", "cp1251", "no-charset"):
        status, headers, body = fetch(faulty.ru_url + rows[code]["path"])
        charset = headers.get_content_charset() or "utf-8"
        page = extract_article(BeautifulSoup(body.decode(charset), "lxml"))
        assert page["body"] == rows[code]["body"], code


def test_scale_mode_is_fast_and_lazy():
    start = time.perf_counter()
    with ReplaySite(scale=5000) as big:
        assert time.perf_counter() - start < 10
        soup = soup_of(big.ru_url + "/media/news/")
        assert len(soup.select(".article-item")) == 10
        last = soup.select(".bx-pagination a[href]")[-2]["href"]
        assert "PAGEN_2=" in last
        assert len(list(ET.fromstring(fetch(big.ru_url + "/media/news/rss/")[2]).iter("item"))) == 20
        first = urljoin(big.ru_url, soup.select_one(".article-title a")["href"])
        assert 100_000 <= len(fetch(first)[2]) <= 250_000
        assert fetch(big.ru_url + "/media/news/?PAGEN_2=500")[0] == 200
        assert sum(1 for r in big.ground_truth() if r["lang"] == "ru") == 5000


def test_cli_serves_until_sigterm_and_prints_ground_truth():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.replay", "serve", "--ru-port", "0", "--en-port", "0",
                             "--state", "2"], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        ru, en = proc.stdout.readline().strip(), proc.stdout.readline().strip()
        assert urlsplit(ru).hostname == "127.0.0.1" and urlsplit(en).port
        assert fetch(ru + "/__replay__/state")[2] == b"state 2\n"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    out = subprocess.run([sys.executable, "-m", "tests.replay", "ground-truth", "--ru-url", "http://127.0.0.1:9"],
                         capture_output=True, text=True, env=env, cwd=REPO, check=True).stdout
    rows = json.loads(out)
    assert rows[0]["url"].startswith("http://127.0.0.1:9/media/news/") and len(rows) >= 80
