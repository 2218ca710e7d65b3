"""Scrapy settings: the one configuration source for crawls, built from newsmon.toml over defaults.

`scrapy crawl news -a source=NAME` and `newsmon crawl` both read this module; the config file comes from
$NEWSMON_CONFIG or ./newsmon.toml (see monitor/config.py). The data path reads top to bottom in
ITEM_PIPELINES: validate -> normalise -> diff+archive.
"""

from __future__ import annotations

import sys

from scrapy.settings import default_settings as _scrapy_defaults

from monitor.config import load
from monitor.errors import ConfigError
from spiders import __version__

try:
    _config = load()
except ConfigError as exc:  # `scrapy crawl` with a broken newsmon.toml: say what, not a traceback
    sys.exit(f"Error: {exc}")

BOT_NAME = "newsmon"
SPIDER_MODULES = ["spiders.news"]
NEWSPIDER_MODULE = "spiders"

# An honest User-Agent naming newsmon and its version, with the contact given in [crawl] user_agent.
USER_AGENT = _config.data["crawl"]["user_agent"] or f"newsmon/{__version__} (university news monitor)"
# Politeness: robots.txt obeyed, AutoThrottle, at most 2 requests per host at once.
ROBOTSTXT_OBEY = _config.data["crawl"]["obey_robots"]
AUTOTHROTTLE_ENABLED = _config.data["crawl"]["autothrottle"]
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
# Items are archived one at a time (SQLite); Scrapy would start this many asyncio workers per response.
CONCURRENT_ITEMS = 1
# Bytes of responses being read (by a parse worker) or archived at once before Scrapy stops fetching. Its
# 5 MB default is ~30 news pages of ~160 KB: a full crawl stopped fetching whenever the worker was a few
# pages behind (a 400-article crawl ran at 0.69 of a bare spider with 5 MB, 0.75-0.82 with 12-20 MB).
# A budget per crawl process: `newsmon crawl` shares it among a batch's sources, at least 5 MB each
# (monitor.crawl_inprocess.slot_size).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 16 * 1024 * 1024
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # per source: [sources.NAME] concurrency
DOWNLOAD_DELAY = 1.0  # per source: [sources.NAME] download_delay (the replay runs with 0)
# Timeouts and retries: 5xx and timeouts are retried before they count as an error.
DOWNLOAD_TIMEOUT = _config.data["crawl"]["timeout"]
RETRY_ENABLED = True
RETRY_TIMES = _config.data["crawl"]["retries"]
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A news page is ~200 KB; anything over 10 MB is not an article.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 would open an HTTP control port per crawl
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "spiders.pipelines.ValidatePipeline": 100,
    "spiders.pipelines.NormalisePipeline": 200,
    "spiders.pipelines.ArchivePipeline": 300,
}
# Idle polls: robots.txt from the archive while fresh; the feed and first listing page asked conditionally.
DOWNLOADER_MIDDLEWARES = {
    "spiders.polling.RobotsCache": 90,
    "spiders.polling.ConditionalDiscovery": 560,
    "spiders.timelimit.NoRetryWhenClosing": 555,  # a source past its time limit is not retried
}
EXTENSIONS = {
    "spiders.extensions.CrawlRecorder": 100,
    "spiders.extensions.Progress": 200,
}
# Scrapy components newsmon never uses, taken out of the base lists: Scrapy imports every listed component
# per crawler even when it is switched off or set to None (the remote control imports aiohttp, ~0.19 s a
# process; cookies, off above, import tldextract, ~0.13 s). The log counter is a root log handler per
# crawler: in a batch of 100 sources every log line went through 100 handlers (the crawl record counts).
# No stats line a minute per source (LogStats), no memory timer per source (the daemon watches from outside).
_UNUSED = {"scrapy.extensions.remote_control.RemoteControl", "scrapy.extensions.telnet.TelnetConsole",
           "scrapy.extensions.memusage.MemoryUsage", "scrapy.extensions.memdebug.MemoryDebugger",
           "scrapy.extensions.logcount.LogCount", "scrapy.extensions.logstats.LogStats",
           "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"}
EXTENSIONS_BASE = {k: v for k, v in _scrapy_defaults.EXTENSIONS_BASE.items() if k not in _UNUSED}
DOWNLOADER_MIDDLEWARES_BASE = {k: v for k, v in _scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE.items()
                               if k not in _UNUSED}
# Meta refresh redirects as Scrapy follows them, without decoding every page to look (spiders.redirects).
_META_REFRESH = "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"
DOWNLOADER_MIDDLEWARES_BASE["spiders.redirects.MetaRefresh"] = DOWNLOADER_MIDDLEWARES_BASE.pop(_META_REFRESH)
# No S3/FTP download handlers built per crawler for news sites served over HTTP(S).
DOWNLOAD_HANDLERS = {"s3": None, "ftp": None}
# Scrapy parses the source of the spider's callbacks per crawler to warn about `return` in a generator.
WARN_ON_GENERATOR_RETURN_VALUE = False

# newsmon's own settings.
NEWSMON_CONFIG_PATH = str(_config.path) if _config.path else ""  # the file these settings came from
NEWSMON_DB_PATH = str(_config.db_path)  # the SQLite archive
NEWSMON_SOURCES = _config.data["sources"]  # every [sources.NAME] table: URLs, profile, selectors, politeness
NEWSMON_FULL = False  # walk every listing page and re-fetch every article with conditional GET
NEWSMON_ALERT_BACKLOG = False  # let a source's first crawl alert too (normally it only sets the baseline)
NEWSMON_CONDITIONAL_POLLS = True  # conditional GET + content hash on the feed and first listing page
NEWSMON_ROBOTS_CACHE = True  # robots.txt kept in the archive for its lifetime (at most 24 h) across processes
NEWSMON_PARSE_PROCESSES = _config.data["crawl"]["parse_processes"]  # article pages read beside the crawl
NEWSMON_PROGRESS = False  # a progress line on stderr (newsmon crawl turns it on in a terminal)

