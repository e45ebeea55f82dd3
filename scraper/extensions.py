"""Crawl-run recording: heartbeat while the spider works, judge and close the run at the end."""

from __future__ import annotations

from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.internet import task
from twisted.python.failure import Failure

from models import crawl_runs
from scraper import database


class CrawlRunRecorder:
    """Keep the spider's crawl run alive and write its verdict when the spider closes.

    Item pipelines close before `spider_closed` fires, so the last batch is already
    ingested when `crawl_runs.finish` judges the run and closes unseen listings.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.sessions = database.for_settings(crawler.settings)
        self.interval = crawler.settings.getfloat("HEARTBEAT_SECONDS")
        self.heartbeat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.spider_error, signal=signals.spider_error)
        crawler.signals.connect(recorder.item_error, signal=signals.item_error)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
        self.heartbeat = task.LoopingCall(self.beat, spider)
        self.heartbeat.start(self.interval, now=True)

    def beat(self, spider: Spider) -> None:
        with self.sessions() as session:
            crawl_runs.beat(session, [spider.run_key])
            session.commit()

    def spider_error(self, failure: Failure, response: Response, spider: Spider) -> None:
        """A callback raised: its payload was not what the spider maps, so the run is not clean."""
        spider.report.failures.append(f"could not read {response.url}: {failure.getErrorMessage()}")

    def item_error(self, item: Any, response: Response, spider: Spider, failure: Failure) -> None:
        spider.report.failures.append(f"could not ingest postings: {failure.getErrorMessage()}")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        spider.report.finish_reason = reason
        with self.sessions() as session:
            crawl_runs.finish(session, spider.run_key, spider.report)
            session.commit()
