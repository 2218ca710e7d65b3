"""The reader's pages in a real headless Chromium over an archive crawled from the replay: search a
Russian word form, filter by topic, open an edited article and its diff, the status page; axe-core finds
no serious accessibility violation; a <script> in a scraped title shows as text; screenshots of the
front, article and status pages at desktop and phone widths go to docs/screenshots/."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.archive import store
from storage.db import connect
from tests.conftest import REPO, write_config
from tests.monitor_fixtures import serving
from tests.query_fixtures import item
from tests.test_web import CHROMEDRIVER, CHROMIUM

pytestmark = pytest.mark.browser

AXE = REPO / ".venv" / "axe-core" / "axe.min.js"  # fetched by `make browser` (npm pack), else here
SCREENSHOTS = REPO / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
HOSTILE = '<script>document.title="owned"</script> Hostile <b>title</b>'


def axe_source() -> str:
    """axe-core's browser build (MPL-2.0), from the npm registry once per machine."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed (make browser installs it) to fetch axe-core")
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([npm, "pack", "axe-core@4", "--silent", "--pack-destination", tmp], check=True,
                           capture_output=True, timeout=180)
            (tarball,) = Path(tmp).glob("axe-core-*.tgz")
            with tarfile.open(tarball) as tar:
                member = tar.extractfile("package/axe.min.js")
                AXE.parent.mkdir(parents=True, exist_ok=True)
                AXE.write_bytes(member.read())
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(crawled_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The web UI over a copy of the crawled replay with one hostile title added."""
    root = tmp_path_factory.mktemp("webui")
    path = root / "newsmon.db"
    shutil.copy(crawled_archive, path)
    db = connect(path)
    hostile = store(db, item({"url": "https://www.spbstu.ru/media/news/other/hostile/", "source": "spbpu-ru",
                              "lang": "ru", "section": "other", "published": "2001-01-01", "title": HOSTILE,
                              "body": "Текст <img src=x onerror=alert(1)> статьи."})).article_id
    edited = db.execute("SELECT article_id FROM versions WHERE version = 2 LIMIT 1").fetchone()[0]
    db.conn.close()
    config = write_config(root / "newsmon.toml", "http://127.0.0.1:9", "http://127.0.0.1:9", path)
    with serving(config) as base:
        yield {"base": base, "hostile": hostile, "edited": edited}


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser installs it)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--lang=en-US", "--hide-scrollbars"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    with tempfile.TemporaryDirectory(prefix="newsmon-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        browser.set_page_load_timeout(30)
        browser.set_script_timeout(60)
        try:
            yield browser
        finally:
            browser.quit()


def set_width(driver: Any, name: str, height: int | None = None) -> None:
    width, default_height, mobile = WIDTHS[name]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height or default_height, "deviceScaleFactor": 1, "mobile": mobile})


def screenshot(driver: Any, page: str) -> None:
    """The whole page (up to 2600 px tall) at each width, into docs/screenshots/PAGE-WIDTH.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in WIDTHS:
        set_width(driver, name)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        set_width(driver, name, min(int(height), 2600))
        driver.save_screenshot(str(SCREENSHOTS / f"{page}-{name}.png"))
    set_width(driver, "desktop")


def serious_violations(driver: Any) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line each."""
    driver.execute_script(axe_source())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result if v["impact"] in ("serious", "critical")]


def test_reader_journey(site: dict[str, Any], driver: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(driver, 20)
    set_width(driver, "desktop")
    driver.get(site["base"] + "/")
    assert driver.find_elements(By.CSS_SELECTOR, "article.card"), "the front page lists articles"
    assert serious_violations(driver) == []
    screenshot(driver, "front")

    box = driver.find_element(By.ID, "q")  # search a word form: other forms of the word are found too
    box.send_keys("сотрудничеству")
    box.submit()
    wait.until(ec.presence_of_element_located((By.TAG_NAME, "mark")))
    marks = {m.get_attribute("textContent").lower() for m in driver.find_elements(By.TAG_NAME, "mark")}
    assert all(m.startswith("сотрудничеств") for m in marks) and marks - {"сотрудничеству"}, marks
    assert serious_violations(driver) == []

    driver.get(site["base"] + "/")
    Select(driver.find_element(By.ID, "f-topic")).select_by_value("cooperation")
    driver.find_element(By.CSS_SELECTOR, ".filters button[type=submit]").click()
    wait.until(ec.url_contains("topic=cooperation"))
    cards = driver.find_elements(By.CSS_SELECTOR, "article.card")
    assert cards and all("cooperation" in c.find_element(By.CLASS_NAME, "badges").text for c in cards)

    driver.find_element(By.LINK_TEXT, "Changed").click()
    wait.until(ec.url_contains("/changed"))
    assert serious_violations(driver) == []
    driver.find_element(By.CSS_SELECTOR, f'a[href="/article/{site["edited"]}"]').click()
    wait.until(ec.url_contains(f"/article/{site['edited']}"))
    assert driver.find_elements(By.CSS_SELECTOR, ".versions ins") or driver.find_elements(
        By.CSS_SELECTOR, ".versions del"), "the article page shows the diff of its edit"
    assert "Versions (2)" in driver.find_element(By.TAG_NAME, "body").text
    assert serious_violations(driver) == []
    screenshot(driver, "article")

    driver.find_element(By.LINK_TEXT, "Crawl status").click()
    wait.until(ec.url_contains("/status"))
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "spbpu-ru" in body and "spbpu-en" in body and "pending" in body
    assert serious_violations(driver) == []
    screenshot(driver, "status")


def test_scraped_script_shows_as_text(site: dict[str, Any], driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{site['base']}/article/{site['hostile']}")
    assert driver.find_element(By.TAG_NAME, "h1").text == HOSTILE
    assert driver.title != "owned" and not driver.find_elements(By.CSS_SELECTOR, "main img[src=x], main b")
    driver.get(site["base"] + "/?q=Hostile")
    assert driver.find_element(By.CSS_SELECTOR, ".card-title").text == HOSTILE
    assert driver.title != "owned"


def test_russian_interface_passes_accessibility(site: dict[str, Any], driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.get(site["base"] + "/?ui=ru")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    assert "Свежие новости" in driver.find_element(By.TAG_NAME, "h1").text
    set_width(driver, "phone")
    assert serious_violations(driver) == []
    driver.get(site["base"] + "/?ui=en")
    set_width(driver, "desktop")


def test_table_view_shows_a_snippet_of_the_body(site: dict[str, Any], crawled_archive: Path) -> None:
    import urllib.request

    db = connect(crawled_archive, readonly=True)
    row = db.execute("SELECT id, body FROM articles WHERE length(body) > 1000 ORDER BY id LIMIT 1").fetchone()
    db.conn.close()
    with urllib.request.urlopen(f"{site['base']}/newsmon/articles?id={row[0]}", timeout=10) as response:
        html = response.read().decode("utf-8")
    tail = " ".join(row[1].split())[-200:]
    assert tail not in html, "the whole body is on the article page, not in the table"
    assert f'<a href="/article/{row[0]}" aria-label="full text">…</a>' in html
