"""Views and apply clicks per job, per day and channel (via), for sponsors' stats."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite

from models.db import dialect_of
from models.tables import Click, Job

VIEW = "view"  # the job page counts itself under this via; every other via is an apply click
CHANNELS = ("board", "newsletter", "feed", "api")  # where an apply click came from


def channel(via: str | None) -> str:
    """The channel an apply link was followed from; anything unknown counts as the board."""
    return via if via in CHANNELS else "board"


def record_click(session: so.Session, job_id: int, via: str, day: date) -> None:
    """Count one apply click through `via` (a CHANNELS name); the caller commits."""
    _increment(session, job_id, channel(via), day)


def record_views(session: so.Session, views: Mapping[tuple[str, date], int]) -> None:
    """Add job page views counted by (job slug, day), under the VIEW channel; the caller commits.

    Views are counted by slug because that is what a page request names; slugs of jobs
    that no longer exist are dropped. Rows are written in sorted order, so two workers
    adding their counts at once never deadlock.
    """
    slugs = {slug for slug, _ in views}
    rows = session.execute(sa.select(Job.slug, Job.id).where(Job.slug.in_(slugs)))
    ids = {slug: job_id for slug, job_id in rows}
    by_row = sorted(
        ((ids[slug], day), count) for (slug, day), count in views.items() if slug in ids
    )
    for (job_id, day), count in by_row:
        _increment(session, job_id, VIEW, day, by=count)


def _increment(session: so.Session, job_id: int, via: str, day: date, by: int = 1) -> None:
    """A single UPSERT, so concurrent clicks never lose an increment."""
    dialect = dialect_of(session)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Click).values(job_id=job_id, day=day, via=via, count=by)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Click.job_id, Click.day, Click.via],
            set_={"count": Click.count + by},
        )
    )


def totals_by_via(session: so.Session, job_id: int) -> dict[str, int]:
    """All-time counts of one job by channel, e.g. {"view": 40, "board": 7, "newsletter": 3}."""
    rows = session.execute(
        sa.select(Click.via, sa.func.sum(Click.count))
        .where(Click.job_id == job_id)
        .group_by(Click.via)
        .order_by(Click.via)
    )
    return {via: int(total or 0) for via, total in rows}
