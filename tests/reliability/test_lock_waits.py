"""A request kept waiting by a lock gives up with a 503 before gunicorn would kill its worker."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from models.tables import Job
from tests.reliability.conftest import make_app, trusted_sponsor_token
from tests.sponsors.factories import sponsor_fields


@contextmanager
def jobs_locked(db_url: str) -> Iterator[None]:
    """Another connection holds the lock a write needs, as a stuck writer or a migration would."""
    if db_url.startswith("sqlite"):
        holder = sqlite3.connect(make_url(db_url).database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.close()
        return
    engine = sa.create_engine(db_url)
    with engine.connect() as holder:
        holder.execute(sa.text("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE"))
        yield
        holder.rollback()
    engine.dispose()


def test_a_posting_kept_waiting_past_the_statement_timeout_answers_503(db_url: str) -> None:
    app = make_app(db_url, DATABASE_STATEMENT_TIMEOUT=1)
    engine = app.extensions["jobboard.engine"]
    bearer = {"Authorization": f"Bearer {trusted_sponsor_token(engine)}"}
    with jobs_locked(db_url):
        started = time.perf_counter()
        response = app.test_client().post(
            "/api/v1/sponsor/jobs", headers=bearer, json=sponsor_fields()
        )
        waited = time.perf_counter() - started
    assert response.status_code == 503 and waited < 10
    assert "busy" in response.get_json()["message"]
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(Job)) == 0
    engine.dispose()
