"""Views and apply clicks per job, per day and channel (via), for sponsors' stats."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite

from models.db import dialect_of
from models.tables import Click

VIEW = "view"  # the job page counts itself under this via; every other via is an apply click
CHANNELS = ("board", "newsletter", "feed", "api")  # where an apply click came from


def channel(via: str | None) -> str:
    """The channel an apply link was followed from; anything unknown counts as the board."""
    return via if via in CHANNELS else "board"


def record_click(session: so.Session, job_id: int, via: str, day: date) -> None:
    """Count one apply click through `via` (a CHANNELS name); the caller commits."""
    _increment(session, job_id, channel(via), day)


def record_view(session: so.Session, job_id: int, day: date) -> None:
    """Count one view of the job's page, under the VIEW channel; the caller commits."""
    _increment(session, job_id, VIEW, day)


def _increment(session: so.Session, job_id: int, via: str, day: date) -> None:
    """A single UPSERT, so concurrent clicks never lose an increment."""
    dialect = dialect_of(session)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Click).values(job_id=job_id, day=day, via=via, count=1)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Click.job_id, Click.day, Click.via],
            set_={"count": Click.count + 1},
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
