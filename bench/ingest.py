"""Ingest throughput of `upsert_postings` against raw COPY of the same rows, same server."""

from __future__ import annotations

from typing import Any

import psycopg
import sqlalchemy as sa
import sqlalchemy.orm as so

from bench.common import cpu_bound, cpu_meter, fresh_database, stopwatch
from bench.dataset import postings
from models.db import make_engine, make_session_factory
from models.ingest import upsert_postings
from models.schemas import job_in
from models.search import pg_document
from models.tables import Job, Source

ANALYZE_STEP = 5000
COPY_COLUMNS = (
    "external_id",
    "url",
    "apply_url",
    "title",
    "company",
    "location",
    "remote",
    "employment_type",
    "salary",
    "description_html",
    "posted_at",
)


def copy_reference(url: str, rows: list[dict[str, Any]]) -> float:
    """Seconds to COPY the postings' fields into a bare, index-free table: the physical floor."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute(f"CREATE TABLE bench_copy ({', '.join(f'{c} text' for c in COPY_COLUMNS)})")
        with stopwatch() as timer:
            with conn.cursor().copy(
                f"COPY bench_copy ({', '.join(COPY_COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row([row.get(c) for c in COPY_COLUMNS])
            conn.commit()
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
    return timer["seconds"]


def normalize_rate(rows: list[dict[str, Any]]) -> float:
    """Postings/s of validating and normalizing alone (JobIn.load) in one process."""
    with stopwatch() as timer:
        for row in rows:
            job_in.load(row)
    return len(rows) / timer["seconds"]


def search_document_ms(url: str) -> float:
    """PostgreSQL's milliseconds per job to turn a description into a tsvector, on one core
    (a parallel plan would share the work among its workers and halve the figure)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        jobs = conn.execute(sa.text("SELECT count(*) FROM jobs")).scalar() or 1
        conn.execute(sa.text("SET max_parallel_workers_per_gather = 0"))
        with stopwatch() as timer:
            conn.execute(
                sa.text("SELECT sum(length(to_tsvector('english', description_text))) FROM jobs")
            )
        conn.rollback()
    engine.dispose()
    return timer["seconds"] * 1000 / jobs


def schema_floor(url: str) -> float:
    """Seconds for PostgreSQL alone to write the ingested jobs and their listings again, into
    empty tables with the same columns and indexes, each job's search document computed by
    the ingest's own SQL: the floor of any ingest into this schema through one connection,
    with no Python, no validation, no deduplication and no round trips."""
    columns = [column.name for column in Job.__table__.c]
    document = pg_document("jobs", "companies.name", "jobs.description_text")
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        for table in ("jobs", "listings"):
            conn.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
        conn.commit()
        with stopwatch() as timer:
            conn.execute(
                f"INSERT INTO bench_jobs ({', '.join(columns)}, search_vector)"
                f" SELECT {', '.join(f'jobs.{name}' for name in columns)}, {document}"
                " FROM jobs JOIN companies ON companies.id = jobs.company_id"
            )
            conn.execute("INSERT INTO bench_listings SELECT * FROM listings")
            conn.commit()
        conn.execute("DROP TABLE bench_jobs, bench_listings")
        conn.commit()
    return timer["seconds"]


def sighted_mb(session: so.Session) -> float:
    """MB of the tables an unchanged re-ingest writes to (jobs and listings, with their
    indexes and TOAST): with autovacuum off here, what a re-ingest adds to them is what it
    did not rewrite in place."""
    sizes = "pg_total_relation_size('jobs') + pg_total_relation_size('listings')"
    return (session.scalar(sa.text(f"SELECT {sizes}")) or 0) / 2**20


def ingest_like_autovacuum(session: so.Session, rows: list[dict[str, Any]], source: Source) -> int:
    """upsert_postings of the rows in steps, analyzing the tables as autovacuum would.

    This PostgreSQL runs with autovacuum off; without statistics the planner scans whole
    tables for each batch's lookups and a bulk load turns quadratic. Autovacuum's default
    autoanalyze (10% of a table changed) is replayed between steps, and timed with them.
    """
    created, analyzed_at = 0, 0
    for start in range(0, len(rows), ANALYZE_STEP):
        step = rows[start : start + ANALYZE_STEP]
        created += upsert_postings(session, step, source=source).created
        if created >= analyzed_at * 1.1 + 50:
            session.execute(sa.text("ANALYZE jobs, listings, companies"))
            session.commit()
            analyzed_at = created
    return created


def run(count: int, database: str = "jobboard_bench_ingest") -> dict[str, Any]:
    """New and unchanged ingest rates, their ratio to COPY, and where the time goes."""
    url = fresh_database(database)
    rows = list(postings(count))
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        source = Source(kind="greenhouse", url="https://bench.example/boards/x", company="bench")
        session.add(source)
        session.commit()
        with stopwatch() as new, cpu_meter() as cpu:
            created = ingest_like_autovacuum(session, rows, source)
        before = sighted_mb(session)
        with stopwatch() as again:
            unchanged = upsert_postings(session, rows, source=source).unchanged
        growth = sighted_mb(session) - before
    engine.dispose()
    copy_seconds = copy_reference(url, rows)
    schema_rate = count / schema_floor(url)
    new_rate, again_rate, copy_rate = (
        count / new["seconds"],
        count / again["seconds"],
        count / copy_seconds,
    )
    assert created == count and unchanged == count, (created, unchanged)
    sample = rows[: min(count, 5000)]
    return {
        "postings": count,
        "new_per_s": round(new_rate),
        "unchanged_per_s": round(again_rate),
        "copy_per_s": round(copy_rate),
        "new_vs_copy": round(new_rate / copy_rate, 3),
        "unchanged_vs_new": round(again_rate / new_rate, 2),
        "schema_floor_per_s": round(schema_rate),
        "new_vs_schema_floor": round(new_rate / schema_rate, 3),
        "unchanged_growth_mb": round(growth, 1),
        **cpu_bound(count, cpu),
        "normalize_only_per_s": round(normalize_rate(sample)),
        "search_document_ms_per_job": round(search_document_ms(url), 3),
    }
