"""Generic extraction (spiders/extraction) beside trafilatura alone and the SPbPU parser, same pages, same run.

Pages: the replay's SPbPU article pages (~150 KB, with their ground truth) and the extraction fixtures of
other CMS families (tests/fixtures/extraction, expected.json). Per engine: body token-F1 against the
truth, title and date accuracy where the engine gives them, and pages/s (the median of `reps` passes,
one core). Also: charset guessing (ours vs charset-normalizer) on windows-1251/KOI8-R pages without a
declaration, and the date parser's speed.

Run: .venv/bin/python -m bench.extraction [N]   (prints JSON; N = replay pages rendered, default 400)
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spiders.extraction.score import token_f1

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "extraction"
Page = tuple[dict[str, Any], bytes]


def replay_pages(n: int, sample: int) -> list[Page]:
    """`sample` SPbPU article pages spread over n rendered by the replay, with truth rows."""
    from bench.parse import pages

    return list(pages(n, max(1, n // sample)))[:sample]


def fixture_pages() -> list[Page]:
    """The CMS-family fixtures, their truth with the body joined like a crawler's."""
    truth = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
    return [({**row, "body": "\n\n".join(row["body"])}, (FIXTURES / name).read_bytes()) for name, row in truth.items()]


def _engines() -> dict[str, Callable[[bytes, str], tuple[str | None, str | None, str | None]]]:
    """name -> page, url -> (title, body, date)."""
    import trafilatura

    from spiders.extraction.chain import extract
    from spiders.extraction.charset import decode_html
    from spiders.parsing.article import parse_article
    from spiders.profile import Selectors
    from spiders.sites.spbpu import PROFILE as site

    spbpu = Selectors(title=".news-detail h1", body="div#content_page", date=".news-meta .news-date",
                      drop=tuple(site.body_drop))

    def chain(selectors: Selectors, fallback: bool = True):
        def run(page: bytes, url: str):
            found = extract(page, url, selectors, fallback=fallback)
            return found.title, found.body, found.published
        return run

    def traf(page: bytes, url: str):
        text = trafilatura.extract(decode_html(page), url=url, favor_precision=True, include_comments=False,
                                   include_tables=False)
        return None, text, None

    def site_parser(page: bytes, url: str):
        fields = parse_article(page, url, site)
        return fields.title, fields.body, fields.published

    return {"generic_chain": chain(Selectors()), "generic_no_trafilatura": chain(Selectors(), fallback=False),
            "profile_chain_spbpu": chain(spbpu), "trafilatura": traf, "spbpu_parser": site_parser}


def _score(engine, pages: list[Page]) -> dict[str, Any]:
    f1s, titles, dated = [], 0, 0
    for truth, page in pages:
        title, body, date = engine(page, truth["url"])
        f1s.append(token_f1(body, truth["body"]))
        titles += title == truth["title"]
        dated += (date or "")[:10] == truth["published"]
    n = max(1, len(pages))
    return {"pages": len(pages), "body_f1_mean": round(statistics.mean(f1s), 4), "body_f1_min": round(min(f1s), 4),
            "title_accuracy": round(titles / n, 4), "date_accuracy": round(dated / n, 4)}


def _rates(engines: dict[str, Any], pages: list[Page], reps: int) -> dict[str, float]:
    """Pages/s of each engine: the median of `reps` passes, engines interleaved within each pass so that
    a busy machine slows them all alike."""
    rates: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(reps):
        for name, engine in engines.items():
            start = time.perf_counter()
            for truth, page in pages:
                engine(page, truth["url"])
            rates[name].append(len(pages) / (time.perf_counter() - start))
    return {name: round(statistics.median(values), 2) for name, values in rates.items()}


def charsets(reps: int = 3) -> dict[str, Any]:
    """Ours vs charset-normalizer on undeclared windows-1251 / KOI8-R / UTF-8 versions of the fixtures' pages."""
    from spiders.extraction.charset import decode_html, guess

    texts = [(FIXTURES / "wordpress_en.html").read_bytes().decode("utf-8")]
    for name in ("drupal7_ru_cp1251.html", "bitrix_ru_cp1251_noheader.html"):
        texts.append((FIXTURES / name).read_bytes().decode("cp1251"))
    cases = [(text.encode(codec, "xmlcharrefreplace"), codec) for text in texts
             for codec in ("cp1251", "koi8-r", "utf-8")]
    out: dict[str, Any] = {"pages": len(cases)}
    try:
        import charset_normalizer
    except ImportError:
        charset_normalizer = None
    deciders = {"newsmon": lambda body: guess(body)}
    if charset_normalizer is not None:
        deciders["charset_normalizer"] = lambda body: (charset_normalizer.from_bytes(body).best().encoding
                                                       if charset_normalizer.from_bytes(body).best() else "none")
    for name, decide in deciders.items():
        right = sum(body.decode(codec, "replace") == body.decode(_codec(decide(body)), "replace")
                    for body, codec in cases)
        start = time.perf_counter()
        for _ in range(reps):
            for body, _codec_name in cases:
                decide(body) if name != "newsmon" else decode_html(body)
        spent = (time.perf_counter() - start) / (reps * len(cases))
        out[name] = {"right": right, "ms_per_page": round(spent * 1000, 3)}
    return out


def _codec(name: str) -> str:
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def date_speed(reps: int = 2000) -> dict[str, Any]:
    """µs per parse_date call over the forms pages write."""
    from spiders.extraction.dates import parse_date

    forms = ["12 марта 2024 г.", "вторник, 12 марта 2024", "March 12, 2024", "12.03.2024", "2024-03-12T10:00:00+03:00",
             "Mar. 12th, 2024", "12 мая 2024, 14:30", "Опубликовано: 12.03.2024", "not a date at all"]
    start = time.perf_counter()
    for _ in range(reps):
        for form in forms:
            parse_date(form)
    return {"us_per_call": round((time.perf_counter() - start) / (reps * len(forms)) * 1e6, 2)}


def run(results: dict[str, Any], *, n: int = 400, sample: int = 40, reps: int = 3) -> dict[str, Any]:
    """The extraction figures in results["extraction"]."""
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    engines = _engines()
    replay = replay_pages(n, sample)
    fixtures = fixture_pages()
    figures: dict[str, Any] = {
        "design": f"{len(replay)} SPbPU replay pages spread over {n} (~150 KB each) and {len(fixtures)} pages of "
                  f"other CMS families; speed = median of {reps} passes over the replay pages, one core",
        "page_kb": round(sum(len(p) for _, p in replay) / max(1, len(replay)) / 1024, 1),
    }
    rates = _rates(engines, replay, reps)
    for name, engine in engines.items():
        figures[name] = {"pages_per_s": rates[name], "spbpu": _score(engine, replay)}
        if name != "spbpu_parser":
            figures[name]["other_cms"] = _score(engine, fixtures)
    figures["generic_vs_trafilatura_speed"] = round(
        figures["generic_chain"]["pages_per_s"] / figures["trafilatura"]["pages_per_s"], 2)
    figures["charset"] = charsets()
    figures["dates"] = date_speed()
    results["extraction"] = figures
    return figures


if __name__ == "__main__":
    out: dict[str, Any] = {}
    run(out, n=int(sys.argv[1]) if len(sys.argv) > 1 else 400)
    print(json.dumps(out, indent=1, ensure_ascii=False))
