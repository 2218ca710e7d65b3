"""The WordPress-like site's page shell and post content: head with Yoast's block, header, sidebar widgets, footer.

Written after what WordPress 6.x with an Astra-like theme, Yoast SEO, Jetpack and Cookie Notice emit; every link
is absolute (home_url), as WordPress writes them.
"""

from __future__ import annotations

import html
import json
import re
import zlib
from datetime import datetime

from tests.replay import wp_chrome
from tests.replay.model import EN_MONTHS, Block, inline_html
from tests.replay.unis import Corpus, UniArticle

SITE_NAME = "Northbridge University"
TAGLINE = "News and stories from Northbridge University"
AUTHOR = "News Team"
TAGS = {  # kind -> post tags
    "agreement": ("partnerships", "global"), "delegation_in": ("visits", "global"), "visit_abroad": ("visits", "global"),
    "memorandum": ("partnerships", "global"), "joint_lab": ("research", "partnerships"), "forum_intl": ("events", "global"),
    "industry": ("industry", "partnerships"), "science": ("research", "engineering"), "education": ("courses",),
    "student": ("students", "events"), "sport": ("sport",), "sport_team": ("sport", "teams"),
    "achievement": ("awards",), "media": ("alumni", "stories"), "other": ("heritage", "events"),
    "school_visit": ("outreach", "schools"), "intl_student": ("students", "global"),
}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def long_date(when: datetime) -> str:
    return f"{EN_MONTHS[when.month - 1]} {when.day}, {when.year}"


def tags_of(article: UniArticle) -> tuple[str, ...]:
    return TAGS.get(article.spec.kind, ("news",))


def block_html(block: Block) -> str:
    """One Gutenberg block as saved in post_content."""
    if block.kind == "lead":
        return f'<p class="has-medium-font-size">{inline_html(block.text, "en")}</p>'
    if block.kind == "p":
        return f"<p>{inline_html(block.text, 'en')}</p>"
    if block.kind in ("h2", "h3", "h4"):
        return f'<{block.kind} class="wp-block-heading">{inline_html(block.text, "en")}</{block.kind}>'
    if block.kind == "ul":
        return '<ul class="wp-block-list">\n' + "\n".join(
            f"<li>{inline_html(i, 'en')}</li>" for i in block.items) + "\n</ul>"
    if block.kind == "quote":
        return (f'<blockquote class="wp-block-quote is-layout-flow wp-block-quote-is-layout-flow">\n'
                f"<p>{inline_html(block.text, 'en')}</p>\n</blockquote>")
    image = block.image
    assert image is not None
    stem = image.full.removesuffix(".jpg")
    return (f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="683" '
            f'src="{stem}-1024x683.jpg" alt="" class="wp-image-{zlib.crc32(stem.encode()) % 9000 + 1000}" srcset="'
            f"{stem}-1024x683.jpg 1024w, {stem}-300x200.jpg 300w, {stem}-768x512.jpg 768w, {image.full} 1500w\" "
            f'sizes="(max-width: 1024px) 100vw, 1024px" /><figcaption class="wp-element-caption">'
            f"{esc(image.caption)}</figcaption></figure>")


def content_html(article: UniArticle) -> str:
    """post_content through the_content: blocks separated by the blank lines Gutenberg leaves."""
    return "\n\n\n\n".join(block_html(b) for b in article.blocks)


def excerpt(article: UniArticle) -> str:
    """wp_trim_excerpt: the first 55 words of the tag-stripped content, then `[&hellip;]`."""
    text = " ".join(re.sub(r"<[^>]+>", " ", content_html(article)).split())
    words = html.unescape(text).split()
    return esc(" ".join(words[:55])) + (" [&hellip;]" if len(words) > 55 else "")


def _sidebar(corpus: Corpus) -> str:
    recent = "".join(f'<li><a href="{a.path}">{esc(a.spec.title)}</a></li>' for a in corpus.recent())
    cats = "".join(f'<li class="cat-item cat-item-{i + 3}"><a href="/category/{code}/">{name}</a> '
                   f"({len(corpus.in_category(code))})</li>"
                   for i, (code, name) in enumerate(sorted(corpus.desc.categories.items(), key=lambda x: x[1])))
    counts: dict[str, int] = {}
    for a in corpus.articles:
        for t in tags_of(a):
            counts[t] = counts.get(t, 0) + 1
    cloud = "\n".join(f'<a href="/tag/{t}/" class="tag-cloud-link tag-link-{40 + i} tag-link-position-{i + 1}" '
                      f'style="font-size: {8 + min(14, n * 1.5):.1f}pt;" aria-label="{t} ({n} items)">{t}</a>'
                      for i, (t, n) in enumerate(sorted(counts.items())))
    return (f'<div class="widget-area secondary" id="secondary" itemtype="https://schema.org/WPSideBar" '
            f'itemscope="itemscope"><div class="sidebar-main" role="complementary">'
            f'<aside id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" '
            f'action="/"><label for="search-field"><span class="screen-reader-text">Search for:</span><input '
            f'type="search" id="search-field" class="search-field" placeholder="Search &hellip;" value="" name="s" '
            f'tabindex="-1"></label><input type="submit" class="search-submit" value="Search"></form></aside>'
            f'<aside id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts'
            f'</h2><nav aria-label="Recent Posts"><ul>{recent}</ul></nav></aside>'
            f'<aside id="categories-2" class="widget widget_categories"><h2 class="widget-title">Categories</h2>'
            f'<nav aria-label="Categories"><ul>{cats}</ul></nav></aside>'
            f'<aside id="tag_cloud-2" class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2>'
            f'<nav aria-label="Tags"><div class="tagcloud">{cloud}</div></nav></aside>'
            f'<aside id="block-7" class="widget widget_block"><div class="wp-block-group newsletter-signup"><h2 '
            f'class="wp-block-heading">Subscribe to our newsletter</h2><p>Get the latest Northbridge stories in your '
            f'inbox every month.</p><form class="jetpack_subscription_widget" action="#" method="post"><input '
            f'type="email" name="email" placeholder="Type your email…"><button type="submit">Subscribe</button>'
            f"</form></div></aside></div></div>")


_SITE_RELATIVE = re.compile(r'(href="|src="|srcset="|, )/(?=[\w-])')


def absolute(text: str, base: str) -> str:
    """WordPress writes every link and upload URL absolute (home_url)."""
    return _SITE_RELATIVE.sub(lambda m: f"{m.group(1)}{base}/", text)


def page(corpus: Corpus, base: str, title: str, body_class: str, main: str, head_extra: str) -> str:
    """A whole page: head (Yoast block + theme weight), header, content + sidebar, footer, cookie banner."""
    return absolute(_page(corpus, base, title, body_class, main, head_extra), base)


def _page(corpus: Corpus, base: str, title: str, body_class: str, main: str, head_extra: str) -> str:
    parts = wp_chrome.parts(base)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1' />

\t<!-- This site is optimized with the Yoast SEO plugin v22.6 - https://yoast.com/wordpress/plugins/seo/ -->
\t<title>{esc(title)}</title>
{head_extra}
\t<!-- / Yoast SEO plugin. -->


<link rel='dns-prefetch' href='//stats.wp.com' />
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="{base}/feed/" />
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Comments Feed" href="{base}/comments/feed/" />
{parts["head"]}
<link rel="https://api.w.org/" href="{base}/wp-json/" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{base}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress {wp_chrome.WP_VERSION}" />
</head>

<body itemtype='https://schema.org/Blog' itemscope='itemscope' class="{body_class} wp-embed-responsive ast-desktop ast-separate-container ast-right-sidebar astra-4.6.14 ast-header-custom-item-inside">
<a class="skip-link screen-reader-text" href="#content" title="Skip to content">Skip to content</a>
<div class="hfeed site" id="page">
<header class="site-header header-main-layout-1 ast-primary-menu-enabled ast-logo-title-inline ast-hide-custom-menu-mobile ast-builder-menu-toggle-icon ast-mobile-header-inline" id="masthead" itemtype="https://schema.org/WPHeader" itemscope="itemscope" itemid="#masthead">
<div class="main-header-bar-wrap"><div class="main-header-bar"><div class="ast-container"><div class="ast-flex main-header-container">
<div class="site-branding ast-site-identity" itemtype="https://schema.org/Organization" itemscope="itemscope"><span class="site-logo-img"><a href="{base}/" class="custom-logo-link" rel="home"><img width="220" height="64" src="{base}/wp-content/uploads/2023/05/northbridge-logo.png" class="custom-logo" alt="{SITE_NAME}" decoding="async" /></a></span><div class="ast-site-title-wrap"><span class="site-title" itemprop="name"><a href="{base}/" rel="home" itemprop="url">{SITE_NAME}</a></span><p class="site-description" itemprop="description">{TAGLINE}</p></div></div>
<div class="ast-main-header-bar-alignment"><div class="main-header-bar-navigation"><nav class="site-navigation ast-flex-grow-1 navigation-accessibility site-header-focus-item" id="primary-site-navigation-desktop" aria-label="Site Navigation" itemtype="https://schema.org/SiteNavigationElement" itemscope="itemscope"><div class="main-navigation ast-inline-flex">{parts["menu"]}</div></nav></div></div>
</div></div></div></div>
</header>
<div id="content" class="site-content"><div class="ast-container">
{main}
{_sidebar(corpus)}
</div></div>
{parts["footer"]}
</div>
{parts["cookie"]}
{parts["scripts"]}
</body>
</html>
"""


def graph(*nodes: dict) -> str:
    data = {"@context": "https://schema.org", "@graph": list(nodes)}
    text = json.dumps(data, separators=(",", ":"))
    return f'\t<script type="application/ld+json" class="yoast-schema-graph">{text}</script>'


def site_nodes(base: str) -> list[dict]:
    return [{"@type": "WebSite", "@id": f"{base}/#website", "url": f"{base}/", "name": SITE_NAME,
             "description": TAGLINE, "publisher": {"@id": f"{base}/#organization"},
             "potentialAction": [{"@type": "SearchAction", "target": {"@type": "EntryPoint",
                                  "urlTemplate": f"{base}/?s={{search_term_string}}"},
                                  "query-input": "required name=search_term_string"}], "inLanguage": "en-GB"},
            {"@type": "Organization", "@id": f"{base}/#organization", "name": SITE_NAME, "url": f"{base}/",
             "logo": {"@type": "ImageObject", "inLanguage": "en-GB", "@id": f"{base}/#/schema/logo/image/",
                      "url": f"{base}/wp-content/uploads/2023/05/northbridge-logo.png", "width": 220, "height": 64,
                      "caption": SITE_NAME},
             "sameAs": ["https://www.facebook.com/northbridgeuni", "https://x.com/northbridgeuni"]}]
