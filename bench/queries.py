"""Board query latency at 100k jobs on PostgreSQL: every query a board page runs, per filter.

A board page runs the page itself, then its total and its facets (`models.board.search`):
from the worker's facet index when it holds the current catalog; for a search, SQL first
says which of the index's newest ids its words match (and finds the matches itself when
too few of those do). Each part is timed through the same model
functions the board calls, for no filter, each filter, a common and a rare search word
(newest and relevance order), the salary sort, the newsletter's `since`, and a cursor 200
pages deep. The reference is a primary-key lookup of one job: one round trip to the server.

Apart from those, and not held to the target: the facet index's load (a background
thread's work after each catalog change, see api.facet_indexes) and the SQL the board
falls back on while a load is under way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from bench.common import time_calls
from bench.dataset import RARE_WORD
from models import board, lifecycle, newsletter, pagination
from models.db import make_engine, make_session_factory
from models.facet_index import FacetIndex
from models.queries import JobFilters, without_columns
from models.tables import Company, Job, JobStatus
from models.types import utcnow

PAGE = 25
TARGET_P95_MS = 20.0
DEEP_PAGES = 200
DEEP = {"deep cursor": JobFilters(), "deep cursor, salary": JobFilters(sort="salary")}


def feature_some(url: str, count: int = 5) -> None:
    """Feature a few jobs, as a live board has: featured-first ordering has work to do."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        stmt = sa.select(Job).where(Job.status == JobStatus.PUBLISHED).order_by(Job.id)
        for job in session.scalars(stmt.limit(count)):
            lifecycle.feature_until(job, utcnow() + timedelta(days=30))
        session.commit()
    engine.dispose()


def job_count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(Job)).scalar() or 0
    engine.dispose()
    return count


def cases(session: so.Session) -> dict[str, JobFilters]:
    """The board views to time, with values that exist in the data set."""
    company = session.scalar(sa.select(Company.slug).order_by(Company.id).limit(1))
    return {
        "no filter": JobFilters(),
        "remote": JobFilters(remote="remote"),
        "type": JobFilters(employment_type="contract"),
        "seniority": JobFilters(seniority="senior"),
        "country": JobFilters(country="DE"),
        "location": JobFilters(location="berlin"),
        "tag": JobFilters(tags=("pytorch",)),
        "two tags": JobFilters(tags=("pytorch", "llm")),
        "company": JobFilters(company=company),
        "salary_min": JobFilters(salary_min=150_000),
        "posted_within": JobFilters(posted_within=60),
        "since (newsletter)": newsletter.section_filters(
            JobFilters(since=utcnow() - timedelta(days=7))
        ),
        "sort salary": JobFilters(sort="salary"),
        "q common": JobFilters(q="training"),
        "q common, relevance": JobFilters(q="training", sort="relevance"),
        # A word in ~15% of jobs (one tag's), as most searches are: too rare for the newest
        # ids to settle it, too common for the full-text index to find it at once.
        "q medium": JobFilters(q="python"),
        # The same word narrowed by one filter, as a seeker refines a search: two searches'
        # candidates (the column facets count the word's without the filter).
        "remote + q medium": JobFilters(remote="remote", q="python"),
        # Another column and value held by a quarter of the jobs: each column's own index
        # bounds the dates of the narrowed search's matches (migration 0023).
        "seniority + q medium": JobFilters(seniority="senior", q="python"),
        "q rare": JobFilters(q=RARE_WORD),
        "q rare, relevance": JobFilters(q=RARE_WORD, sort="relevance"),
        "remote + tag + q": JobFilters(remote="remote", tags=("python",), q="inference"),
    }


@dataclasses.dataclass(frozen=True)
class Timed:
    """A call to time, and what must be made anew, untimed, before each (if anything)."""

    call: Callable[[], Any]
    prepare: Callable[[], Any] | None = None


def board_queries(
    session: so.Session, filters: JobFilters, index: FacetIndex | None
) -> dict[str, Timed]:
    """The parts of one board page, as calls that run them the way the board does: the page,
    its total and facets, and for a search those of its next page.

    A relevance page ranks the candidates its counting found (from the index), as the
    board's does.
    """
    now = utcnow()
    counted = board.counts(session, filters, now=now, index=index)
    calls = {
        "page": Timed(
            lambda: board.page_of(session, filters, counted, limit=PAGE, now=now, index=index)
        ),
        # A copy of the index remembers no search: each call finds its candidates anew, as
        # a search's first page does.
        "total + facets": Timed(
            lambda: board.counts(session, filters, now=now, index=dataclasses.replace(index))
        ),
    }
    if not filters.search_text or index is None:
        return calls
    # Its next page, or the same search by another reader: the index remembers it.
    calls["total + facets, next page"] = Timed(
        lambda: board.counts(session, filters, now=now, index=index)
    )
    wider = without_columns(filters)
    if wider != filters:  # a search narrowed by a column, after the wider search's page
        fresh: dict[str, FacetIndex] = {}

        def after_wider() -> None:
            fresh["index"] = dataclasses.replace(index)
            board.counts(session, wider, now=now, index=fresh["index"])

        calls["total + facets, after the wider search"] = Timed(
            lambda: board.counts(session, filters, now=now, index=fresh["index"]), after_wider
        )
    return calls


def deep_cursor(session: so.Session, filters: JobFilters) -> str | None:
    """The cursor DEEP_PAGES pages into a listing, by walking it."""
    cursor = None
    for _ in range(DEEP_PAGES):
        cursor = pagination.fetch_page(session, filters, limit=PAGE, cursor=cursor).next_cursor
        if cursor is None:
            break
    return cursor


def run(url: str, repeat: int = 30) -> dict[str, Any]:
    """p50/p95 of every board query per case, the slowest, and the PK-lookup reference."""
    engine = make_engine(url)
    results: dict[str, Any] = {"cases": {}}
    with make_session_factory(engine)() as session:
        some_id = session.scalar(sa.select(sa.func.max(Job.id)))
        results["reference_pk_lookup"] = time_calls(
            lambda: session.execute(sa.select(Job.id).where(Job.id == some_id)).all(), repeat
        )
        index = FacetIndex.load(session)
        assert index is not None, "the catalog changed while the benchmark read it"
        results["facet_index"] = {
            "load": time_calls(lambda: FacetIndex.load(session), max(3, repeat // 5)),
            "jobs": index.size,
            "array_mb": round(index.nbytes / 2**20, 1),
        }
        results["sql_fallback"] = {}
        for name, filters in cases(session).items():
            results["cases"][name] = {
                query: time_calls(timed.call, repeat, prepare=timed.prepare)
                for query, timed in board_queries(session, filters, index).items()
            }
            results["sql_fallback"][name] = {
                "total + facets": time_calls(
                    lambda f=filters: board.counts(session, f, now=utcnow()), max(3, repeat // 5)
                )
            }
        for name, filters in DEEP.items():
            cursor = deep_cursor(session, filters)
            results["cases"][name] = {
                "page": time_calls(
                    lambda f=filters, c=cursor: pagination.fetch_page(
                        session, f, limit=PAGE, cursor=c
                    ),
                    repeat,
                )
            }
        session.rollback()
    engine.dispose()
    return _summarize(results)


def _summarize(results: dict[str, Any]) -> dict[str, Any]:
    worst = max(
        (timing["p95_ms"], f"{case}: {query}")
        for case, timings in results["cases"].items()
        for query, timing in timings.items()
    )
    reference = results["reference_pk_lookup"]["p50_ms"]
    return results | {
        "slowest_p95_ms": worst[0],
        "slowest": worst[1],
        "slowest_vs_pk_lookup": round(worst[0] / reference, 1) if reference else None,
        "target_p95_ms": TARGET_P95_MS,
        "over_target": sorted(
            f"{case}: {query}"
            for case, timings in results["cases"].items()
            for query, timing in timings.items()
            if timing["p95_ms"] > TARGET_P95_MS
        ),
    }
