"""Item pipelines, in order: drop expired postings, then hand batches to models.ingest.

No pipeline normalizes or writes rows itself: `upsert_postings` is the one write path.
"""

from __future__ import annotations

import logging
from typing import Any

import marshmallow as ma
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from models import crawl_runs
from models.ingest import upsert_postings
from models.schemas import job_in
from models.types import utcnow
from scraper import database

logger = logging.getLogger(__name__)


class PostingExpired(DropItem):
    """The posting says it closed already (validThrough in the past)."""


class ExpiredPostingPipeline:
    """Drop postings past their valid_through, so a stale page cannot re-open a closed job."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        value = item.get("valid_through")
        if value is None:
            return item
        try:
            valid_through = job_in.fields["valid_through"].deserialize(value)
        except ma.ValidationError:
            return item  # unreadable: ingest stores the posting without it, and says so
        if valid_through < utcnow():
            raise PostingExpired(f"expired on {valid_through:%Y-%m-%d}: {item.get('external_id')}")
        return item


class IngestPipeline:
    """Buffer postings and ingest them in batches against the spider's source and run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.sessions = database.for_settings(crawler.settings)
        self.batch_size = crawler.settings.getint("INGEST_BATCH_SIZE")
        self.buffer: list[dict[str, Any]] = []
        self.run_gone = False
        self.closing: Any = None  # the Deferred of closing the spider once the run is gone

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IngestPipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self.crawler.spider.report.scraped += 1
        self.buffer.append(dict(item))
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()

    def flush(self) -> None:
        """Ingest the buffered postings in one call; the run's heartbeat goes with it."""
        spider = self.crawler.spider
        batch, self.buffer = self.buffer, []
        if not batch or self.run_gone:
            return
        try:
            with self.sessions() as session:
                # The run, not the source id: a source removed mid-crawl takes its runs
                # with it, and on SQLite a new source may be given its id meanwhile.
                run = crawl_runs.current(session, spider.run_key)
                if run is None:
                    self.stop("source removed during the crawl")
                    return
                counts = upsert_postings(session, batch, source=run.source, run=run)
                crawl_runs.beat(session, [spider.run_key])
                session.commit()
        except Exception as exc:  # unseen postings must not look absent: the run cannot succeed
            logger.exception("ingest of %d postings failed", len(batch))
            spider.report.failures.append(f"ingest of {len(batch)} postings failed: {exc!r}"[:500])
            return
        spider.report.counts.merge(counts)

    def stop(self, reason: str) -> None:
        """Take nothing more and fetch nothing more: the run this crawl reports to is gone."""
        self.run_gone = True
        self.crawler.spider.report.failures.append(reason)
        self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason="run_gone"))
