"""The RSS feed with the real response's quirks: double-escaped, cut descriptions, `Name/` categories."""

from __future__ import annotations

import html
from datetime import timedelta

from tests.replay.corpus import Article, Host
from tests.replay.model import cut_description, inline_html, rfc822, section_name

_CHANNEL = {"ru": ("ru", "Новости"), "en": ("en", "News")}


def category(lang: str, section: str) -> str:
    """`Партнёрство/`; University life is written with a space before the slash, as the real feed does."""
    name = section_name(lang, section)
    return f"{name} /" if section == "studencheskaya_zhizn" else f"{name}/"


def description(article: Article) -> tuple[str, str]:
    """(leading whitespace, preview text in Bitrix's entity form ending with `...`)."""
    spec = article.spec
    if spec.rss_prefix is not None:
        return spec.rss_ws, spec.rss_prefix + "..."
    lead = article.blocks[0]
    lead_html = lead.html or inline_html(lead.text, spec.lang, spec.entities)
    return spec.rss_ws, cut_description(lead_html) + "..."


def summary(article: Article) -> str:
    """The description as a reader sees it: one XML unescape and one HTML unescape."""
    return html.unescape(description(article)[1]).strip()


def enclosure(article: Article) -> tuple[str, int]:
    spec = article.spec
    if spec.enclosure:
        return spec.enclosure
    full = next((b.image.full for b in article.blocks if b.image), "/upload/no_photo.jpg")
    return full, 80000 + sum(map(ord, spec.slug)) * 37 % 240000


def _x(text: str) -> str:
    return html.escape(text, quote=False)


def render_rss(host: Host, base: str) -> str:
    """The feed of the latest 20 items, newest first, with absolute links to this replay host."""
    lang, title = _CHANNEL[host.lang]
    items = host.rss()
    built = (items[0].spec.when + timedelta(hours=1, minutes=4, seconds=55)) if items else None
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">', "<channel>", f"<language>{lang}</language>",
           f"<title>{title}</title>", f"<link>{base}</link>", "<description></description>",
           f"<lastBuildDate>{rfc822(built) if built else ''}</lastBuildDate>", "<ttl>60</ttl>"]
    for article in items:
        spec = article.spec
        url, length = enclosure(article)
        ws, desc = description(article)
        out += ["<item>", f"\t<title>{_x(spec.title)}</title>", f"\t<link>{base}{spec.path}</link>",
                f'\t\t\t<enclosure url="{base}{url}" length="{length}" type="image/jpeg"/>',
                f"\t\t\t\t<category>{_x(category(host.lang, spec.section))}</category>",
                f"\t\t\t\t\t<description>{ws}{_x(desc)}</description>",
                f"\t\t<pubDate>{rfc822(spec.when)}</pubDate>", "</item>"]
    out += ["</channel>", "</rss>"]
    return "\n".join(out)
