"""Named queries shared by the board, the JSON API, the feeds and the newsletter.

Each function returns or refines a `Select`, so callers compose scopes
(`published_jobs()` -> `with_filters(...)` -> `ordered(...)`) instead of restating
conditions, and the board and the API can never disagree about what matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from models import search
from models.tables import Company, Job, JobStatus
from models.types import utcnow

SORTS = ("newest", "salary")


@dataclass(frozen=True)
class JobFilters:
    """What a seeker (or the newsletter build) asked for; every field optional."""

    q: str | None = None
    location: str | None = None
    country: str | None = None
    remote: str | None = None
    employment_type: str | None = None
    seniority: str | None = None
    tags: tuple[str, ...] = ()
    company: str | None = None  # company slug
    salary_min: int | None = None  # annualized, in the job's currency
    posted_within: int | None = None  # days
    since: datetime | None = None  # published or changed after
    featured: bool | None = None
    sort: str = "newest"


def published_jobs() -> sa.Select[tuple[Job]]:
    """Jobs seekers may see."""
    return sa.select(Job).where(Job.status == JobStatus.PUBLISHED)


def featured_rank(now: datetime) -> sa.ColumnElement[int]:
    """1 while a job's featured placement runs, else 0; featured jobs sort first."""
    return sa.case((Job.featured_until > now, 1), else_=0)


def with_filters(
    stmt: sa.Select, filters: JobFilters, *, dialect: str, now: datetime | None = None
) -> sa.Select:
    """Narrow `stmt` (a select of Job) by every filter that is set."""
    now = now or utcnow()
    if filters.q and filters.q.strip():
        stmt = stmt.where(search.matches(dialect, filters.q.strip()))
    if filters.location:
        stmt = stmt.where(Job.location.ilike(f"%{_escape_like(filters.location)}%", escape="\\"))
    if filters.country:
        stmt = stmt.where(Job.country == filters.country.upper())
    if filters.remote:
        stmt = stmt.where(Job.remote == filters.remote)
    if filters.employment_type:
        stmt = stmt.where(Job.employment_type == filters.employment_type)
    if filters.seniority:
        stmt = stmt.where(Job.seniority == filters.seniority)
    for tag in filters.tags:
        stmt = stmt.where(has_tag(dialect, tag))
    if filters.company:
        stmt = stmt.where(
            Job.company_id.in_(sa.select(Company.id).where(Company.slug == filters.company))
        )
    if filters.salary_min is not None:
        stmt = stmt.where(Job.salary_annual_max >= filters.salary_min)
    if filters.posted_within is not None:
        stmt = stmt.where(Job.posted_at >= now - timedelta(days=filters.posted_within))
    if filters.since is not None:
        stmt = stmt.where(Job.updated_at > filters.since)
    if filters.featured is not None:
        featured = Job.featured_until > now
        stmt = stmt.where(
            featured if filters.featured else sa.or_(Job.featured_until.is_(None), ~featured)
        )
    return stmt


def has_tag(dialect: str, tag: str) -> sa.ColumnElement[bool]:
    """The job carries `tag`: JSONB containment (GIN-indexed) on PostgreSQL, json_each on SQLite."""
    if dialect == "postgresql":
        return Job.tags.op("@>")(sa.func.jsonb_build_array(tag))
    each = sa.select(sa.literal(1)).select_from(sa.func.json_each(Job.tags).table_valued("value"))
    return sa.exists(each.where(sa.literal_column("value") == tag))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sort_keys(sort: str, now: datetime) -> tuple[sa.ColumnElement, ...]:
    """The keyset columns of a sort, all descending, ending in the unique id."""
    if sort == "salary":
        return (sa.func.coalesce(Job.salary_annual_max, -1), Job.id)
    return (featured_rank(now), Job.posted_at, Job.id)


def ordered(stmt: sa.Select, sort: str, now: datetime) -> sa.Select:
    return stmt.order_by(*(key.desc() for key in sort_keys(sort, now)))


def after(stmt: sa.Select, sort: str, now: datetime, cursor_values: tuple) -> sa.Select:
    """Rows strictly after the cursor in the sort's (descending) order: keyset, never OFFSET."""
    keys = sort_keys(sort, now)
    return stmt.where(
        sa.tuple_(*keys)
        < sa.tuple_(*(sa.literal(v, key.type) for v, key in zip(cursor_values, keys, strict=True)))
    )


def job_by_slug(slug: str) -> sa.Select[tuple[Job]]:
    return sa.select(Job).where(Job.slug == slug)


def job_by_code(code: str) -> sa.Select[tuple[Job]]:
    return sa.select(Job).where(Job.code == code)
