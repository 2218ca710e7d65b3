"""The other universities' replays (WordPress-like, Drupal-like) and SPbPU's redesign, over real HTTP on loopback."""

from __future__ import annotations

import difflib
import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from bs4 import BeautifulSoup

from monitor.topics import COOPERATION, Document, build_topic
from storage.diff import normalise_text
from tests.replay import ReplaySite, UniSite, unis
from tests.replay.uni_server import SITES
from tests.test_replay import extract_article, fetch

REPO = Path(__file__).resolve().parent.parent
LABELS = ["wp", "drupal"]
CARD = {"wp": "article h2.entry-title a", "drupal": ".view-news .views-field-title a"}
PAGER = {"wp": "nav.pagination .nav-links a.page-numbers", "drupal": "nav.pager a"}
RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря")


@pytest.fixture(scope="module", params=LABELS)
def site(request):
    """A read-only site in state 1 (tests that change state start their own)."""
    with UniSite(request.param) as s:
        yield s


@pytest.fixture(scope="module")
def truth(site):
    return site.ground_truth()


def soup_of(site: UniSite, url: str) -> BeautifulSoup:
    status, headers, body = fetch(url)
    assert status == 200, url
    return BeautifulSoup(decode(site, headers, body), "lxml")


def decode(site: UniSite, headers, body: bytes) -> str:
    """What a careful client does: the header's charset, else the page's own meta, else UTF-8."""
    charset = headers.get_content_charset()
    if charset is None:
        meta = re.search(rb'<meta[^>]+charset=([\w-]+)', body[:2048])
        charset = meta.group(1).decode() if meta else "utf-8"
    return body.decode(charset)


def paragraphs(root) -> str:
    """Body text the way the ground truth counts it: p, h2-h4, li and blockquote; figures already removed."""
    out = []
    for el in root.find_all(["p", "h2", "h3", "h4", "li", "blockquote"]):
        if el.name == "p" and el.find_parent("blockquote"):
            continue
        out.append(el.get_text())
    return normalise_text("\n\n".join(out))


def reference_article(label: str, soup: BeautifulSoup) -> dict:
    """A parser written from each CMS's markup, with hand-written selectors."""
    if label == "wp":
        content = soup.select_one(".entry-content")
        for junk in content.select(".sharedaddy, #jp-relatedposts, figure"):
            junk.decompose()
        stamp = soup.select_one("time.entry-date.published")
        return {"title": soup.select_one("h1.entry-title").get_text(), "body": paragraphs(content),
                "date": stamp["datetime"][:10], "date_text": stamp.get_text()}
    content = soup.select_one(".field--name-body")
    for junk in content.select("figure"):
        junk.decompose()
    day, month, year = soup.select_one(".node__meta .news-date").get_text().split(".")
    return {"title": soup.select_one("h1.page-title").get_text(), "body": paragraphs(content),
            "date": f"{year}-{month}-{day}", "date_text": f"{day}.{month}.{year}"}


def walk(site: UniSite) -> tuple[list[str], list[str]]:
    """Follow the pager's own links from the listing; (card links in order, canonical URLs of pages seen)."""
    seen, queue, cards, pages = {site.listing_url}, [site.listing_url], [], []
    while queue:
        url = queue.pop(0)
        soup = soup_of(site, url)
        canonical = urljoin(url, soup.select_one('link[rel="canonical"]')["href"])
        if canonical in pages:  # Drupal's ?page=0 is page 1 again
            continue
        pages.append(canonical)
        cards += [urljoin(url, a["href"]) for a in soup.select(CARD[site.label])]
        for a in soup.select(PAGER[site.label]):
            target = urljoin(url, a["href"])
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return cards, pages


def test_corpus_size_languages_and_cooperation_share(site, truth):
    assert 25 <= len(truth) <= 40
    assert {r["lang"] for r in truth} == {SITES[site.label].lang}
    share = sum(r["cooperation"] for r in truth) / len(truth)
    assert 0.33 <= share <= 0.5
    text = "\n".join(r["title"] + "\n" + r["body"] for r in truth)
    assert not re.search(r"Политех|СПбПУ|Петербург|Polytech|SPbPU|Petersburg|Rudskoi|Рудской", text)


def test_cooperation_labels_agree_with_the_topic(truth):
    topic = build_topic("cooperation", COOPERATION)
    for row in truth:
        match = topic.match(Document.of(row["title"], row["body"]))
        assert match.matched == row["cooperation"], (row["title"], match.score, match.terms)


def test_pager_reaches_every_article_exactly_once(site, truth):
    cards, pages = walk(site)
    assert len(cards) == len(set(cards))
    assert cards == [r["url"] for r in truth]  # newest first
    assert len(pages) >= 3


def test_wp_rel_next_chain_and_page_urls():
    with UniSite("wp") as site:
        url, chain = site.listing_url, []
        while url:
            chain.append(url)
            soup = soup_of(site, url)
            link = soup.select_one('link[rel="next"]')
            url = link["href"] if link else None
        assert chain[1:] == [f"{site.url}/news/page/{n}/" for n in range(2, len(chain) + 1)]
        assert soup.select_one("a.next.page-numbers") is None and soup.select_one('link[rel="prev"]')
        assert fetch(f"{site.url}/news/page/{len(chain) + 1}/")[0] == 404
        status, headers, _ = fetch(f"{site.url}/news/page/1/")
        assert (status, headers["Location"]) == (301, site.listing_url)


def test_drupal_pager_is_zero_based_and_clamped():
    with UniSite("drupal") as site:
        soup = soup_of(site, site.listing_url)
        nxt = soup.select_one("nav.pager li.pager__item--next a")
        assert nxt["href"] == "?page=1" and nxt["rel"] == ["next"]
        assert soup.select_one("nav.pager ul.pager__items li.is-active").get_text(strip=True).endswith("1")
        pages = len(walk(site)[1])
        last = soup_of(site, f"{site.listing_url}?page={pages - 1}")
        assert not last.select("li.pager__item--next")
        clamped = soup_of(site, f"{site.listing_url}?page=99")
        assert [a["href"] for a in clamped.select(CARD["drupal"])] == [a["href"] for a in last.select(CARD["drupal"])]


def test_ground_truth_matches_pages(site, truth):
    for row in truth:
        page = reference_article(site.label, soup_of(site, row["url"]))
        assert page["title"] == row["title"]
        assert page["body"] == row["body"], row["url"]
        assert page["date"] == row["published"]


def test_listing_cards_carry_the_date(site, truth):
    soup = soup_of(site, site.listing_url)
    rows = {r["url"]: r for r in truth}
    for card in soup.select(CARD[site.label]):
        row = rows[urljoin(site.url, card["href"])]
        when = datetime.fromisoformat(row["published_at"])
        if site.label == "wp":
            stamp = card.find_parent("article").select_one("time.entry-date")
            assert stamp["datetime"] == row["published_at"]
        else:
            text = card.find_parent(class_="views-row").select_one(".views-field-created").get_text()
            assert text == f"{when.day} {RU_MONTHS[when.month - 1]} {when.year} г."


def test_wp_structured_metadata():
    with UniSite("wp") as site:
        truth = site.ground_truth()
        for row in truth[:5]:
            soup = soup_of(site, row["url"])
            graph = json.loads(soup.select_one("script.yoast-schema-graph").string)["@graph"]
            article = next(n for n in graph if n["@type"] == "NewsArticle")
            assert article["headline"] == row["title"] and article["datePublished"] == row["published_at"]
            assert re.search(r"[+-]\d\d:\d\d$", article["dateModified"])
            assert soup.select_one('meta[property="article:published_time"]')["content"] == row["published_at"]
            assert soup.select_one('meta[property="og:title"]')["content"] == row["title"]
            content = soup.select_one(".entry-content")
            assert content.select("figure.wp-block-image figcaption") and content.select(".sharedaddy")
        assert {datetime.fromisoformat(r["published_at"]).utcoffset().seconds for r in truth} == {0, 3600}


def test_wp_feed_is_autodiscovered_rss2():
    with UniSite("wp") as site:
        truth = site.ground_truth()
        soup = soup_of(site, site.listing_url)
        link = soup.select_one('link[rel="alternate"][type="application/rss+xml"]')
        assert link["href"] == site.feed_url == site.url + "/feed/"
        status, headers, body = fetch(site.feed_url)
        assert status == 200 and headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
        ns = {"content": "http://purl.org/rss/1.0/modules/content/"}
        items = ET.fromstring(body).findall("./channel/item")
        assert [i.findtext("link") for i in items] == [r["url"] for r in truth[:10]]
        for item, row in zip(items, truth, strict=False):
            when = parsedate_to_datetime(item.findtext("pubDate"))
            assert when == datetime.fromisoformat(row["published_at"]) and item.findtext("pubDate").endswith("+0000")
            assert item.findtext("title") == row["title"] and item.find("content:encoded", ns).text


def test_drupal_has_no_feed_and_no_json_ld():
    with UniSite("drupal") as site:
        assert site.feed_url is None
        for url in (site.listing_url, site.ground_truth()[0]["url"]):
            soup = soup_of(site, url)
            assert not soup.select('link[type="application/rss+xml"], script[type="application/ld+json"]')
        for path in ("/rss.xml", "/feed", "/news/feed", "/news/"):
            assert fetch(site.url + path)[0] == 404


def test_drupal_charsets():
    with UniSite("drupal") as site:
        status, headers, body = fetch(site.listing_url)
        assert headers["Content-Type"] == "text/html; charset=windows-1251"
        assert "Последние новости" in body.decode("cp1251")
        row = site.ground_truth()[0]
        status, headers, body = fetch(row["url"])
        assert status == 200 and headers["Content-Type"] == "text/html"
        assert b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251" />' in body[:1500]
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        assert row["title"] in body.decode("cp1251")


def test_node_paths_and_aliases():
    with UniSite("drupal") as site:
        rows = site.ground_truth()
        assert {r["path"].split("/")[1] for r in rows} == {"news", "node"}
        aliased = next(r for r in rows if r["path"].startswith("/news/"))
        soup = soup_of(site, aliased["url"])
        node = soup.select_one('link[rel="shortlink"]')["href"]
        assert soup_of(site, site.url + node).select_one("h1").get_text() == aliased["title"]


def test_chrome_phrases_on_pages_never_in_bodies(site, truth):
    phrases = site.chrome_phrases
    assert len(phrases) >= 10
    listing = soup_of(site, site.listing_url).get_text(" ")
    for row in truth[:3] + truth[-2:]:
        text = soup_of(site, row["url"]).get_text(" ") + listing
        for phrase in phrases:
            assert phrase in text, phrase
    for row in truth:
        assert not [p for p in phrases if p in row["body"] or p in row["title"]]


def test_sidebar_recent_news_on_every_page(site, truth):
    newest = [r["url"] for r in truth[:5]]
    for url in (site.listing_url, truth[-1]["url"], truth[len(truth) // 2]["url"]):
        soup = soup_of(site, url)
        box = soup.select_one("#recent-posts-2" if site.label == "wp" else "#block-views-block-news-latest-block-1")
        assert [urljoin(url, a["href"]) for a in box.select("a") if "/news" != a["href"]] == newest


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
def test_conditional_get_head_and_weight(site, truth, header):
    for url in (site.listing_url, truth[4]["url"]):
        status, headers, body = fetch(url)
        assert status == 200 and 60_000 <= len(body) <= 200_000, (url, len(body))
        assert int(headers["Content-Length"]) == len(body)
        value = headers["ETag"] if header == "If-None-Match" else headers["Last-Modified"]
        status, headers2, body2 = fetch(url, headers={header: value})
        assert (status, body2, headers2["ETag"]) == (304, b"", headers["ETag"])
        assert fetch(url, headers={"If-None-Match": '"other"'})[0] == 200
        status, head_headers, head_body = fetch(url, method="HEAD")
        assert status == 200 and head_body == b"" and head_headers["ETag"] == headers["ETag"]


def test_robots_unknown_paths_and_log(site):
    parser = RobotFileParser()
    parser.parse(fetch(site.url + "/robots.txt")[2].decode().splitlines())
    private = "/wp-admin/" if site.label == "wp" else "/admin/"
    assert parser.can_fetch("newsmon", site.listing_url) and not parser.can_fetch("newsmon", site.url + private)
    site.reset_log()
    for path in ("/nope/", "/2024/01/01/no-such-post/", "/news/no-such-news", "/node/1"):
        assert fetch(site.url + path)[0] == 404
    assert [entry[3] for entry in site.request_log] == [404] * 4 and site.request_log[0][0] == site.label
    site.reset_log()
    assert site.request_log == []


@pytest.mark.parametrize("label", LABELS)
def test_state_2_two_new_items_and_one_edit(label):
    with UniSite(label) as site:
        old = {r["url"]: r for r in site.ground_truth()}
        etags = {url: fetch(url)[1]["ETag"] for url in old}
        status, _, _ = fetch(site.url + "/__replay__/state?n=2", method="POST")
        assert status == 200 and site.state == 2
        new = site.ground_truth()
        added = [r for r in new if r["url"] not in old]
        assert [r["url"] for r in new[:2]] == [r["url"] for r in added]
        assert {r["cooperation"] for r in added} == {True, False} and {r["added_in_state"] for r in added} == {2}
        assert walk(site)[0][:2] == [r["url"] for r in added]
        if site.feed_url:
            items = ET.fromstring(fetch(site.feed_url)[2]).findall("./channel/item")
            assert [i.findtext("link") for i in items[:2]] == [r["url"] for r in added]
        changed = [r for r in new if r["url"] in old and r["body"] != old[r["url"]]["body"]]
        assert [r["url"] for r in changed] == [r["url"] for r in new if r["edited_in_state_2"]]
        assert len(changed) == 1
        before, after = old[changed[0]["url"]]["body"].split("\n\n"), changed[0]["body"].split("\n\n")
        diff = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
                if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        assert len(diff) == 2
        row = changed[0]
        assert row["published"] == old[row["url"]]["published"] and row["modified_at"] > row["published_at"]
        assert reference_article(label, soup_of(site, row["url"]))["body"] == row["body"]
        assert fetch(row["url"], headers={"If-None-Match": etags[row["url"]]})[0] == 200
        site.set_state(3)
        assert site.ground_truth() == new


def test_build_is_fast_deterministic_and_validated():
    unis._CACHE.clear()
    start = time.perf_counter()
    first = {label: unis.build_corpus(desc, 2) for label, desc in SITES.items()}
    assert time.perf_counter() - start < 1
    unis._CACHE.clear()
    again = {label: unis.build_corpus(desc, 2) for label, desc in SITES.items()}
    for label in SITES:
        assert [(a.path, a.blocks) for a in first[label].articles] == [(a.path, a.blocks) for a in again[label].articles]
    with pytest.raises(ValueError):
        UniSite("joomla")
    with UniSite("wp") as a, UniSite("wp") as b:
        path = a.ground_truth()[7]["path"]
        pages = [fetch(s.url + path)[2].replace(s.url.split(":")[-1].encode(), b"PORT") for s in (a, b)]
        assert pages[0] == pages[1]
        assert fetch(a.url + "/__replay__/state?n=4", method="POST")[0] == 400


def test_wp_links_are_absolute_and_share_links_redirect():
    with UniSite("wp") as site:
        row = site.ground_truth()[2]
        text = fetch(row["url"])[2].decode()
        hrefs = re.findall(r'href="([^"#]+)"', text)
        assert hrefs and all(h.startswith((site.url, "https://")) for h in hrefs)
        status, headers, _ = fetch(row["url"] + "?share=facebook")
        assert status == 302 and headers["Location"].startswith("https://www.facebook.com/")


# SPbPU's redesign (state 3)

UNTOUCHED = "/media/news/politech-media/dinastiya-kolesnikovykh-pashkevichey/"


def redesigned_article(soup: BeautifulSoup) -> dict:
    """A parser for the 2025 template: the old selectors find nothing, these find everything."""
    body = soup.select_one(".news-body")
    for figure in body.select("figure"):
        figure.decompose()
    return {"title": soup.select_one("h1.news-card__title").get_text(), "body": paragraphs(body),
            "date": soup.select_one(".news-card__date").get_text()}


def test_spbpu_state_3_same_truth_new_markup():
    with ReplaySite(state=2) as site:
        truth2 = site.ground_truth()
        before = {base + path: fetch(base + path) for base in (site.ru_url, site.en_url)
                  for path in ("/media/news/rss/", "/media/news/")}
        assert fetch(site.ru_url + "/__replay__/state?n=3", method="POST")[0] == 200 and site.state == 3
        assert site.ground_truth() == truth2
        for url, (_, headers, body) in before.items():
            status3, headers3, body3 = fetch(url)
            assert status3 == 200 and headers3["ETag"] == headers["ETag"]
            if url.endswith("/rss/"):
                assert body3 == body
        for row in truth2[::7]:
            status, headers, body = fetch(row["url"])
            assert status == 200 and 100_000 <= len(body) <= 250_000
            soup = BeautifulSoup(body, "lxml")
            assert not soup.select("#content_page, .news-detail, .news-date, .news-meta, .site-header, .print-link")
            page = redesigned_article(soup)
            assert (page["title"], page["body"]) == (row["title"], row["body"])
            assert str(datetime.fromisoformat(row["published"]).year) in page["date"]
            graph = json.loads(soup.select_one('script[type="application/ld+json"]').string)
            assert graph["headline"] == row["title"] and graph["datePublished"].startswith(row["published"])
        site.set_state(2)
        old_etag = fetch(site.ru_url + UNTOUCHED)[1]["ETag"]
        assert extract_article(BeautifulSoup(fetch(site.ru_url + UNTOUCHED)[2], "lxml"))["date"] == "27 сентября 2024"
        site.set_state(3)
        status, headers, body = fetch(site.ru_url + UNTOUCHED, headers={"If-None-Match": old_etag})
        assert status == 200 and headers["ETag"] != old_etag
        assert BeautifulSoup(body, "lxml").select_one(".news-card__date").get_text() == "27 сентября 2024"
        printed = fetch(site.ru_url + UNTOUCHED + "?print=Y")[2]
        assert b'class="news-body"' in printed and b"print-date" not in printed


def test_cli_serves_every_site_until_sigterm():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.replay", "serve", "--ru-port", "0", "--en-port", "0",
                             "--wp-port", "0", "--drupal-port", "0", "--state", "3"],
                            stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        urls = [proc.stdout.readline().strip() for _ in range(4)]
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in urls)
        assert fetch(urls[0] + "/__replay__/state")[2] == b"state 3\n"
        assert fetch(urls[2] + "/news/")[0] == 200 and fetch(urls[3] + "/news")[0] == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    out = subprocess.run([sys.executable, "-m", "tests.replay", "ground-truth", "--site", "drupal", "--state", "2",
                          "--url", "http://127.0.0.1:9"], capture_output=True, text=True, env=env, cwd=REPO,
                         check=True).stdout
    rows = json.loads(out)
    assert len(rows) == 34 and rows[0]["url"].startswith("http://127.0.0.1:9/") and rows[0]["added_in_state"] == 2
