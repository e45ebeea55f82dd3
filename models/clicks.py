"""Views and apply clicks per job, per day and channel (via), for sponsors' stats."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from models.tables import Click

VIEW = "view"  # the job page counts itself under this via; every other via is an apply click


def totals_by_via(session: so.Session, job_id: int) -> dict[str, int]:
    """All-time counts of one job by channel, e.g. {"view": 40, "board": 7, "newsletter": 3}."""
    rows = session.execute(
        sa.select(Click.via, sa.func.sum(Click.count))
        .where(Click.job_id == job_id)
        .group_by(Click.via)
        .order_by(Click.via)
    )
    return {via: int(total or 0) for via, total in rows}
