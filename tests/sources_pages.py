"""The pages of tests/sources_fixtures.py's site: WordPress-like listing, article and RSS markup around the posts."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from tests.sources_fixtures import CHROME, esc


def shown(site: Any, day: Any) -> str:
    """A date as the site writes it: "May 30, 2024" in English, "30.05.2024" in Russian."""
    return f"{day:%d.%m.%Y}" if site.lang == "ru" else f"{day:%B} {day.day}, {day.year}"


def _head(site: Any, title: str, extra: str = "") -> str:
    feed = '<link rel="alternate" type="application/rss+xml" title="News feed" href="/feed/">' if site.feed else ""
    return (f'<!DOCTYPE html><html lang="{site.lang}"><head><meta charset="{site.charset}"><title>{esc(title)} – '
            f'Northbridge University</title>{feed}{extra}<link rel="stylesheet" href="/style.css"></head>')


def _chrome_top(posts: list[Any]) -> str:
    menu = "".join(f'<li class="menu-item menu-item-{n}"><a href="/{slug}/">{label}</a></li>' for n, (slug, label)
                   in enumerate([("about", "About"), ("study", "Study with us"), ("research", "Research"),
                                 ("news", "News"), ("contact", "Contact")]))
    return (f'<body class="wp-site"><a class="skip-link" href="#content">Skip to content</a>'
            f'<header id="masthead" class="site-header"><div class="site-branding"><a href="/">Northbridge '
            f'University</a></div><nav class="main-navigation"><ul class="menu">{menu}</ul></nav></header>'
            f'<div id="content" class="site-content"><div class="content-area"><main id="main" class="site-main">')


def _chrome_bottom(posts: list[Any]) -> str:
    recent = "".join(f'<li><a href="{p.path}">{esc(p.title)}</a></li>' for p in posts[:5])
    return (f'</main></div><aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
            f'<h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>'
            f'<section class="widget widget_text"><div class="textwidget"><p>{CHROME[3]}</p></div></section>'
            f'</aside></div><footer id="colophon" class="site-footer"><div class="site-info">{CHROME[2]}</div>'
            f'</footer></body></html>')


def page_href(site: Any, n: int) -> str:
    """The listing page n as the site links it."""
    if n == 1:
        return "/news/"
    return f"/news/page/{n}/" if site.pager == "path" else f"/news/?page={n - 1}"


def listing_page(site: Any, chunk: list[Any], number: int, pages: int, posts: list[Any]) -> str:
    cards = "".join(
        f'<article id="post-{p.ident}" class="post-{p.ident} post type-post status-publish">'
        f'<header class="entry-header"><h2 class="entry-title"><a href="{p.path}" rel="bookmark">{esc(p.title)}</a>'
        f'</h2><div class="entry-meta"><time class="entry-date published" datetime="{p.published}T09:00:00+00:00">'
        f'{shown(site, p.published)}</time></div></header><div class="entry-summary"><p>{esc(p.paragraphs[0][:120])}'
        f'…</p></div></article>' for p in chunk)
    links = []
    if number > 1:
        previous = page_href(site, number - 1)
        links.append(f'<a class="prev page-numbers" href="{previous}">« Previous</a>')
    for n in range(1, pages + 1):
        href = page_href(site, n)
        links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == number
                     else f'<a class="page-numbers" href="{href}">{n}</a>')
    if number < pages:
        links.append(f'<a class="next page-numbers" href="{page_href(site, number + 1)}">Next »</a>')
    pager = f'<nav class="navigation pagination"><div class="nav-links">{"".join(links)}</div></nav>' if chunk else ""
    return (_head(site, "News") + _chrome_top(posts) + '<header class="page-header"><h1 class="page-title">News</h1>'
            f'</header>{cards}{pager}' + _chrome_bottom(posts))


def _body(post: Any) -> str:
    parts = []
    for n, paragraph in enumerate(post.paragraphs):
        if n == 1:
            words = paragraph.split(" ")
            words[2] = f'<a href="/research/">{words[2]}</a>'
            paragraph = " ".join(words)
            parts.append(f'<figure class="wp-block-image"><img src="/uploads/{post.ident}.jpg" alt="">'
                         f'<figcaption>Photo: press office</figcaption></figure>')
        else:
            paragraph = esc(paragraph)
        parts.append(f"<p>{paragraph}</p>")
    return "".join(parts)


def article_page(site: Any, post: Any, posts: list[Any]) -> str:
    related = "".join(f'<li><a href="{p.path}">{esc(p.title)}</a></li>' for p in [q for q in posts if q is not post][:3])
    og = (f'<meta property="og:title" content="{esc(post.title)}"><meta property="og:type" content="article">'
          f'<meta property="og:site_name" content="Northbridge University">')
    return (_head(site, post.title, og) + _chrome_top(posts)
            + f'<article id="post-{post.ident}" class="post-{post.ident} post type-post status-publish">'
            f'<header class="entry-header"><h1 class="entry-title">{esc(post.title)}</h1><div class="entry-meta">'
            f'<span class="posted-on">Posted on <time class="entry-date published" '
            f'datetime="{post.published}T09:00:00+00:00">{shown(site, post.published)}</time></span> '
            f'<span class="byline">by Press Office</span></div></header>'
            f'<div class="entry-content">{_body(post)}'
            f'<div class="sharedaddy sd-sharing"><h3 class="sd-title">{CHROME[0]}</h3><ul><li><a href="#t">Twitter'
            f'</a></li><li><a href="#f">Facebook</a></li></ul></div>'
            f'<div class="jp-relatedposts"><h3 class="jp-relatedposts-headline">{CHROME[1]}</h3><ul>{related}</ul>'
            f'</div></div><footer class="entry-footer"><span class="cat-links">{CHROME[4]}</span></footer>'
            f'</article>' + _chrome_bottom(posts))


def feed_page(site: Any, posts: list[Any]) -> str:
    items = "".join(
        f"<item><title>{esc(p.title)}</title><link>{site.url}{p.path}</link><pubDate>"
        f"{format_datetime(datetime(p.published.year, p.published.month, p.published.day, 9, tzinfo=UTC))}"
        f"</pubDate><description>{esc(p.paragraphs[0][:120])}</description></item>" for p in posts)
    return (f'<?xml version="1.0" encoding="{site.charset}"?><rss version="2.0"><channel><title>Northbridge News'
            f'</title><link>{site.url}/news/</link>{items}</channel></rss>')
