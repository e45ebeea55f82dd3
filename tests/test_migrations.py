"""Data migrations repair the rows stored before them."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from models import migrate
from models.db import make_engine, make_session_factory
from models.normalize import in_usd
from models.search import matches
from models.tables import Base, Job
from tests.conftest import new_pg_database, store_postings
from tests.factories import raw_posting


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


# What the migrations build beside the tables the models declare: each database's own full-text
# search (FTS5's tables, PostgreSQL's document column) and PostgreSQL's GIN indexes.
SEARCH_ENGINE_ONLY = {
    "jobs_fts",
    "jobs_fts_config",
    "jobs_fts_content",
    "jobs_fts_data",
    "jobs_fts_docsize",
    "jobs_fts_idx",
    "search_vector",
    "ix_jobs_search_vector",
    "ix_jobs_tags",
    "ix_jobs_published_location_trgm",
}


def _differences(url: str) -> list[tuple]:
    """What alembic finds between the migrated schema at `url` and the models' tables."""
    engine = sa.create_engine(url)
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite's reflection cannot read an index on an expression, so both sides skip it.
        warnings.filterwarnings("ignore", ".*expression-based index")
        found = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    return found


def test_the_migrations_build_the_tables_the_models_declare(db_url):
    unexpected = [
        difference
        for difference in _differences(db_url)
        if not (difference[0].startswith("remove_") and _name(difference) in SEARCH_ENGINE_ONLY)
    ]
    assert unexpected == []


def _name(difference: tuple) -> str:
    return difference[-1].name


def test_upgrading_past_0010_makes_stored_jobs_findable_by_their_tags(own_pg_database):
    store_postings(
        own_pg_database,
        raw_posting(title="Engineer", description_html="<p>Build.</p>", tags=["safety"]),
    )
    command.downgrade(migrate.alembic_config(own_pg_database), "0009_search_document_in_row")
    assert tagged_jobs_found(own_pg_database) == []  # as documents were written before
    migrate.upgrade(own_pg_database)
    assert len(tagged_jobs_found(own_pg_database)) == 1


def test_upgrading_past_0011_sorts_and_filters_a_salary_floor_given_alone(db_url):
    store_postings(db_url, raw_posting(salary="From $100,000 a year"))
    engine = make_engine(db_url)
    command.downgrade(migrate.alembic_config(db_url), "0010_stemmed_tags_in_search")
    with engine.begin() as conn:  # as ingest stored it before 0011
        conn.execute(sa.text("UPDATE jobs SET salary_annual_max = NULL"))
    migrate.upgrade(db_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT salary_annual_max FROM jobs")) == 100000
    engine.dispose()


def test_upgrading_past_0018_puts_stored_salaries_in_dollars(db_url):
    """A salary in pounds was compared as if it were dollars; one in a currency without a
    rate cannot be compared at all."""
    pounds = raw_posting(external_id="1", title="A", salary="£60,000 - £90,000 a year")
    other = raw_posting(external_id="2", title="B", salary="$60,000 - $90,000 a year")
    store_postings(db_url, pounds, other)
    engine = make_engine(db_url)
    command.downgrade(migrate.alembic_config(db_url), "0017_cpp_and_csharp_in_search")
    with engine.begin() as conn:  # as ingest stored them before 0018: in their own currency
        assert conn.scalar(sa.text("SELECT max(salary_annual_max) FROM jobs")) == 90000
        conn.execute(sa.text("UPDATE jobs SET salary_currency = 'XAU' WHERE title = 'B'"))
    migrate.upgrade(db_url)
    with engine.connect() as conn:
        bounds = "salary_currency, salary_annual_min, salary_annual_max"
        rows = conn.execute(sa.text(f"SELECT {bounds} FROM jobs ORDER BY title"))
        assert rows.all() == [("GBP", 80000, 120000), ("XAU", None, None)]
    engine.dispose()


def test_upgrading_past_0018_leaves_pay_without_a_currency_unknown(db_url):
    """As ingest stores it now: 120,000 of no currency may be rupees or dollars, so it is
    not compared with dollars in the salary filter and sort."""
    store_postings(db_url, raw_posting(salary=None, salary_min=120000, salary_period="year"))
    engine = make_engine(db_url)
    command.downgrade(migrate.alembic_config(db_url), "0017_cpp_and_csharp_in_search")
    with engine.begin() as conn:  # as ingest stored it before 0018: as if in any currency
        assert conn.scalar(sa.text("SELECT salary_currency FROM jobs")) is None
        conn.execute(
            sa.text("UPDATE jobs SET salary_annual_min = 120000, salary_annual_max = 120000")
        )
    migrate.upgrade(db_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT salary_annual_max FROM jobs")) is None
    engine.dispose()


def test_upgrading_past_0018_converts_as_ingest_does(db_url):
    """₹1,800,000 is $20,454.55: a floor of ₹1,800,000 is $20,455 (`in_usd` rounds), and a
    job paying exactly it must not be stored a dollar below, truncated."""
    store_postings(db_url, raw_posting(salary="₹1,800,000 a year", location="Bengaluru, India"))
    engine = make_engine(db_url)
    command.downgrade(migrate.alembic_config(db_url), "0017_cpp_and_csharp_in_search")
    with engine.begin() as conn:  # as ingest stored it before 0018: in rupees
        conn.execute(sa.text("UPDATE jobs SET salary_annual_max = 1800000"))
    migrate.upgrade(db_url)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT salary_currency, salary_annual_max FROM jobs")).one()
        assert tuple(row) == ("INR", in_usd(1_800_000, "INR")) == ("INR", 20455)
    engine.dispose()


# Each job's state when 0021 runs: (status, ended_in_review), and whether it was ever public.
STATES_BEFORE_0021 = {
    "Published": ("published", False, True),
    "Closed": ("closed", False, True),
    "Expired": ("expired", False, True),
    "Withdrawn In Review": ("closed", True, False),
    "Rejected": ("rejected", False, False),
    "Pending": ("pending", False, False),
}


def test_upgrading_past_0021_dates_each_job_once_public_from_when_it_was_first_seen(db_url):
    """Jobs stored before 0021 were public from their first sighting, unless they ended in
    review or were rejected; those and the jobs in review have no date until approved."""
    store_postings(db_url, *(raw_posting(external_id=t, title=t) for t in STATES_BEFORE_0021))
    engine = make_engine(db_url)
    command.downgrade(migrate.alembic_config(db_url), "0020_slash_parts_words_in_search")
    assert "published_at" not in {c["name"] for c in sa.inspect(engine).get_columns("jobs")}
    with engine.begin() as conn:
        for title, (status, in_review, _) in STATES_BEFORE_0021.items():
            conn.execute(
                sa.text(
                    "UPDATE jobs SET status = :status, ended_in_review = :in_review"
                    " WHERE title = :title"
                ),
                {"status": status, "in_review": in_review, "title": title},
            )
    migrate.upgrade(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT title, published_at, first_seen_at FROM jobs")).all()
    engine.dispose()
    dates = {title: published_at for title, published_at, _ in rows}
    first_seen = {title: seen for title, _, seen in rows}
    expected = {
        title: first_seen[title] if public else None
        for title, (_, _, public) in STATES_BEFORE_0021.items()
    }
    assert dates == expected


def test_a_failed_migration_keeps_the_ones_before_it(own_pg_database):
    """Each migration commits alone: a later one failing (or being stopped) leaves the earlier
    ones done and their locks released, rather than rolling back minutes of work."""
    url = own_pg_database
    store_postings(url, raw_posting(external_id="1", title="A", salary="£60,000 - £90,000 a year"))
    command.downgrade(migrate.alembic_config(url), "0017_cpp_and_csharp_in_search")
    engine = make_engine(url)
    with engine.begin() as conn:  # 0019 rewrites every search document; make that fail
        conn.execute(
            sa.text(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
                " CREATE TRIGGER refuse BEFORE UPDATE OF search_vector ON jobs"
                " FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        )
    with pytest.raises(sa.exc.DBAPIError, match="refused"):
        migrate.upgrade(url)
    assert migrate.current(url) == "0018_salary_in_usd"
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT salary_annual_max FROM jobs")) == 120000
    engine.dispose()


def test_releases_upgrading_one_database_at_once_all_succeed(own_pg_database):
    """Each machine's `release: jobboard db upgrade` may run at the same moment: the others
    wait for the first and find the schema current, rather than fail on its half-made tables."""
    url = own_pg_database
    command.downgrade(migrate.alembic_config(url), "base")
    releases = [
        subprocess.Popen(
            [sys.executable, "-m", "api.cli", "db", "upgrade"],
            env={**os.environ, "DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [release.communicate(timeout=120)[0] for release in releases]
    assert [release.returncode for release in releases] == [0] * 4, outputs
    head = ScriptDirectory.from_config(migrate.alembic_config(url)).get_current_head()
    assert migrate.current(url) == head
