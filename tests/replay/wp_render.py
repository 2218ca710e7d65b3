"""HTML and RSS of the WordPress-like site: the posts page and archives, single posts, the feeds, 404.

Written after what WordPress 6.x with an Astra-like theme, Yoast SEO, Jetpack sharing and Cookie Notice emit:
Yoast's JSON-LD `@graph` and OpenGraph in the head, `rel="next"` on paged archives, `time.entry-date.published`,
Gutenberg blocks in `.entry-content` (Jetpack's share box is appended inside it, as the plugin does), the
"Recent Posts", categories, tag cloud and newsletter widgets on every page.
"""

from __future__ import annotations

import html
import json
import re
import zlib
from datetime import UTC, datetime

from tests.replay import wp_chrome
from tests.replay.model import EN_MONTHS, RFC_DAYS, RFC_MONTHS, Block, inline_html
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


def rfc822_gmt(when: datetime) -> str:
    when = when.astimezone(UTC)
    return f"{RFC_DAYS[when.weekday()]}, {when.day:02d} {RFC_MONTHS[when.month - 1]} {when.year} {when:%H:%M:%S} +0000"


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


def _post_classes(article: UniArticle) -> str:
    spec = article.spec
    tags = " ".join(f"tag-{t}" for t in tags_of(article))
    return (f"post-{spec.node} post type-post status-publish format-standard has-post-thumbnail hentry "
            f"category-{spec.category} {tags}")


def _posted_on(article: UniArticle, url: str) -> str:
    spec = article.spec
    updated = (f'<time class="updated" datetime="{article.modified.isoformat()}">{long_date(article.modified)}</time>'
               if article.modified != spec.when else "")
    return (f'<span class="posted-on">Posted on <a href="{url}" rel="bookmark"><time class="entry-date published" '
            f'datetime="{spec.when.isoformat()}">{long_date(spec.when)}</time>{updated}</a></span>')


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


def _graph(*nodes: dict) -> str:
    data = {"@context": "https://schema.org", "@graph": list(nodes)}
    text = json.dumps(data, separators=(",", ":"))
    return f'\t<script type="application/ld+json" class="yoast-schema-graph">{text}</script>'


def _site_nodes(base: str) -> list[dict]:
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


def article_page(corpus: Corpus, article: UniArticle, base: str) -> str:
    """A single post."""
    spec = article.spec
    url = base + article.path
    category = corpus.desc.categories[spec.category]
    image = article.images[0] if article.images else None
    words = len(re.sub(r"<[^>]+>", " ", content_html(article)).split())
    nodes = [{"@type": "NewsArticle", "@id": f"{url}#article", "isPartOf": {"@id": url},
              "author": {"name": AUTHOR, "@id": f"{base}/#/schema/person/5f1c2a"}, "headline": spec.title,
              "datePublished": spec.when.isoformat(), "dateModified": article.modified.isoformat(),
              "mainEntityOfPage": {"@id": url}, "wordCount": words, "publisher": {"@id": f"{base}/#organization"},
              "image": {"@id": f"{url}#primaryimage"}, "thumbnailUrl": base + image.full if image else None,
              "keywords": list(tags_of(article)), "articleSection": [category], "inLanguage": "en-GB"},
             {"@type": "WebPage", "@id": url, "url": url, "name": f"{spec.title} - {SITE_NAME}",
              "isPartOf": {"@id": f"{base}/#website"}, "datePublished": spec.when.isoformat(),
              "dateModified": article.modified.isoformat(), "breadcrumb": {"@id": f"{url}#breadcrumb"},
              "inLanguage": "en-GB", "potentialAction": [{"@type": "ReadAction", "target": [url]}]},
             {"@type": "ImageObject", "inLanguage": "en-GB", "@id": f"{url}#primaryimage",
              "url": base + image.full if image else None, "width": 1500, "height": 1000},
             {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
                 {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"},
                 {"@type": "ListItem", "position": 2, "name": "News", "item": f"{base}/news/"},
                 {"@type": "ListItem", "position": 3, "name": spec.title}]},
             *_site_nodes(base),
             {"@type": "Person", "@id": f"{base}/#/schema/person/5f1c2a", "name": AUTHOR}]
    summary = html.unescape(excerpt(article)).removesuffix(" [&hellip;]").removesuffix(" […]")
    head = "\n".join([
        f'\t<link rel="canonical" href="{url}" />', '\t<meta property="og:locale" content="en_GB" />',
        '\t<meta property="og:type" content="article" />', f'\t<meta property="og:title" content="{esc(spec.title)}" />',
        f'\t<meta property="og:description" content="{esc(summary[:155])}" />',
        f'\t<meta property="og:url" content="{url}" />', f'\t<meta property="og:site_name" content="{SITE_NAME}" />',
        '\t<meta property="article:publisher" content="https://www.facebook.com/northbridgeuni" />',
        f'\t<meta property="article:published_time" content="{spec.when.isoformat()}" />',
        f'\t<meta property="article:modified_time" content="{article.modified.isoformat()}" />',
        (f'\t<meta property="og:image" content="{base}{image.full}" />' if image else ""),
        f'\t<meta name="author" content="{AUTHOR}" />', '\t<meta name="twitter:card" content="summary_large_image" />',
        '\t<meta name="twitter:label1" content="Written by" />', f'\t<meta name="twitter:data1" content="{AUTHOR}" />',
        '\t<meta name="twitter:label2" content="Est. reading time" />',
        f'\t<meta name="twitter:data2" content="{max(1, words // 200)} minutes" />', _graph(*nodes),
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; {esc(spec.title)} Comments '
        f'Feed" href="{url}feed/" />',
        f'<link rel="alternate" type="application/json" title="JSON" href="{base}/wp-json/wp/v2/posts/{spec.node}" />',
        f"<link rel='shortlink' href='{base}/?p={spec.node}' />"])
    older, newer = corpus.neighbours(article)
    nav = ""
    if older:
        nav += (f'<div class="nav-previous"><a title="{esc(older.spec.title)}" href="{older.path}" rel="prev">'
                f'<span class="ast-left-arrow">&larr;</span> Previous Post</a></div>')
    if newer:
        nav += (f'<div class="nav-next"><a title="{esc(newer.spec.title)}" href="{newer.path}" rel="next">'
                f'Next Post <span class="ast-right-arrow">&rarr;</span></a></div>')
    related = "".join(
        f'<article class="ast-related-post post-{a.spec.node}"><div class="ast-related-post-content"><div '
        f'class="ast-related-post-featured-section"><div class="post-thumb-img-content post-thumb"><a href="{a.path}">'
        f'<img width="300" height="200" src="{a.images[0].full.removesuffix(".jpg")}-300x200.jpg" alt="" '
        f'loading="lazy" /></a></div></div><header class="entry-header related-entry-header"><h3 class="ast-related-'
        f'post-title entry-title"><a href="{a.path}" target="_self" rel="bookmark noopener noreferrer">'
        f'{esc(a.spec.title)}</a></h3><div class="entry-meta ast-related-cat-style--none">{long_date(a.spec.when)}'
        f"</div></header></div></article>" for a in corpus.related(article))
    share = "".join(
        f'<li class="share-{s}"><a rel="nofollow noopener noreferrer" data-shared="sharing-{s}-{spec.node}" '
        f'class="share-{s} sd-button share-icon" href="{url}?share={s}" target="_blank" title="Click to share on '
        f'{label}"><span>{label}</span><span class="screen-reader-text">Click to share on {label} (Opens in new '
        f"window)</span></a></li>" for s, label in (("facebook", "Facebook"), ("x", "X"), ("linkedin", "LinkedIn"),
                                                   ("email", "Email")))
    thumb = (f'<div class="post-thumb-img-content post-thumb"><img width="1024" height="683" src="'
             f'{image.full.removesuffix(".jpg")}-1024x683.jpg" class="attachment-large size-large wp-post-image" alt="" '
             f'itemprop="image" decoding="async" fetchpriority="high" /></div>' if image else "")
    tags = ", ".join(f'<a href="/tag/{t}/" rel="tag">{t}</a>' for t in tags_of(article))
    main = f"""<div id="primary" class="content-area primary">
<nav aria-label="Breadcrumbs" class="ast-breadcrumbs-wrapper"><div class="ast-breadcrumbs-inner"><span><a href="{base}/">Home</a></span> &raquo; <span><a href="{base}/news/">News</a></span> &raquo; <span class="breadcrumb_last" aria-current="page">{esc(spec.title)}</span></div></nav>
<main id="main" class="site-main">
<article class="{_post_classes(article)} ast-article-single" id="post-{spec.node}" itemtype="https://schema.org/CreativeWork" itemscope="itemscope">
<div class="ast-post-format- single-layout-1">
<header class="entry-header">
{thumb}
<h1 class="entry-title" itemprop="headline">{esc(spec.title)}</h1>
<div class="entry-meta">{_posted_on(article, url)} / <span class="cat-links"><a href="/category/{spec.category}/" rel="category tag">{category}</a></span> / <span class="posted-by vcard author" itemtype="https://schema.org/Person" itemscope="itemscope" itemprop="author"><a title="View all posts by {AUTHOR}" href="/author/news-team/" rel="author" class="url fn n" itemprop="url"><span class="author-name" itemprop="name">{AUTHOR}</span></a></span></div>
</header>
<div class="entry-content clear" itemprop="text">

{content_html(article)}

<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>{share}<li class="share-end"></li></ul></div></div></div>
<div id='jp-relatedposts' class='jp-relatedposts' >
\t<h3 class="jp-relatedposts-headline"><em>Related</em></h3>
</div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/{spec.category}/" rel="category tag">{category}</a></span> <span class="tags-links">Tagged {tags}</span></footer>
</div>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">{nav}</div></nav>
<div class="ast-single-related-posts-container ast-separate-container"><div class="ast-related-posts-title-section"><h2 class="ast-related-posts-title">Related posts</h2></div><div class="ast-related-posts-wrapper">{related}</div></div>
<div id="comments" class="comments-area comment-form-position-below"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply <small><a rel="nofollow" id="cancel-comment-reply-link" href="{article.path}#respond" style="display:none;">Cancel reply</a></small></h3><form action="{base}/wp-comments-post.php" method="post" id="ast-commentform" class="comment-form"><p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p><div class="ast-row comment-textarea"><fieldset class="comment-form-comment"><legend class="comment-form-legend"></legend><div class="comment-form-textarea ast-grid-common-col"><label for="comment" class="screen-reader-text">Type here..</label><textarea id="comment" name="comment" placeholder="Type here.." cols="45" rows="8" aria-required="true"></textarea></div></fieldset></div><div class="ast-comment-formwrap ast-row"><p class="comment-form-author ast-grid-common-col ast-width-lg-33 ast-width-md-4 ast-float"><label for="author" class="screen-reader-text">Name*</label><input id="author" name="author" type="text" value="" placeholder="Name*" size="30" aria-required='true' autocomplete="name" /></p><p class="comment-form-email ast-grid-common-col ast-width-lg-33 ast-width-md-4 ast-float"><label for="email" class="screen-reader-text">Email*</label><input id="email" name="email" type="text" value="" placeholder="Email*" size="30" aria-required='true' autocomplete="email" /></p><p class="comment-form-url ast-grid-common-col ast-width-lg-33 ast-width-md-4 ast-float"><label for="url">Website</label><input id="url" name="url" type="text" value="" placeholder="Website" size="30" autocomplete="url" /></p></div><p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes" /> <label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment &raquo;" /> <input type='hidden' name='comment_post_ID' value='{spec.node}' id='comment_post_ID' /><input type='hidden' name='comment_parent' id='comment_parent' value='0' /></p></form></div></div>
</main>
</div>"""
    body_class = f"post-template-default single single-post postid-{spec.node} single-format-standard"
    return page(corpus, base, f"{spec.title} - {SITE_NAME}", body_class, main, head)


def archive_page(corpus: Corpus, items: list[UniArticle], n: int, base: str, path: str, heading: str,
                 body_class: str) -> str:
    """The posts page `/news/` or a category/tag archive: page n (1-based) of `items`, with the numeric pager."""
    pages = corpus.pages(items)

    def url(k: int) -> str:
        return f"{base}{path}" if k == 1 else f"{base}{path}page/{k}/"

    cards = []
    for a in corpus.page(n, items):
        spec = a.spec
        thumb = (f'<div class="post-thumb-img-content post-thumb"><a href="{a.path}"><img width="1024" height="683" '
                 f'src="{a.images[0].full.removesuffix(".jpg")}-1024x683.jpg" class="attachment-large size-large '
                 f'wp-post-image" alt="" loading="lazy" decoding="async" /></a></div>' if a.images else "")
        cards.append(
            f'<article class="{_post_classes(a)} ast-col-sm-12 ast-article-post" id="post-{spec.node}" '
            f'itemtype="https://schema.org/CreativeWork" itemscope="itemscope"><div class="ast-post-format- '
            f'blog-layout-1 ast-no-date-box"><div class="post-content ast-grid-common-col"><div class="ast-blog-'
            f'featured-section post-thumb ast-grid-common-col ast-float">{thumb}</div><header class="entry-header">'
            f'<h2 class="entry-title" itemprop="headline"><a href="{a.path}" rel="bookmark">{esc(spec.title)}'
            f'</a></h2><div class="entry-meta">{_posted_on(a, base + a.path)} / <span class="cat-links"><a href='
            f'"/category/{spec.category}/" rel="category tag">{corpus.desc.categories[spec.category]}</a></span>'
            f'</div></header><div class="ast-excerpt-container ast-blog-single-element"><p>{excerpt(a)}</p></div>'
            f'<p class="ast-blog-single-element ast-read-more-container read-more"><a class="" href="{a.path}"> '
            f'<span class="screen-reader-text">{esc(spec.title)}</span> Continue reading &raquo;</a></p>'
            f"</div></div></article>")
    links = []
    if n > 1:
        links.append(f'<a class="prev page-numbers" href="{url(n - 1)}">&laquo; Previous</a>')
    for k in range(1, pages + 1):
        if k == n:
            links.append(f'<span aria-current="page" class="page-numbers current">{k}</span>')
        elif k in (1, pages) or abs(k - n) <= 2:
            links.append(f'<a class="page-numbers" href="{url(k)}">{k}</a>')
        elif not links[-1].endswith("dots</span>"):
            links.append('<span class="page-numbers dots">&hellip;</span>')
    if n < pages:
        links.append(f'<a class="next page-numbers" href="{url(n + 1)}">Next &raquo;</a>')
    pager = (f'<nav class="navigation pagination" aria-label="Posts"><h2 class="screen-reader-text">Posts navigation'
             f'</h2><div class="nav-links">{"".join(links)}</div></nav>' if pages > 1 else "")
    title = f"{heading} - {SITE_NAME}" if n == 1 else f"{heading} - Page {n} of {pages} - {SITE_NAME}"
    page_url = url(n)
    head = [f'\t<link rel="canonical" href="{page_url}" />']
    if n > 1:
        head.append(f'\t<link rel="prev" href="{url(n - 1)}" />')
    if n < pages:
        head.append(f'\t<link rel="next" href="{url(n + 1)}" />')
    head += ['\t<meta property="og:locale" content="en_GB" />', '\t<meta property="og:type" content="article" />',
             f'\t<meta property="og:title" content="{esc(title)}" />', f'\t<meta property="og:url" content="{page_url}" />',
             f'\t<meta property="og:site_name" content="{SITE_NAME}" />',
             _graph({"@type": "CollectionPage", "@id": page_url, "url": page_url, "name": title,
                     "isPartOf": {"@id": f"{base}/#website"}, "inLanguage": "en-GB"}, *_site_nodes(base))]
    main = (f'<div id="primary" class="content-area primary"><section class="ast-archive-description"><h1 class='
            f'"page-title ast-archive-title">{esc(heading)}</h1></section><main id="main" class="site-main"><div '
            f'class="ast-row">{"".join(cards)}</div>{pager}</main></div>')
    paged = f" paged paged-{n}" if n > 1 else ""
    return page(corpus, base, title, body_class + paged, main, "\n".join(head))


def feed(corpus: Corpus, base: str, items: list[UniArticle], title: str, self_url: str) -> str:
    """WordPress's RSS 2.0 template (`feed-rss2.php`): GMT pubDates, CDATA, full content in content:encoded."""
    newest = max((a.modified for a in items), default=datetime(2024, 1, 1, tzinfo=UTC))
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"',
           '\txmlns:content="http://purl.org/rss/1.0/modules/content/"', '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"',
           '\txmlns:dc="http://purl.org/dc/elements/1.1/"', '\txmlns:atom="http://www.w3.org/2005/Atom"',
           '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"',
           '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"', "\t>", "", "<channel>",
           f"\t<title>{title}</title>", f'\t<atom:link href="{self_url}" rel="self" type="application/rss+xml" />',
           f"\t<link>{base}</link>", f"\t<description>{TAGLINE}</description>",
           f"\t<lastBuildDate>{rfc822_gmt(newest)}</lastBuildDate>", "\t<language>en-GB</language>",
           "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>", "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>",
           f"\t<generator>https://wordpress.org/?v={wp_chrome.WP_VERSION}</generator>"]
    for a in items:
        spec = a.spec
        url = base + a.path
        cats = "".join(f"\n\t\t<category><![CDATA[{c}]]></category>"
                       for c in (corpus.desc.categories[spec.category], *tags_of(a)))
        out.append(f"""\t<item>
\t\t<title>{esc(spec.title)}</title>
\t\t<link>{url}</link>
\t\t\t\t\t<comments>{url}#respond</comments>
\t\t
\t\t<dc:creator><![CDATA[{AUTHOR}]]></dc:creator>
\t\t<pubDate>{rfc822_gmt(spec.when)}</pubDate>{cats}
\t\t<guid isPermaLink="false">{base}/?p={spec.node}</guid>

\t\t\t\t\t<description><![CDATA[{excerpt(a)}]]></description>
\t\t\t\t\t\t\t\t\t\t<content:encoded><![CDATA[{absolute(content_html(a), base)}]]></content:encoded>
\t\t\t\t\t
\t\t\t<wfw:commentRss>{url}feed/</wfw:commentRss>
\t\t\t<slash:comments>0</slash:comments>
\t\t
\t\t
\t\t\t</item>""")
    out += ["\t</channel>", "</rss>", ""]
    return "\n".join(out)


def not_found_page(corpus: Corpus, base: str) -> str:
    main = ('<div id="primary" class="content-area primary"><main id="main" class="site-main"><section class="error-404 '
            'not-found"><div class="ast-404-layout-1"><header class="page-header"><h1 class="page-title">This page '
            "doesn't seem to exist.</h1></header><div class=\"page-content\"><div class=\"page-sub-title\">It looks "
            "like the link pointing here was faulty. Maybe try searching?</div></div></div></section></main></div>")
    return page(corpus, base, f"Page not found - {SITE_NAME}", "error404", main, "")
