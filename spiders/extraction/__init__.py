"""Site-agnostic article extraction: pure functions `html -> fields`, no Scrapy, no database.

Per field, the source's selectors first, then structured metadata (JSON-LD, OpenGraph, itemprop,
`<time>`), then generic content extraction, then dates in the page text (`chain.extract`).
"""
