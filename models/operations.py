"""Numbers for operators: what /healthz and /metrics report about the data and the crawls."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from models.tables import CrawlRun, Job, Source


def jobs_by_status() -> sa.Select[tuple[str, int]]:
    return sa.select(Job.status, sa.func.count()).group_by(Job.status)


def runs_by_status() -> sa.Select[tuple[str, int]]:
    return sa.select(CrawlRun.status, sa.func.count()).group_by(CrawlRun.status)


def sources_last_success() -> sa.Select[tuple[int, str, str, datetime]]:
    """Each source that has ever crawled cleanly, with when it last did."""
    return (
        sa.select(Source.id, Source.kind, Source.company, Source.last_success_at)
        .where(Source.last_success_at.is_not(None))
        .order_by(Source.id)
    )


def last_success(session: so.Session) -> datetime | None:
    """When any source last finished a clean crawl; None if none ever has."""
    return session.scalar(sa.select(sa.func.max(Source.last_success_at)))


def counts(session: so.Session, query: sa.Select[tuple[str, int]], known: tuple[str, ...]) -> dict:
    """A status -> count mapping with every known status present (zero when absent)."""
    return {status: 0 for status in known} | dict(session.execute(query).all())
