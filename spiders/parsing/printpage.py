"""The print version (HTML) or a user's plain-text capture of it -> article fields.

The print template reads: title, body paragraphs, `Дата публикации: 2023.11.30`, `>>Перейти к новости`,
`>>Перейти ко всем новостям` (Russian labels on both hosts). The body is what stands between the title
and the date line; the navigation links are never body.
"""

from __future__ import annotations

import logging
import re

from spiders.parsing import dates, dom, text, urls
from spiders.parsing.article import ArticleFields, images_of, title_of
from spiders.profile import GENERIC, SiteProfile

log = logging.getLogger(__name__)
_HTML = re.compile(r"<\s*(?:!doctype|html|head|body|div|p|h1|h2|span|table|br|a)\b", re.I)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def looks_like_html(content: str) -> bool:
    """Whether a page is HTML rather than a text capture (a few tags near the start)."""
    return bool(_HTML.search(content[:5000]))


def text_paragraphs(capture: str, site: SiteProfile = GENERIC) -> list[str]:
    """Paragraphs of a text capture: blocks between blank lines; a date or navigation line stands alone."""
    found: list[str] = []
    for block in _BLANK_LINE.split(capture.replace("\r\n", "\n").replace("\r", "\n")):
        lines: list[str] = []
        for line in block.split("\n"):
            if _is_marker(line, site):
                found.extend(_joined(lines))
                lines = []
                found.append(text.clean(line))
            else:
                lines.append(line)
        found.extend(_joined(lines))
    return found


def _joined(lines: list[str]) -> list[str]:
    joined = text.clean(" ".join(lines))
    return [joined] if joined else []


def _is_marker(line: str, site: SiteProfile) -> bool:
    return bool(site.print_date_label.match(line)) or _is_nav(line, site)


def _is_nav(line: str, site: SiteProfile) -> bool:
    return text.clean(line).lstrip(">»› ").casefold() in site.print_nav_texts


def from_paragraphs(paras: list[str], title: str | None = None, site: SiteProfile = GENERIC) -> ArticleFields:
    """Title (first paragraph unless given), body up to the date line, and the date, from print paragraphs."""
    fields = ArticleFields()
    paras = [p for p in paras if p]
    if title is None and paras:
        title, paras = paras[0], paras[1:]
    elif paras and title and paras[0] == title:
        paras = paras[1:]
    fields.title = title or None
    date_at = next((i for i, p in enumerate(paras) if site.print_date_label.match(p)), None)
    if date_at is not None:
        fields.date_text = site.print_date_label.match(paras[date_at])["date"]
        parsed = dates.parse_date(fields.date_text) or dates.find_date(fields.date_text)
        fields.published = dates.to_iso(parsed, site.timezone)
        before, after = paras[:date_at], paras[date_at + 1:]
        body = before or after  # the template puts the date after the body; tolerate it before
    else:
        body = paras
    fields.body = text.join(p for p in body if not _is_nav(p, site))
    return fields


def _from_html(content: str, url: str | None, site: SiteProfile) -> ArticleFields:
    sel = dom.selector(content)
    block = dom.first(sel, site.news_block) or sel
    title = title_of(block, sel, site)
    root = dom.first(sel, "body") or sel
    fields = from_paragraphs(text.fragment_paragraphs(root.get(), text.Noise(site.body_drop)), title, site)
    body_el = dom.first(sel, site.body)
    fields.images = images_of(body_el if body_el is not None else root, block, url, site)
    return fields


def parse_print(html_or_text: str | bytes, url: str | None = None, site: SiteProfile = GENERIC) -> ArticleFields:
    """Fields of a print page (HTML) or of its text capture; `url` gives section and absolute links."""
    try:
        content = dom.decode(html_or_text)
        fields = (_from_html(content, url, site) if looks_like_html(content)
                  else from_paragraphs(text_paragraphs(content, site), site=site))
    except Exception as exc:  # hostile input costs one item, not the crawl
        log.warning("print parse failed for %s: %r", url, exc)
        return ArticleFields(problems=[f"parse_error: {type(exc).__name__}"])
    fields.section = urls.section_of(url, site)
    if fields.section in site.sections:
        fields.section_name = site.sections[fields.section].name(urls.lang_of(url, fields.title or "", site))
    fields.print_url = urls.absolute(url, None) if url else None
    fields.problems = _problems(fields)
    return fields


def _problems(fields: ArticleFields) -> list[str]:
    problems = [] if fields.title else ["no_title"]
    if not fields.body:
        problems.append("no_body")
    if not fields.published:
        problems.append(f"unparsed_date: {fields.date_text}" if fields.date_text else "no_date")
    return problems
