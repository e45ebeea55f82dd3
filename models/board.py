"""What the seeker's board shows: a page of results with its facets, and jobs by slug or code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import pagination, queries
from models.db import dialect_of
from models.facet_index import FacetIndex
from models.tables import Job, JobStatus
from models.types import utcnow

SEEKABLE = (JobStatus.PUBLISHED, JobStatus.CLOSED, JobStatus.EXPIRED)  # pending/rejected: 404
GONE = (JobStatus.CLOSED, JobStatus.EXPIRED)  # their pages answer 410


@dataclass(frozen=True)
class Results:
    filters: queries.JobFilters
    page: pagination.Page
    total: int
    facets: dict[str, list[tuple[str, int]]]

    @property
    def counted_only_some(self) -> bool:
        """A search matched more jobs than it counts: its total and facets cover the newest."""
        return bool(self.filters.search_text) and self.total > queries.SEARCH_CANDIDATES

    @property
    def ranked_only_some(self) -> bool:
        """Relevance ranks the newest SEARCH_CANDIDATES matches; say so when there are more."""
        return self.filters.effective_sort == "relevance" and self.counted_only_some


def search(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    limit: int,
    cursor: str | None = None,
    now: datetime | None = None,
    index: FacetIndex | None = None,
) -> Results:
    """One board page, how many jobs match in all, and every facet: a fixed number of queries.

    With an `index` of the current catalog version, the total and the facets come from
    it (one query in all); searches and boards without one count in SQL (four queries).
    """
    now = now or utcnow()
    page = pagination.fetch_page(session, filters, limit=limit, cursor=cursor, now=now)
    if index is not None and index.serves(filters):
        return Results(filters, page, index.count(filters, now), index.facets(filters, now))
    total = pagination.count(session, filters, now=now)
    return Results(filters, page, total, queries.facet_counts(session, filters, now=now))


def seekable_job(session: so.Session, *, slug: str | None = None, code: str | None = None):
    """A job by slug or apply code, unless it never was public (pending or rejected)."""
    stmt = queries.job_by_slug(slug) if slug is not None else queries.job_by_code(code or "")
    return session.scalar(stmt.where(Job.status.in_(SEEKABLE)))


def is_gone(job: Job) -> bool:
    return job.status in GONE


def similar_jobs(session: so.Session, job: Job, *, now: datetime | None = None) -> list[Job]:
    """A few open jobs like a closed one, so its 410 page still helps the seeker."""
    dialect = dialect_of(session)
    return list(session.scalars(queries.similar_jobs(job, dialect=dialect, now=now or utcnow())))


def sitemap_parts(session: so.Session, size: int) -> list[tuple[int, datetime]]:
    """(part number, last change) of each id range of `size` that holds open jobs."""
    part = Job.id // size
    stmt = (
        sa.select(part, sa.func.max(Job.updated_at))
        .where(Job.status == JobStatus.PUBLISHED)
        .group_by(part)
        .order_by(part)
    )
    return [(int(number), changed) for number, changed in session.execute(stmt)]


def sitemap_entries(session: so.Session, part: int, size: int) -> list[tuple[str, datetime]]:
    """(slug, last change) of the open jobs in one id range, for one sitemap file."""
    stmt = (
        sa.select(Job.slug, Job.updated_at)
        .where(Job.status == JobStatus.PUBLISHED, Job.id >= part * size, Job.id < (part + 1) * size)
        .order_by(Job.id)
    )
    return [(slug, changed) for slug, changed in session.execute(stmt)]
