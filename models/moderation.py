"""What moderators look at: jobs by status, and where a job came from."""

from __future__ import annotations

import sqlalchemy as sa

from models.tables import Job, JobStatus, Listing, Source, Sponsor


def jobs_with_status(status: str, *, limit: int = 200) -> sa.Select[tuple[Job]]:
    """The review queue oldest first (fair to sponsors); every other status newest first."""
    order = Job.id.asc() if status == JobStatus.PENDING else Job.id.desc()
    return sa.select(Job).where(Job.status == status).order_by(order).limit(limit)


def origins(job_id: int) -> sa.Select[tuple[Listing, Source | None, Sponsor | None]]:
    """A job's listings with the source or sponsor behind each."""
    return (
        sa.select(Listing, Source, Sponsor)
        .outerjoin(Source, Source.id == Listing.source_id)
        .outerjoin(Sponsor, Sponsor.id == Listing.sponsor_id)
        .where(Listing.job_id == job_id)
        .order_by(Listing.id)
    )


def sponsor_listing(job_id: int) -> sa.Select[tuple[Listing]]:
    """The newest sponsor listing of a job: the one an edit re-ingests under."""
    return (
        sa.select(Listing)
        .where(Listing.job_id == job_id, Listing.sponsor_id.is_not(None))
        .order_by(Listing.id.desc())
        .limit(1)
    )


def status_counts() -> sa.Select[tuple[str, int]]:
    return sa.select(Job.status, sa.func.count()).group_by(Job.status)
