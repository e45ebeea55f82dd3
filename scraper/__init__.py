"""The Scrapy project: one thin spider per source kind, crawl runs recorded in the database.

The crawler always runs in a child process (`python -m scraper.crawl RUN_ID:TOKEN...`,
started by `scraper.runner.crawl`), so callers never restart a Twisted reactor.
"""
