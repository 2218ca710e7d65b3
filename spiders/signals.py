"""newsmon's own Scrapy signals (sent by spiders, recorded by spiders.extensions.CrawlRecorder)."""

# Sent with url=..., reason=... when an article could not be fetched (after retries) or was skipped.
article_error = object()
# Sent with url=..., reason=... for a counted, logged event that still stores the article (date_conflict, no_date).
article_flagged = object()
