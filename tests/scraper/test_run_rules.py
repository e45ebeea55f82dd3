"""The verdict rules of a crawl run (only `succeeded` may close listings), and failure lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from models.crawl_runs import RunReport, judge
from models.outcomes import IngestCounts
from scraper.middlewares import retry_after
from scraper.spiders.base import describe_failure


def report(
    *, listed=1, scraped=0, rejected=0, unkeyed=0, failures=(), finish_reason="finished"
) -> RunReport:
    counts = IngestCounts(created=scraped - rejected, rejected=rejected, unkeyed=unkeyed)
    return RunReport(finish_reason, listed, scraped, counts, list(failures))


@pytest.mark.parametrize(
    ("run", "open_listings", "status", "note"),
    [
        (report(scraped=12), 12, "succeeded", None),
        (report(scraped=12, rejected=6), 12, "succeeded", None),
        (report(scraped=0), 0, "succeeded", None),
        (report(listed=0, failures=["HTTP 404 from u"]), 5, "failed", "HTTP 404 from u"),
        (report(listed=0), 5, "failed", "no listing payload was read"),
        (report(scraped=0, finish_reason="shutdown"), 5, "failed", "crawl ended early: shutdown"),
        (report(scraped=100, failures=["HTTP 500 from p3"]), 5, "partial", "HTTP 500 from p3"),
        (report(scraped=40, finish_reason="closespider_timeout"), 5, "partial", "crawl ended"),
        (report(scraped=12, rejected=7), 12, "partial", "7 of 12 postings rejected"),
        (report(scraped=3, rejected=3), 0, "failed", "all 3 postings rejected; nothing stored"),
        (report(scraped=0), 3, "partial", "the board listed no postings while 3"),
        (
            report(scraped=12, rejected=1, unkeyed=1),
            12,
            "partial",
            "1 posting(s) rejected without an id",
        ),
    ],
)
def test_judge(run: RunReport, open_listings: int, status: str, note: str | None) -> None:
    verdict, notes = judge(run, open_listings)
    assert verdict == status
    if note is None:
        assert notes == []
    else:
        assert notes[0].startswith(note)


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            CannotResolveHostError("board.invalid"),
            "DNS lookup failed for https://board.invalid/jobs",
        ),
        (DNSLookupError("board.invalid"), "DNS lookup failed for https://board.invalid/jobs"),
        (
            DownloadTimeoutError("took longer than 30 s"),
            "timed out fetching https://board.invalid/jobs",
        ),
        (DownloadConnectionRefusedError(), "connection refused by https://board.invalid/jobs"),
        (
            IgnoreRequest("Forbidden by robots.txt"),
            "IgnoreRequest fetching https://board.invalid/jobs: Forbidden by robots.txt",
        ),
    ],
)
def test_failed_requests_are_described_in_one_line(error: Exception, line: str) -> None:
    failure = Failure(error)
    failure.request = Request("https://board.invalid/jobs")
    assert describe_failure(failure) == line


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("{in 90 s}", 90.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # already past
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date(header, seconds) -> None:
    if header == "{in 90 s}":  # an HTTP date made when the test runs, not when it is collected
        header = (datetime.now(UTC) + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    headers = {"Retry-After": header} if header else {}
    asked = retry_after(Response("https://board.example/jobs", status=429, headers=headers))
    assert asked == (None if seconds is None else pytest.approx(seconds, abs=2))
