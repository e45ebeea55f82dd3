"""The jobs domain: tables, normalizing, the one ingest path and named queries.

Nothing here imports Flask or Scrapy, so the web app, the spiders, the clock
and the CLI all share it without an app context.
"""
