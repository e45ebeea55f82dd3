"""A search narrowed by a column reads from the table only the matches it keeps: its value's
index bounds the dates too (migration 0023), so no match older than its span is read and
dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from models import queries
from models.ingest import upsert_postings
from models.tables import Job, Source
from models.types import utcnow
from tests.factories import raw_posting

JOBS = 20_000
# Every job is posted a minute after the one before; the span a search reaches back to.
SPAN = timedelta(minutes=JOBS // 4)
# Every fourth job has each value, every seventh mentions the word: as in the benchmark,
# a value held by a quarter of the jobs and a word in 15% of them.
VALUES = {
    "remote": ["remote", "hybrid", "onsite", "onsite"],
    "employment_type": ["full_time", "contract", "part_time", "internship"],
    "seniority": ["senior", "staff", "junior", None],
    "country": ["US", "DE", "JP", None],
}


@pytest.fixture
def many_jobs(pg_sessions):
    """JOBS published jobs, copies of one ingested job with their own keys, values and dates."""
    with pg_sessions() as session:
        source = Source(kind="lever", url="https://api.lever.example/v0/postings/a", company="A")
        session.add(source)
        session.commit()
        upsert_postings(session, [raw_posting()], source=source)
        session.execute(sa.text(_copies()), {"now": utcnow(), "jobs": JOBS})
        session.execute(sa.text("ANALYZE jobs"))
        session.commit()
    return pg_sessions


def _copies() -> str:
    """INSERT of JOBS copies of the one job, each with the values VALUES gives its number."""
    own = {
        "id": "(SELECT max(id) FROM jobs) + n",
        "code": "'c' || n",
        "slug": "'job-' || n",
        "fingerprint": "md5('f' || n)",
        "posted_at": ":now - make_interval(mins => n)",
        "search_vector": "to_tsvector('english', CASE WHEN n % 7 = 0 THEN 'python' ELSE 'go' END)",
        **{
            column: "(ARRAY[{}])[n % 4 + 1]".format(
                ", ".join("NULL" if v is None else f"'{v}'" for v in values)
            )
            for column, values in VALUES.items()
        },
    }
    columns = [column.name for column in Job.__table__.columns] + ["search_vector"]
    picked = ", ".join(own.get(column, column) for column in columns)
    return (
        f"INSERT INTO jobs ({', '.join(columns)})"
        f" SELECT {picked} FROM jobs, generate_series(1, :jobs) AS n"
    )


def _dropped_rows(plan: dict) -> int:
    """Rows the plan read and then dropped by a condition its indexes did not answer."""
    own = plan.get("Rows Removed by Filter", 0) + plan.get("Rows Removed by Index Recheck", 0)
    return own + sum(_dropped_rows(child) for child in plan.get("Plans", []))


@pytest.mark.parametrize(("column", "value"), [(c, v[0]) for c, v in VALUES.items()])
def test_a_search_narrowed_by_a_column_reads_only_its_matches_within_its_span(
    many_jobs, column, value
):
    now = utcnow()
    filters = queries.JobFilters(q="python", **{column: value})
    stmt = queries.matches_posted_since({filters: now - SPAN}, dialect="postgresql", now=now)
    with many_jobs() as session:
        sql = stmt.compile(session.bind)
        explain = f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"
        (plan,) = session.connection().exec_driver_sql(explain, sql.params).scalar()
        matched = len(session.execute(stmt).all())
    assert matched > 0
    assert _dropped_rows(plan["Plan"]) == 0
