"""Keyset pages with opaque cursors, shared by the board, the API and the feeds."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import queries
from models.tables import Job
from models.types import utcnow


class InvalidCursor(ValueError):
    """A cursor that this server did not issue (or that belongs to another sort)."""


@dataclass(frozen=True)
class Page:
    items: list[Job]
    next_cursor: str | None


def encode_cursor(sort: str, values: tuple[Any, ...]) -> str:
    payload = [sort, *(v.isoformat() if isinstance(v, datetime) else v for v in values)]
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, ...]:
    """Parse and type-check a cursor; anything forged raises InvalidCursor."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as exc:
        raise InvalidCursor("cursor is not valid") from exc
    if not isinstance(raw, list) or not raw or raw[0] != sort:
        raise InvalidCursor("cursor is not valid for this sort")
    values = raw[1:]
    try:
        if sort == "salary" and len(values) == 2:
            return (int(values[0]), int(values[1]))
        if sort == "newest" and len(values) == 3:
            return (int(values[0]), datetime.fromisoformat(values[1]), int(values[2]))
    except (TypeError, ValueError) as exc:
        raise InvalidCursor("cursor is not valid") from exc
    raise InvalidCursor("cursor is not valid")


def _key_of(job: Job, sort: str, now: datetime) -> tuple[Any, ...]:
    if sort == "salary":
        return (job.salary_annual_max if job.salary_annual_max is not None else -1, job.id)
    return (1 if job.is_featured(now) else 0, job.posted_at, job.id)


def fetch_page(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    limit: int,
    cursor: str | None = None,
    now: datetime | None = None,
) -> Page:
    """One page of published jobs matching `filters`, in one query."""
    now = now or utcnow()
    stmt = page_query(session, filters, limit=limit, cursor=cursor, now=now)
    jobs: list[Job] = list(session.scalars(stmt).unique())
    more = len(jobs) > limit
    jobs = jobs[:limit]
    next_cursor = (
        encode_cursor(filters.sort, _key_of(jobs[-1], filters.sort, now)) if more else None
    )
    return Page(jobs, next_cursor)


def page_query(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> sa.Select:
    """The select of a page plus one row (to tell if more follow); feeds fingerprint it too."""
    dialect = session.get_bind().dialect.name
    stmt = queries.with_filters(queries.published_jobs(), filters, dialect=dialect, now=now)
    if cursor:
        stmt = queries.after(stmt, filters.sort, now, decode_cursor(cursor, filters.sort))
    return queries.ordered(stmt, filters.sort, now).limit(limit + 1)


def count(session: so.Session, filters: queries.JobFilters, *, now: datetime | None = None) -> int:
    dialect = session.get_bind().dialect.name
    stmt = queries.with_filters(queries.published_jobs(), filters, dialect=dialect, now=now)
    return (
        session.scalar(
            sa.select(sa.func.count()).select_from(stmt.with_only_columns(Job.id).subquery())
        )
        or 0
    )
