"""Site-agnostic discovery: feeds, the listing pager and article links of news sites never seen before.

Pure functions over a decoded page and its URL (no Scrapy, no database), so that one generic spider can
use them for any source and a test can feed them any CMS's markup.
"""

from spiders.discovery.feeds import FeedEntry, autodiscover, parse_feed
from spiders.discovery.links import Link, article_links, sidebar_filter, sidebar_urls
from spiders.discovery.pager import next_page, page_number, pager_kind
from spiders.discovery.patterns import learn_pattern
from spiders.discovery.urls import canonical

__all__ = ["FeedEntry", "Link", "article_links", "autodiscover", "canonical", "learn_pattern", "next_page",
           "page_number", "pager_kind", "parse_feed", "sidebar_filter", "sidebar_urls"]
