"""Ingest is idempotent on any input: the same postings twice leave the same jobs.

Hypothesis draws lists of raw postings from small pools, so keys, titles, companies
and locations collide (one opening twice in a list, two openings sharing a
fingerprint, a key whose content changes within the list) and arbitrary text,
numbers, dates and URLs reach every field. Each list is ingested into an empty
database, or after another list whose postings it may edit, then again an hour later:
only the sightings (`last_seen_at`) may change.
Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from models.ingest import upsert_postings
from models.tables import Company, Job, Listing, Source
from models.types import utcnow
from tests.conftest import truncate_all

SIGHTING_COLUMNS = {"last_seen_at"}

words = st.sampled_from(["Research Engineer", "ML Engineer", "Staff Scientist", "  ml engineer "])
maybe_text = st.one_of(st.none(), st.text(max_size=40))
# What json.loads can give and PostgreSQL cannot store: lone surrogates, NaN, infinities.
unstorable = st.one_of(
    st.text(alphabet=st.characters(categories=["Cs", "Ll"]), max_size=6),
    st.floats(allow_nan=True, allow_infinity=True),
)
numbers = st.one_of(
    st.none(), st.integers(-10, 10**9), st.floats(allow_nan=True), st.text(max_size=8)
)
urls = st.one_of(
    st.sampled_from(
        [
            "https://acme.example/jobs/1",
            "https://acme.example/jobs/1?utm_source=x",
            "mailto:jobs@acme.example",
            "javascript:alert(1)",
            "HTTPS://ACME.example/j/2#x",
        ]
    ),
    st.text(max_size=30),
)
postings = st.fixed_dictionaries(
    {
        "external_id": st.one_of(st.sampled_from(["a", "b", "c", "d"]), st.text(max_size=10)),
        "title": st.one_of(words, st.text(max_size=40), unstorable),
        "company": st.one_of(
            st.sampled_from(["Acme AI", "acme ai", "Nimbus"]), st.text(max_size=20)
        ),
        "apply_url": urls,
    },
    optional={
        "url": urls,
        "location": st.one_of(st.sampled_from(["London, UK", "Remote", "Berlin"]), maybe_text),
        "remote": st.one_of(
            st.booleans(), st.sampled_from(["remote", "hybrid", "on-site"]), maybe_text
        ),
        "salary": maybe_text,
        "salary_min": numbers,
        "salary_max": numbers,
        "salary_currency": maybe_text,
        "salary_period": st.one_of(st.sampled_from(["year", "per-hour-wage"]), maybe_text),
        "description_html": st.one_of(st.text(max_size=200), st.just("<p>x</p><script>1</script>")),
        "tags": st.lists(st.text(max_size=12), max_size=4),
        "posted_at": st.one_of(st.integers(-(10**13), 10**13), st.datetimes().map(str), maybe_text),
        "company_logo_url": urls,
        "raw": st.dictionaries(
            st.text(max_size=5), st.one_of(st.text(max_size=10), unstorable), max_size=3
        ),
    },
)

# Readable postings from the pools only, so that a later list often edits an earlier one.
openings = st.fixed_dictionaries(
    {
        "external_id": st.sampled_from(["a", "b", "c", "d"]),
        "title": words,
        "company": st.sampled_from(["Acme AI", "acme ai", "Nimbus"]),
        "apply_url": st.sampled_from(["https://acme.example/jobs/1", "mailto:jobs@acme.example"]),
    },
    optional={
        "location": st.sampled_from(["London, UK", "Remote", "Berlin"]),
        "salary": st.sampled_from(["£90k", "$120k - $150k"]),
    },
)

# PostgreSQL text and JSONB cannot hold NUL; a scraped payload with one must still go in.
NUL_POSTING = {
    "external_id": "a\x00",
    "title": "Research\x00 Engineer",
    "company": "Acme\x00 AI",
    "apply_url": "https://acme.example/jobs/1\x00",
    "description_html": "<p>\x00</p>",
    "raw": {"k\x00": ["\x00"]},
}

# Once found here: "b" joins "a"'s job, then the last copy of "b" is rejected. A re-ingest
# re-read the earlier copy (its hash is not the last copy's) and rewrote the job with it.
ML_ENGINEER = {"title": "ML Engineer", "company": "Acme AI"}
READ_THEN_REJECTED = [
    ML_ENGINEER | {"external_id": "a", "apply_url": "mailto:a@acme.example"},
    ML_ENGINEER | {"external_id": "b", "apply_url": "mailto:b@acme.example"},
    ML_ENGINEER | {"external_id": "b", "apply_url": ""},
]

OPENING = ML_ENGINEER | {"apply_url": "https://acme.example/jobs/1", "location": "Berlin"}


def snapshot(session: so.Session) -> dict[str, list[tuple]]:
    """Every stored row of jobs, listings and companies, sightings left out."""
    result = {}
    for model in (Company, Job, Listing):
        columns = [c for c in model.__table__.columns if c.name not in SIGHTING_COLUMNS]
        result[model.__tablename__] = session.execute(
            sa.select(*columns).order_by(model.__table__.c.id)
        ).all()
    return result


@pytest.fixture
def reset(db_url: str, request: pytest.FixtureRequest):
    """Empty this test's database again (hypothesis runs many examples in one test)."""

    def empty() -> None:
        if db_url.startswith("sqlite"):
            template: Path = request.getfixturevalue("sqlite_template")
            shutil.copy(template, db_url.removeprefix("sqlite:///"))
        else:
            truncate_all(db_url)

    return empty


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(postings, max_size=8))
@example(batch=[NUL_POSTING, NUL_POSTING | {"title": "ML\x00 Engineer"}])
@example(batch=READ_THEN_REJECTED)
def test_any_postings_ingested_twice_give_the_same_jobs(db_url: str, reset, batch) -> None:
    reset()
    ingest_twice_after(db_url, [], batch)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    earlier=st.lists(openings | postings, max_size=8),
    batch=st.lists(openings | postings, max_size=8),
)
def test_any_postings_ingested_twice_after_others_give_the_same_jobs(
    db_url: str, reset, earlier, batch
) -> None:
    """Edits of earlier postings, which may move jobs to new fingerprints, settle at once."""
    reset()
    ingest_twice_after(db_url, earlier, batch)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    earlier=st.lists(openings, max_size=6),
    elsewhere=st.lists(openings, max_size=4),
    batch=st.lists(openings | postings, max_size=8),
)
@example(  # "a" was closed, "b" of another source opened it again, then "a" returns
    earlier=[OPENING | {"external_id": "a"}],
    elsewhere=[OPENING | {"external_id": "b"}],
    batch=[OPENING | {"external_id": "a"}],
)
def test_closed_jobs_returning_after_another_source_opened_them_give_the_same_jobs(
    db_url: str, reset, earlier, elsewhere, batch
) -> None:
    """Closed jobs come back while another source lists the same openings: no two open jobs
    share a fingerprint (the unique index would fail the batch), and a re-ingest settles."""
    reset()
    ingest_twice_after(db_url, earlier, batch, close_earlier=True, elsewhere=elsewhere)


def ingest_twice_after(
    db_url: str,
    earlier: list[dict],
    batch: list[dict],
    *,
    close_earlier: bool = False,
    elsewhere: list[dict] = (),
) -> None:
    """Ingest `earlier` (then close its jobs, and let another source list `elsewhere`), then
    `batch` twice an hour apart: the second time changes no job."""
    engine = sa.create_engine(db_url)
    try:
        with so.Session(engine, expire_on_commit=False) as session:
            source, other = (
                Source(kind="lever", url=f"https://api.lever.co/v0/postings/{name}", company=name)
                for name in ("acme", "other")
            )
            session.add_all([source, other])
            session.commit()
            now = utcnow()
            upsert_postings(session, earlier, source=source, now=now - timedelta(hours=1))
            if close_earlier:
                session.execute(sa.update(Job).values(status="closed", closed_at=now))
                session.commit()
            upsert_postings(session, list(elsewhere), source=other, now=now - timedelta(hours=1))
            upsert_postings(session, batch, source=source, now=now)
            once = snapshot(session)
            again = upsert_postings(session, batch, source=source, now=now + timedelta(hours=1))
            assert snapshot(session) == once
            assert again.created == 0 and again.updated == 0
    finally:
        engine.dispose()
