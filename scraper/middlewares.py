"""Downloader middlewares: refuse non-public addresses, and back off before a retry."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from models import config
from models.netsafety import UnsafeURL, check_url


class PrivateAddressMiddleware:
    """Refuse requests, redirects and robots.txt included, to private or loopback addresses.

    Every request passes here before it is sent (a redirect is a new request), so a
    board cannot bounce the crawler into our own network. The check resolves the
    host once per crawl; JOBBOARD_ALLOW_PRIVATE_SOURCES=1 turns it off.
    """

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(config.allow_private_sources())

    async def process_request(self, request: Request) -> None:
        if self.allow_private:
            return None
        key = urlsplit(request.url).netloc
        if key not in self._verdicts:
            self._verdicts[key] = await asyncio.to_thread(_problem, request.url)
        if self._verdicts[key]:
            raise IgnoreRequest(f"refused {request.url}: {self._verdicts[key]}")
        return None


def _problem(url: str) -> str | None:
    try:
        check_url(url, allow_private=False)
    except UnsafeURL as exc:
        return str(exc)
    return None


class RetryBackoffMiddleware:
    """Wait longer before each retry of a request (Scrapy's RetryMiddleware retries at once)."""

    def __init__(self, base: float, maximum: float) -> None:
        self.base = base
        self.maximum = maximum

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        settings = crawler.settings
        return cls(settings.getfloat("RETRY_BACKOFF_BASE"), settings.getfloat("RETRY_BACKOFF_MAX"))

    async def process_request(self, request: Request) -> None:
        retries = request.meta.get("retry_times", 0)
        if retries and self.base > 0:
            await asyncio.sleep(min(self.maximum, self.base * 2 ** (retries - 1)))
        return None
