"""The verdict rules of a crawl run, table-driven: only `succeeded` may close listings."""

from __future__ import annotations

import pytest

from models.crawl_runs import RunReport, judge
from models.outcomes import IngestCounts


def report(*, listed=1, scraped=0, rejected=0, failures=(), finish_reason="finished") -> RunReport:
    counts = IngestCounts(created=scraped - rejected, rejected=rejected)
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
        (report(scraped=0), 3, "partial", "the board listed no postings while 3"),
    ],
)
def test_judge(run: RunReport, open_listings: int, status: str, note: str | None) -> None:
    verdict, notes = judge(run, open_listings)
    assert verdict == status
    if note is None:
        assert notes == []
    else:
        assert notes[0].startswith(note)
