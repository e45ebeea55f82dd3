"""Featured placements: which days may be chosen, and how many a sponsor may hold at once.

A moderator may feature any job. A sponsor features its own, through the API, up to its
`featured_quota` of jobs featured at the same time: the placement it paid for, which the
operator sets (`jobboard sponsors quota`). Both pick a day, and the job leads the board,
the feeds and the newsletter until that day ends (UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import lifecycle
from models.sponsor_postings import own_job_ids
from models.tables import Job, JobStatus, Sponsor
from models.types import utcnow

MAX_DAYS_AHEAD = 366  # a slip of the year (2207 for 2027) must not pin a job for ever


class FeaturingRefused(ValueError):
    """A sponsor's request to feature a job that its quota or the job's state refuses."""


def day_problem(day: date, today: date) -> str | None:
    """Why a job cannot be featured until the end of `day`, or None when it can."""
    if day < today:
        return "Pick today or a later date."
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        return "Pick a date within a year from today."
    return None


def end_of(day: date) -> datetime:
    """The end of the chosen day, UTC: a placement lasts the whole of its last day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def featured_now(session: so.Session, sponsor_id: int, now: datetime) -> list[int]:
    """Ids of the sponsor's open jobs featured now, whoever featured them."""
    owned = own_job_ids(sponsor_id)
    return list(
        session.scalars(
            sa.select(Job.id)
            .where(Job.id.in_(owned), Job.status.in_(JobStatus.OPEN), Job.featured_until > now)
            .order_by(Job.id)
        )
    )


def feature_own(
    session: so.Session, sponsor: Sponsor, job: Job, day: date, *, now: datetime | None = None
) -> Job:
    """Feature one of the sponsor's jobs until the end of `day`, within its quota.

    A job featured already may move its day without taking another placement. The
    sponsor's row is locked first, so two requests at once cannot both take the last one.
    The caller checks `day_problem` and that the job is the sponsor's.
    """
    now = now or utcnow()
    session.execute(sa.select(Sponsor.id).where(Sponsor.id == sponsor.id).with_for_update())
    if job.status not in JobStatus.OPEN:
        raise FeaturingRefused(f"A {job.status} job cannot be featured.")
    others = [job_id for job_id in featured_now(session, sponsor.id, now) if job_id != job.id]
    if len(others) >= sponsor.featured_quota:
        used = ", ".join(map(str, others)) or "none"
        raise FeaturingRefused(
            f"Your quota is {sponsor.featured_quota} featured job(s) at a time "
            f"(featured now: {used}); unfeature one, or ask us for a larger quota."
        )
    return lifecycle.feature_until(job, end_of(day), now=now)
