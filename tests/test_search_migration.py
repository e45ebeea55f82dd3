"""Migration 0010 rebuilds the search documents that stored tags unstemmed (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command

from models import migrate
from models.db import make_engine, make_session_factory
from models.ingest import upsert_postings
from models.search import matches
from models.tables import Job, Source
from tests.conftest import new_pg_database
from tests.factories import raw_posting

BEFORE = "0009_search_document_in_row"


@pytest.fixture
def own_pg_database() -> Iterator[str]:
    """A database for this test alone: it moves the schema down and up."""
    with new_pg_database("jobboard_m") as url:
        yield url


def tagged_jobs_found(url: str) -> list[int]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        found = session.scalars(sa.select(Job.id).where(matches("postgresql", "safety"))).all()
    engine.dispose()
    return found


def test_upgrading_past_0010_makes_stored_jobs_findable_by_their_tags(own_pg_database):
    engine = make_engine(own_pg_database)
    with make_session_factory(engine)() as session:
        source = Source(kind="lever", url="https://api.lever.example/v0/postings/a", company="A")
        session.add(source)
        session.commit()
        posting = raw_posting(title="Engineer", description_html="<p>Build.</p>", tags=["safety"])
        upsert_postings(session, [posting], source=source)
    engine.dispose()
    command.downgrade(migrate.alembic_config(own_pg_database), BEFORE)
    assert tagged_jobs_found(own_pg_database) == []  # as documents were written before
    migrate.upgrade(own_pg_database)
    assert len(tagged_jobs_found(own_pg_database)) == 1
