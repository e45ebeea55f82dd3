"""Fingerprints of what a page of jobs shows, for conditional GETs that cost one small query.

A fingerprint covers everything a feed or API answer renders from the database: which
jobs, in which order, their `updated_at` (every content change bumps it), whether each
is featured right now (that flips when `featured_until` passes, without a write), and
the company details shown beside them. Equal fingerprints mean equal answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import pagination, queries
from models.tables import Company, Job


@dataclass(frozen=True)
class CatalogState:
    """The catalog's version token and when any job last changed (None while there is none)."""

    version: str
    changed_at: datetime | None


def catalog_state(session: so.Session) -> CatalogState:
    """The catalog's version, a token that changes whenever any job is added or changed, and
    its newest `updated_at`, from two index lookups.

    Jobs are never deleted and every change bumps `updated_at`, so the newest `updated_at`
    and the highest id move on every write that can change a public answer, and the newest
    `updated_at` never goes back. Two things change answers without moving them, so readers
    bound how long they trust a token: the clock (featured placements running out, "posted
    within" windows) and a company's website or logo being filled in.
    """
    newest, highest = session.execute(
        sa.select(sa.func.max(Job.updated_at), sa.func.max(Job.id))
    ).one()
    return CatalogState(f"{_plain(newest)}/{highest}", newest)


def catalog_version(session: so.Session) -> str:
    return catalog_state(session).version


def page_fingerprint(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> str:
    """Digest of the page `fetch_page` would return at `now`, by a narrow select of that query."""
    stmt = (
        pagination.page_query(session, filters, limit=limit, cursor=cursor, now=now)
        .with_only_columns(
            Job.id,
            Job.updated_at,
            queries.featured_rank(now),
            Company.name,
            Company.website,
            Company.logo_url,
        )
        .join(Company, Company.id == Job.company_id)
    )
    return _digest(session.execute(stmt))


def job_fingerprint(job: Job, now: datetime) -> str:
    """Digest of one loaded job, matching what `page_fingerprint` sees of it."""
    company = job.company
    row = (job.id, job.updated_at, int(job.is_featured(now)))
    return _digest([(*row, company.name, company.website, company.logo_url)])


def changed_at(job: Job, now: datetime) -> datetime:
    """When the job's public view last changed: an edit, or its featured placement running out."""
    if job.featured_until is not None and job.featured_until <= now:
        return max(job.updated_at, job.featured_until)
    return job.updated_at


def _digest(rows: Iterable[Any]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(tuple(_plain(value) for value in row)).encode())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """Datetimes as ISO text, so SQLite and PostgreSQL rows digest alike."""
    return value.isoformat() if isinstance(value, datetime) else value
