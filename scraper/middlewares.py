"""Downloader middlewares: refuse non-public addresses, and back off before a retry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from models import config
from models.netsafety import UnsafeURL, check_url

RETRY_AFTER = "jobboard_retry_after"  # seconds the last answer asked to wait (request meta)


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
    """Wait longer before each retry of a request (Scrapy's RetryMiddleware retries at once),
    and at least as long as the board's `Retry-After` asked, up to the maximum.

    Ordered after RetryMiddleware (550), it reads an answer's `Retry-After` before that
    middleware copies the request, meta included, into its retry.
    """

    def __init__(self, base: float, maximum: float, retry_codes: set[int]) -> None:
        self.base = base
        self.maximum = maximum
        self.retry_codes = retry_codes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        settings = crawler.settings
        return cls(
            settings.getfloat("RETRY_BACKOFF_BASE"),
            settings.getfloat("RETRY_BACKOFF_MAX"),
            {int(code) for code in settings.getlist("RETRY_HTTP_CODES")},
        )

    async def process_request(self, request: Request) -> None:
        retries = request.meta.get("retry_times", 0)
        if not retries:
            return None
        backoff = self.base * 2 ** (retries - 1) if self.base > 0 else 0.0
        wait = min(self.maximum, max(backoff, request.meta.get(RETRY_AFTER, 0.0)))
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        asked = retry_after(response) if response.status in self.retry_codes else None
        if asked is None:
            request.meta.pop(RETRY_AFTER, None)
        else:
            request.meta[RETRY_AFTER] = asked
        return response


def retry_after(response: Response) -> float | None:
    """The seconds a `Retry-After` header asks for: a number, or an HTTP date; None if none."""
    value = response.headers.get("Retry-After", b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
