"""Site-agnostic discovery: feeds, the listing pager and article links of news sites never seen before.

Pure functions over a decoded page and its URL (no Scrapy, no database), so that one generic spider can
use them for any source and a test can feed them any CMS's markup.
"""
