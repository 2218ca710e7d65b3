"""Scrapy project of newsmon: spiders select, pipelines validate -> normalise -> diff -> archive."""

__version__ = "0.1.0"
