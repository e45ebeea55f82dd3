"""Keyset pages with opaque cursors, shared by the board, the API and the feeds."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import queries
from models.db import dialect_of
from models.tables import MAX_ID, Job
from models.types import utcnow

_BIGINT = 2**63


class InvalidCursor(ValueError):
    """A cursor that this server did not issue (or that belongs to another sort)."""


@dataclass(frozen=True)
class Page:
    items: list[Job]
    next_cursor: str | None


def _bigint(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -_BIGINT <= value < _BIGINT:
        raise ValueError(value)
    return value


def _score(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(value)
    return float(value)


def _row_id(value: Any) -> int:
    """A job id: an INTEGER column, so PostgreSQL refuses to compare it with a larger number."""
    if _bigint(value) > MAX_ID or value < -MAX_ID - 1:
        raise ValueError(value)
    return value


def _timestamp(value: Any) -> datetime:
    """An aware time that UTC can hold (year 1 east of Greenwich cannot be stored)."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(value)
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(value) from exc


# What each sort's cursor holds, in key order; every value is checked before it reaches SQL.
_CURSOR_FIELDS: dict[str, tuple[Callable[[Any], Any], ...]] = {
    "newest": (_bigint, _timestamp, _row_id),
    "salary": (_bigint, _row_id),
    "relevance": (_score, _row_id),
}


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
    fields, values = _CURSOR_FIELDS[sort], raw[1:]
    if len(values) != len(fields):
        raise InvalidCursor("cursor is not valid")
    try:
        return tuple(parse(value) for parse, value in zip(fields, values, strict=True))
    except (TypeError, ValueError) as exc:
        raise InvalidCursor("cursor is not valid") from exc


def page_query(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    limit: int,
    cursor: str | None = None,
    now: datetime | None = None,
    candidates: Sequence[int] | None = None,
    unfeatured: Sequence[int] | None = None,
) -> sa.Select:
    """One page as a select of (Job, *keyset values); one extra row tells if a next page exists.

    `candidates`, a search's newest matches when the caller knows them already, spare a
    relevance page from finding them again; `unfeatured`, the jobs a "newest" page takes
    after the featured ones when the caller knows them (`unfeatured_resume`), spare it the
    walk that finds them.
    """
    now = now or utcnow()
    dialect = dialect_of(session)
    order = queries.board_order(filters, dialect=dialect, now=now, candidates=candidates)
    values = decode_cursor(cursor, order.sort) if cursor else None
    if order.sort == "newest":
        scan = max(limit + 1, queries.SEARCH_CANDIDATES) if _words_only(filters) else limit + 1
        return _featured_then_newest(
            order.stmt, values, limit=limit, scan=scan, now=now, unfeatured=unfeatured
        )
    stmt = order.stmt
    if values is not None:
        stmt = queries.after(stmt, order.keys, values)
    ids = (
        stmt.with_only_columns(*(key.label(f"key_{i}") for i, key in enumerate(order.keys)))
        .order_by(*(key.desc() for key in order.keys))
        .limit(limit + 1)
        .subquery("page_ids")
    )
    return _rows_of(ids, tuple(ids.c))


def _words_only(filters: queries.JobFilters) -> bool:
    """Search words are all that narrows the jobs: then each branch reads SEARCH_CANDIDATES.

    For a word PostgreSQL cannot tell is rare, walking the posted_at index and testing
    each job could read the whole table (100k jobs: ~280 ms); asking for 1,000 matches
    makes it scan the GIN index and sort the few matches instead, while a common word's
    walk still stops early. With other filters as well, the walk stops at the page:
    1,000 jobs matching every filter would cost more to find.
    """
    unfiltered = replace(filters, q=None, sort="newest") == queries.JobFilters()
    return bool(filters.search_text) and unfiltered


def unfeatured_resume(cursor: str | None) -> tuple[datetime, int] | None:
    """Where a "newest" page resumes among the jobs not featured: after this (posted_at, id),
    or from the newest (None) when the cursor is still among the featured ones, or absent."""
    if cursor is None:
        return None
    rank, posted_at, job_id = _newest_keys(decode_cursor(cursor, "newest"))
    return (posted_at, job_id) if rank == 0 else None


def _newest_keys(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A "newest" cursor's (rank, posted_at, id), whose rank says featured (1) or not (0)."""
    if values[0] not in (0, 1):
        raise InvalidCursor("cursor is not valid")
    return values


def _featured_then_newest(
    stmt: sa.Select,
    values: tuple[Any, ...] | None,
    *,
    limit: int,
    scan: int,
    now: datetime,
    unfeatured: Sequence[int] | None = None,
) -> sa.Select:
    """The "newest" page as two (posted_at, id)-ordered scans, featured then the rest, in a UNION.

    Ordering every match by the featured CASE reads and sorts all of them (100k jobs: a full
    scan per page); each branch here walks the published (posted_at, id) index, or the
    featured_until one, and stops after `scan` rows; only the page's limit + 1 ids are then
    joined to their rows. Keys and cursors stay (rank, posted, id). Given the `unfeatured`
    jobs' ids, their branch reads only those.
    """
    if values is not None:
        values = _newest_keys(values)
    branches = []
    not_featured = sa.or_(Job.featured_until.is_(None), Job.featured_until <= now)
    for rank, part in ((1, Job.featured_until > now), (0, not_featured)):
        if values is not None and rank > values[0]:
            continue  # this whole branch comes before the cursor
        branch = stmt.where(part)
        if values is not None and rank == values[0]:
            branch = queries.after(branch, (Job.posted_at, Job.id), values[1:])
        if rank == 0 and unfeatured is not None:
            branch = branch.where(Job.id.in_(unfeatured))
        newest = (
            branch.with_only_columns(Job.id, sa.literal(rank).label("rank"), Job.posted_at)
            .order_by(Job.posted_at.desc(), Job.id.desc())
            .limit(scan)
        )
        branches.append(sa.select(newest.subquery()))
    union = sa.union_all(*branches).subquery("candidates")
    ordered = (union.c.rank.desc(), union.c.posted_at.desc(), union.c.id.desc())
    ids = sa.select(union).order_by(*ordered).limit(limit + 1).subquery("page_ids")
    return _rows_of(ids, (ids.c.rank, ids.c.posted_at, ids.c.id))


def _rows_of(ids: sa.Subquery, keys: tuple[sa.ColumnElement, ...]) -> sa.Select:
    """The jobs of a page's keys (the last one a job id), with the keys, in their order.

    A page is chosen from its keys alone and only then joined to its rows (and their
    companies): a relevance page ranks 1,000 candidates, and joining every one of them
    before the sort cost 6,000 buffer reads for 51 rows.
    """
    joined = sa.select(Job, *keys).join(ids, keys[-1] == Job.id)
    return joined.order_by(*(key.desc() for key in keys))


def fetch_page(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    limit: int,
    cursor: str | None = None,
    now: datetime | None = None,
    candidates: Sequence[int] | None = None,
    unfeatured: Sequence[int] | None = None,
) -> Page:
    """One page of published jobs matching `filters`, in one query (see `page_query`)."""
    now = now or utcnow()
    stmt = page_query(
        session,
        filters,
        limit=limit,
        cursor=cursor,
        now=now,
        candidates=candidates,
        unfeatured=unfeatured,
    )
    rows = session.execute(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(filters.effective_sort, tuple(rows[-1][1:])) if more else None
    return Page([row[0] for row in rows], next_cursor)


def count(session: so.Session, filters: queries.JobFilters, *, now: datetime | None = None) -> int:
    """How many published jobs match `filters`; a search stops at SEARCH_CANDIDATES + 1.

    Past that a search's page says "1,000+": counting every job a common word matches
    costs a scan of most of the catalog.
    """
    dialect = dialect_of(session)
    stmt = queries.with_filters(queries.published_jobs(), filters, dialect=dialect, now=now)
    stmt = stmt.with_only_columns(Job.id)
    if filters.search_text:
        stmt = stmt.limit(queries.SEARCH_CANDIDATES + 1)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    return total or 0
