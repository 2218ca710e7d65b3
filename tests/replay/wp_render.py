"""The WordPress-like site's pages: single posts, the posts page and archives (numeric pager, rel=next), 404.

Yoast's JSON-LD `@graph` and OpenGraph in the head, `time.entry-date.published`, Gutenberg blocks in
`.entry-content` with Jetpack's share box appended inside it (as the plugin does), Astra's related posts,
post navigation and the comment form after the article.
"""

from __future__ import annotations

import html
import re

from tests.replay.unis import Corpus, UniArticle
from tests.replay.wp_page import (
    AUTHOR,
    SITE_NAME,
    content_html,
    esc,
    excerpt,
    graph,
    long_date,
    page,
    site_nodes,
    tags_of,
)


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
             *site_nodes(base),
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
        f'\t<meta name="twitter:data2" content="{max(1, words // 200)} minutes" />', graph(*nodes),
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
             graph({"@type": "CollectionPage", "@id": page_url, "url": page_url, "name": title,
                     "isPartOf": {"@id": f"{base}/#website"}, "inLanguage": "en-GB"}, *site_nodes(base))]
    main = (f'<div id="primary" class="content-area primary"><section class="ast-archive-description"><h1 class='
            f'"page-title ast-archive-title">{esc(heading)}</h1></section><main id="main" class="site-main"><div '
            f'class="ast-row">{"".join(cards)}</div>{pager}</main></div>')
    paged = f" paged paged-{n}" if n > 1 else ""
    return page(corpus, base, title, body_class + paged, main, "\n".join(head))


def not_found_page(corpus: Corpus, base: str) -> str:
    main = ('<div id="primary" class="content-area primary"><main id="main" class="site-main"><section class="error-404 '
            'not-found"><div class="ast-404-layout-1"><header class="page-header"><h1 class="page-title">This page '
            "doesn't seem to exist.</h1></header><div class=\"page-content\"><div class=\"page-sub-title\">It looks "
            "like the link pointing here was faulty. Maybe try searching?</div></div></div></section></main></div>")
    return page(corpus, base, f"Page not found - {SITE_NAME}", "error404", main, "")
