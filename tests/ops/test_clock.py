"""The clock with a controllable `now`: what is due, what expires, what is unfeatured."""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from models import lifecycle, migrate, schedule
from models.ingest import upsert_postings
from models.tables import CrawlRun, Job, JobStatus, RunStatus, Source
from models.types import utcnow
from scheduler.jobs import Clock, Upkeep
from tests.conftest import BACKENDS, PG_ADMIN_URL
from tests.factories import raw_posting
from tests.ops.conftest import GREENHOUSE, store_source

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=utcnow().tzinfo)


def due_ids(session, now: datetime) -> list[int]:
    return [source.id for source in schedule.due_sources(session, now)]


def test_a_source_is_due_when_never_crawled_or_an_interval_after_its_last_crawl_began(
    session,
) -> None:
    hourly = Source(kind="lever", url="https://a.test/", company="A", interval_minutes=60)
    daily = Source(kind="lever", url="https://b.test/", company="B", interval_minutes=1440)
    disabled = Source(kind="lever", url="https://c.test/", company="C", enabled=False)
    session.add_all([hourly, daily, disabled])
    session.flush()
    assert due_ids(session, T0) == [hourly.id, daily.id]
    session.add_all(
        [
            CrawlRun(source_id=hourly.id, started_at=T0 - timedelta(hours=3), status="succeeded"),
            CrawlRun(source_id=hourly.id, started_at=T0, status="failed"),
            CrawlRun(source_id=daily.id, started_at=T0, status="succeeded"),
        ]
    )
    session.flush()
    assert due_ids(session, T0 + timedelta(minutes=59)) == []
    assert due_ids(session, T0 + timedelta(minutes=60)) == [hourly.id]
    assert due_ids(session, T0 + timedelta(days=1)) == [hourly.id, daily.id]


def jobs_state(sessions, ids) -> list[tuple[str, bool]]:
    """(status, featured?) of each job, fresh from the database."""
    with sessions() as session:
        jobs = [session.get(Job, job_id) for job_id in ids]
        return [(job.status, job.featured_until is not None) for job in jobs]


def test_upkeep_expires_and_unfeatures_by_the_clocks_time(db_url, sessions) -> None:
    now = utcnow()
    closes_soon = (now + timedelta(days=3)).isoformat()
    with sessions() as session:
        source = Source(kind="lever", url="https://a.test/", company="Acme AI")
        session.add(source)
        session.flush()
        postings = [
            raw_posting(external_id="short"),
            raw_posting(external_id="long"),
            raw_posting(external_id="closing", valid_through=closes_soon),
        ]
        outcomes = upsert_postings(session, postings, source=source).outcomes
        job_ids = {outcome.external_id: outcome.job_id for outcome in outcomes}
        short, long, closing = (
            session.get(Job, job_ids[key]) for key in ("short", "long", "closing")
        )
        lifecycle.feature_until(short, now + timedelta(days=1))
        lifecycle.feature_until(long, now + timedelta(days=10))
        session.commit()
        ids = short.id, long.id, closing.id
    clock = Clock(db_url, now=lambda: now + timedelta(days=5))
    try:
        assert clock.upkeep() == Upkeep(
            dead_runs_failed=0, jobs_expired=1, featuring_ended=1, sponsor_postings_reread=0
        )
        assert jobs_state(sessions, ids) == [
            (JobStatus.PUBLISHED, False),
            (JobStatus.PUBLISHED, True),
            (JobStatus.EXPIRED, False),
        ]
        clock.now = lambda: now + timedelta(days=46)  # unseen for more than 45 days
        assert clock.upkeep() == Upkeep(
            dead_runs_failed=0, jobs_expired=2, featuring_ended=1, sponsor_postings_reread=0
        )
        assert jobs_state(sessions, ids) == [(JobStatus.EXPIRED, False)] * 3
    finally:
        clock.close()


def tick_together(clocks: list[Clock]) -> list:
    """Every clock crawls what is due at the same moment, each in its own thread."""
    results: list = []
    threads = [threading.Thread(target=lambda c=c: results.extend(c.crawl_due())) for c in clocks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run_statuses(sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(sa.select(CrawlRun.status).order_by(CrawlRun.id)))


def test_two_clocks_crawl_a_due_source_once_per_interval(pg_url, pg_sessions_of, ats) -> None:
    source = store_source(pg_sessions_of, ats.url(GREENHOUSE), interval=60)
    now = utcnow()
    clocks = [Clock(pg_url, now=lambda: now) for _ in range(2)]
    try:
        first = tick_together(clocks)
        assert sorted(s.status for s in first) in (["skipped", "succeeded"], ["succeeded"])
        assert run_statuses(pg_sessions_of) == [RunStatus.SUCCEEDED]
        assert tick_together(clocks) == []  # not due again within the hour
        for clock in clocks:
            clock.now = lambda: now + timedelta(minutes=61)
        again = tick_together(clocks)
        assert [s.source_id for s in again if s.status == RunStatus.SUCCEEDED] == [source]
        assert run_statuses(pg_sessions_of) == [RunStatus.SUCCEEDED] * 2
    finally:
        for clock in clocks:
            clock.close()
    with pg_sessions_of() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 3


@pytest.fixture(params=BACKENDS)
def database_to_come(request, tmp_path):
    """The URL of a database that is not there yet, and what brings it up (migrated)."""
    if request.param == "sqlite":
        folder = tmp_path / "not-yet"

        def bring_up() -> None:
            folder.mkdir()
            shutil.copy(request.getfixturevalue("sqlite_template"), folder / "jobboard.db")

        yield f"sqlite:///{folder / 'jobboard.db'}", bring_up
        return
    name = f"jobboard_t_down_{uuid.uuid4().hex[:12]}"
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def bring_up() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        migrate.upgrade(url)

    yield url, bring_up
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_tick_the_database_fails_is_one_line_of_log_and_the_next_tick_runs(
    database_to_come, caplog
) -> None:
    url, bring_up = database_to_come
    clock = Clock(url)
    try:
        with caplog.at_level(logging.INFO, logger="jobboard.clock"):
            assert clock.crawl_due() == []
            assert clock.upkeep() is None
        assert [(r.levelname, r.getMessage().split(":")[0]) for r in caplog.records] == [
            ("ERROR", "crawl skipped, the database failed"),
            ("ERROR", "upkeep skipped, the database failed"),
        ]
        assert all(record.exc_info is None for record in caplog.records)
        bring_up()
        assert clock.crawl_due() == []
        assert clock.upkeep() == Upkeep(0, 0, 0, 0)
    finally:
        clock.close()
