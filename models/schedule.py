"""When a source is due for a crawl: the clock asks, the database answers.

Due-ness is derived from the crawl_runs table, never from the clock's memory, so a
restarted or second clock reaches the same answer and no crawl is lost or doubled.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import sources
from models.tables import CrawlRun, Source


def last_starts() -> sa.Select[tuple[int, datetime]]:
    """When each source's latest crawl run started (sources never crawled have no row)."""
    return sa.select(CrawlRun.source_id, sa.func.max(CrawlRun.started_at)).group_by(
        CrawlRun.source_id
    )


def is_due(source: Source, last_start: datetime | None, now: datetime) -> bool:
    """Never crawled, or its last crawl (whatever its outcome) began an interval ago or more."""
    return last_start is None or now - last_start >= timedelta(minutes=source.interval_minutes)


def due_sources(session: so.Session, now: datetime) -> list[Source]:
    """Enabled sources due for a crawl at `now`, in id order."""
    started = dict(session.execute(last_starts()).all())
    return [
        source
        for source in session.scalars(sources.enabled_sources())
        if is_due(source, started.get(source.id), now)
    ]
