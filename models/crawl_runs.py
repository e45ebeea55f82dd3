"""Crawl runs: the record of every crawl of a source, and the rules that judge it.

A run is `running` from its start, keeps `heartbeat_at` fresh while the crawler
works, and ends `succeeded`, `partial` or `failed`. Only a run that succeeded
closes the listings it did not see: a failed or partial run proves nothing about
absence. At most one run per source is `running` at a time (a partial unique
index is the lease), and a run whose process died is failed once its heartbeat
is older than STALE_AFTER.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from models.lifecycle import close_unseen
from models.outcomes import IngestCounts
from models.tables import CrawlRun, Listing, RunStatus, Source
from models.types import utcnow

STALE_AFTER = timedelta(minutes=10)
MAX_ERRORS = 50
COUNT_FIELDS = ("scraped", "created", "updated", "unchanged", "closed", "rejected")


class AlreadyRunning(RuntimeError):
    """The source has a live run; a second crawl of it at the same time would only race it."""

    def __init__(self, source_id: int, run_id: int | None) -> None:
        super().__init__(f"source {source_id} is already being crawled by run #{run_id}")
        self.source_id = source_id
        self.run_id = run_id


@dataclass
class RunReport:
    """What a crawl saw, gathered by the crawler and judged by `finish`."""

    finish_reason: str = "finished"
    listed: int = 0  # listing payloads read in full
    scraped: int = 0  # postings handed to ingest
    counts: IngestCounts = field(default_factory=IngestCounts)
    failures: list[str] = field(default_factory=list)  # requests that yielded no usable payload


def start(session: so.Session, source_id: int, *, now: datetime | None = None) -> CrawlRun:
    """Open a running run for the source, or raise AlreadyRunning if it has a live one."""
    now = now or utcnow()
    run = CrawlRun(source_id=source_id, started_at=now, heartbeat_at=now, status=RunStatus.RUNNING)
    try:
        with session.begin_nested():
            session.add(run)
    except sa.exc.IntegrityError as exc:
        raise AlreadyRunning(source_id, _running_run_id(session, source_id)) from exc
    return run


def _running_run_id(session: so.Session, source_id: int) -> int | None:
    return session.scalar(
        sa.select(CrawlRun.id).where(
            CrawlRun.source_id == source_id, CrawlRun.status == RunStatus.RUNNING
        )
    )


RunKey = tuple[int, str | None]  # a run's id and token: what names it to its crawler


def those(keys: Sequence[RunKey]) -> sa.ColumnElement[bool]:
    """The runs of these keys, and no later run given one of their ids: SQLite reuses the
    ids of rows removed with their source."""
    return sa.tuple_(CrawlRun.id, CrawlRun.token).in_(list(keys))


def current(session: so.Session, key: RunKey) -> CrawlRun | None:
    """The crawler's run as stored now; None once it is gone (its source was removed)."""
    return session.execute(
        sa.select(CrawlRun).where(those([key])).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def beat(session: so.Session, keys: Sequence[RunKey], *, now: datetime | None = None) -> None:
    """Prove the crawler is alive, so its runs are not taken for dead ones."""
    session.execute(
        sa.update(CrawlRun)
        .where(those(keys), CrawlRun.status == RunStatus.RUNNING)
        .values(heartbeat_at=now or utcnow())
    )


def fail_stale(
    session: so.Session, *, now: datetime | None = None, stale_after: timedelta = STALE_AFTER
) -> int:
    """Fail running runs whose heartbeat stopped (their process died); returns how many."""
    now = now or utcnow()
    stale = session.scalars(
        sa.select(CrawlRun).where(
            CrawlRun.status == RunStatus.RUNNING, CrawlRun.heartbeat_at < now - stale_after
        )
    ).all()
    for run in stale:
        fail(run, f"crawler died: no heartbeat since {run.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC", now)
    return len(stale)


def fail(run: CrawlRun, reason: str, now: datetime | None = None) -> CrawlRun:
    """End a run that could not finish by itself (crashed, timed out, stale)."""
    run.status = RunStatus.FAILED
    run.finished_at = now or utcnow()
    run.finish_reason = run.finish_reason or reason[:100]
    run.errors = [*(run.errors or []), reason][:MAX_ERRORS]
    return run


def judge(report: RunReport, open_listings: int) -> tuple[str, list[str]]:
    """The run's status and why; only `succeeded` lets absent listings close.

    - a failed request, an early finish, or no listing read at all: failed if nothing
      was scraped, else partial;
    - every scraped posting rejected: failed (nothing could be stored);
    - a rejected posting without an id: partial (its listing cannot be told seen, so a
      clean run would close the job of an opening the board still lists);
    - more than half of the scraped postings rejected: partial (the payload's shape
      probably changed, and absence proves nothing);
    - nothing scraped while the source has open listings: partial (an unknown board
      can answer 200 with an empty list; expiry handles a board that really emptied).
    """
    notes = list(report.failures)
    if report.finish_reason != "finished":
        notes.append(f"crawl ended early: {report.finish_reason}")
    if report.listed == 0 and not notes:
        notes.append("no listing payload was read")
    if notes:
        return (RunStatus.FAILED if report.scraped == 0 else RunStatus.PARTIAL), notes
    if report.scraped and report.counts.rejected >= report.scraped:
        return RunStatus.FAILED, [f"all {report.scraped} postings rejected; nothing stored"]
    if report.counts.unkeyed:
        return RunStatus.PARTIAL, [
            f"{report.counts.unkeyed} posting(s) rejected without an id, so their listings"
            " cannot be told seen; closing nothing"
        ]
    if report.counts.rejected * 2 > report.scraped:
        return RunStatus.PARTIAL, [
            f"{report.counts.rejected} of {report.scraped} postings rejected; closing nothing"
        ]
    if report.scraped == 0 and open_listings:
        return RunStatus.PARTIAL, [
            f"the board listed no postings while {open_listings} listings are open; closing nothing"
        ]
    return RunStatus.SUCCEEDED, []


def finish(
    session: so.Session,
    key: RunKey,
    report: RunReport,
    *,
    now: datetime | None = None,
) -> CrawlRun | None:
    """Record the outcome; after a clean run, close what the source no longer lists.

    None if the run is gone: its source was removed during the crawl.
    """
    now = now or utcnow()
    run = current(session, key)
    if run is None or run.status != RunStatus.RUNNING:  # failed meanwhile as stale: it stands
        return run
    status, notes = judge(report, _open_listings(session, run.source_id))
    run.status = status
    run.finished_at = run.heartbeat_at = now
    run.finish_reason = report.finish_reason[:100]
    run.scraped = report.scraped
    for name in ("created", "updated", "unchanged", "rejected"):
        setattr(run, name, getattr(report.counts, name))
    run.errors = [*notes, *report.counts.notes()][:MAX_ERRORS]
    if status == RunStatus.SUCCEEDED:
        run.closed = close_unseen(session, run.source_id, run.id, now=now)
        session.execute(
            sa.update(Source).where(Source.id == run.source_id).values(last_success_at=now)
        )
    return run


def _open_listings(session: so.Session, source_id: int) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Listing)
            .where(Listing.source_id == source_id, Listing.closed_at.is_(None))
        )
        or 0
    )


def recent(limit: int = 20) -> sa.Select[tuple[CrawlRun]]:
    """Newest runs first, for `jobboard runs` and the admin."""
    return sa.select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
