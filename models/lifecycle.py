"""State changes of jobs as verbs, shared by the admin, the sponsor API, the CLI and the clock.

Each verb changes rows in the caller's session and leaves the commit to the caller,
except the bulk clock jobs, which are single UPDATE statements.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import config
from models.tables import Job, JobStatus, Listing
from models.types import utcnow


class TransitionError(ValueError):
    """A verb that makes no sense from the job's current status (e.g. publishing a closed job)."""


def first_published_at(
    status: str, published_at: datetime | None, now: datetime
) -> datetime | None:
    """A job's published_at once it moves to `status` at `now`: the first time it is
    published, and from then on never again.

    Every path that makes a job public (ingest's insert and reopening, a moderator's
    approval) asks this, so the newsletter announces a job once: an edit, a re-read, a
    placement ending, a hold for review or a close and return change updated_at, never this.
    """
    if published_at is None and status == JobStatus.PUBLISHED:
        return now
    return published_at


def _move(job: Job, verb: str, to: str, allowed_from: tuple[str, ...], now: datetime | None) -> Job:
    """Move the job to status `to`; the error names the `verb` asked for ("cannot publish...")."""
    if job.status not in allowed_from:
        raise TransitionError(f"cannot {verb} a job that is {job.status}")
    now = now or utcnow()
    job.status = to
    job.updated_at = now
    job.published_at = first_published_at(to, job.published_at, now)
    return job


def publish(job: Job, *, now: datetime | None = None) -> Job:
    """Approve a pending job (or re-open a rejected one) so seekers can see it."""
    return _move(job, "publish", JobStatus.PUBLISHED, (JobStatus.PENDING, JobStatus.REJECTED), now)


def reject(job: Job, *, now: datetime | None = None) -> Job:
    return _move(job, "reject", JobStatus.REJECTED, (JobStatus.PENDING, JobStatus.PUBLISHED), now)


def hold_for_review(job: Job, *, now: datetime | None = None) -> Job:
    """Take a published job back to moderation after an untrusted sponsor changed it."""
    return _move(job, "hold for review", JobStatus.PENDING, (JobStatus.PUBLISHED,), now)


def close(job: Job, *, now: datetime | None = None) -> Job:
    """The opening is filled or withdrawn; its page answers 410 from now on, or 404 when it
    was never reviewed (see Job.ended_in_review)."""
    now = now or utcnow()
    in_review = job.status == JobStatus.PENDING
    _move(job, "close", JobStatus.CLOSED, (JobStatus.PENDING, JobStatus.PUBLISHED), now)
    job.ended_in_review = in_review
    job.closed_at = now
    return job


def feature_until(job: Job, until: datetime | None, *, now: datetime | None = None) -> Job:
    """Pin the job to the top of the board, feeds and newsletter until `until` (None unfeatures).

    Only an open job: a closed one featured would come back featured, unasked, if its listing
    returned, as a rejected one would once approved."""
    if until is not None and job.status not in JobStatus.OPEN:
        raise TransitionError(f"cannot feature it: it is {job.status}")
    job.featured_until = until
    job.updated_at = now or utcnow()
    return job


def sighting_resolution() -> timedelta:
    """How far a job's last_seen_at may lag behind its last sighting: a day, or a 24th of the
    window expiry counts in, if that is shorter.

    Expiry reads the date in days; writing every sighting of an unchanged job would rewrite
    its row on every crawl, and a row over half a page with new index entries too (a crawl
    every six hours rewrote each such job four times a day; now once).
    """
    return min(timedelta(days=1), timedelta(days=config.stale_days()) / 24)


def expire_stale(
    session: so.Session, *, now: datetime | None = None, stale_days: int | None = None
) -> int:
    """Expire open jobs past valid_through or unseen for JOBBOARD_STALE_DAYS; returns how many."""
    now = now or utcnow()
    cutoff = now - timedelta(days=stale_days if stale_days is not None else config.stale_days())
    result = session.execute(
        sa.update(Job)
        .where(
            Job.status.in_(JobStatus.OPEN),
            sa.or_(Job.valid_through < now, Job.last_seen_at < cutoff),
        )
        .values(
            status=JobStatus.EXPIRED,
            closed_at=now,
            updated_at=now,
            ended_in_review=Job.status == JobStatus.PENDING,  # the status before this update
        )
    )
    return result.rowcount or 0


def end_featuring(session: so.Session, *, now: datetime | None = None) -> int:
    """Clear featured_until once it has passed, so feeds change their ETag when placement ends."""
    now = now or utcnow()
    result = session.execute(
        sa.update(Job)
        .where(Job.featured_until.is_not(None), Job.featured_until <= now)
        .values(featured_until=None, updated_at=now)
    )
    return result.rowcount or 0


# A job some source or sponsor still lists: one that lists none any more may close.
STILL_LISTED = sa.exists().where(Listing.job_id == Job.id, Listing.closed_at.is_(None))


def close_unseen(
    session: so.Session, source_id: int, run_id: int, *, now: datetime | None = None
) -> int:
    """After a clean run, close this source's listings it did not see, and jobs left with none.

    Only call this for a run that succeeded cleanly: a failed or partial run
    proves nothing about absence. Returns the number of jobs closed.
    """
    now = now or utcnow()
    unseen = (
        session.execute(
            sa.update(Listing)
            .where(
                Listing.source_id == source_id,
                Listing.closed_at.is_(None),
                sa.or_(Listing.last_run_id.is_(None), Listing.last_run_id != run_id),
            )
            .values(closed_at=now)
            .returning(Listing.job_id)
        )
        .scalars()
        .all()
    )
    if not unseen:
        return 0
    # Lock the jobs first, then look for their open listings in a statement of its own: another
    # source's ingest may be joining one of them (it holds the job's row until it commits), and
    # in one UPDATE the check would still read the listings as they were before the wait, closing
    # a job that source lists. PostgreSQL; SQLite runs one writer at a time.
    candidates = session.scalars(
        sa.select(Job.id)
        .where(Job.id.in_(sorted(set(unseen))), Job.status.in_(JobStatus.OPEN))
        .order_by(Job.id)
        .with_for_update()
    ).all()
    if not candidates:
        return 0
    result = session.execute(
        sa.update(Job)
        .where(Job.id.in_(candidates), ~STILL_LISTED)
        .values(status=JobStatus.CLOSED, closed_at=now, updated_at=now)
    )
    return result.rowcount or 0
