"""A crawl finding its postings unchanged writes only that it saw them, and PostgreSQL rewrites
those rows in place (HOT updates): no new index entries and no growth, however often it runs."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from models.ingest import upsert_postings
from models.tables import Job, Source
from models.types import utcnow
from tests.factories import raw_posting

JOBS = 40


def long_posting(n: int) -> dict:
    """A posting whose row fills a good part of half a page, as most descriptions' do."""
    words = " ".join(f"skill{n}x{i}" for i in range(150))
    return raw_posting(description_html=f"<p>{words}</p>")


def rewrites(conn: sa.Connection, table: str) -> tuple[int, int]:
    """(rows updated, of which in place) by this connection, counted since it last reported
    to the statistics collector, which it does not do inside a transaction."""
    stmt = sa.text(
        "SELECT pg_stat_get_xact_tuples_updated(oid), pg_stat_get_xact_tuples_hot_updated(oid)"
        " FROM pg_class WHERE relname = :table"
    )
    return tuple(conn.execute(stmt, {"table": table}).one())


def test_an_unchanged_recrawl_rewrites_every_job_and_listing_in_place(pg_sessions):
    postings = [long_posting(n) for n in range(JOBS)]
    with pg_sessions() as session:
        source = Source(kind="lever", url="https://api.lever.example/v0/postings/a", company="A")
        session.add(source)
        session.commit()
        upsert_postings(session, postings, source=source)
        source_id = source.id
        # Last seen two days ago: a sighting now is written (lifecycle.sighting_resolution).
        session.execute(sa.update(Job).values(last_seen_at=utcnow() - timedelta(days=2)))
        session.commit()
    engine = pg_sessions.kw["bind"]
    with engine.connect() as conn, conn.begin():
        # The ingest commits per batch; here each commit ends a savepoint of one transaction,
        # so the counters move by the re-crawl's rewrites alone.
        before = {table: rewrites(conn, table) for table in ("jobs", "listings")}
        with so.Session(bind=conn, join_transaction_mode="create_savepoint") as session:
            counts = upsert_postings(session, postings, source=session.get(Source, source_id))
        assert counts.unchanged == JOBS
        for table, (updated, in_place) in before.items():
            assert rewrites(conn, table) == (updated + JOBS, in_place + JOBS), table
