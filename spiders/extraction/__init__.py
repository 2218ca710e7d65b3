"""Site-agnostic article extraction: pure functions `html -> fields`, no Scrapy, no database.

- `chain.extract(html, url, selectors, boilerplate) -> Extracted`: per field, the source's selectors
  ("profile"), then the page's metadata ("metadata"), then generic extraction ("generic"); which
  extractor gave each field, what failed (`problems`) and which selectors are stale (`selector_misses`).
- `charset.decode_html(body, header_charset)`: BOM, header, `<meta>`, then a Cyrillic-aware guess.
- `metadata.page_metadata(html, url)`: JSON-LD, OpenGraph, itemprop, `<time>`, `<html lang>`.
- `dates.parse_date(text)` / `dates.find_date(text)`: Russian and English dates in every form, by regex.
- `generic`: the fast content scorer (trafilatura as fallback) and titles without the site's suffix.
- `boilerplate.Boilerplate`: per-source chrome learnt from recurring blocks; a JSON-able dict to store.
- `score.token_f1(a, b)`: the body measure tests and benchmarks share.
"""
