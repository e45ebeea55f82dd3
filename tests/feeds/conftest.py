"""Fixtures of the feeds area: jobs made through the real ingest path and featuring."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from models import lifecycle
from models.ingest import upsert_postings
from models.tables import Job, Source
from models.types import utcnow
from tests.factories import raw_posting


@pytest.fixture
def source(session) -> Source:
    source = Source(kind="greenhouse", url="https://boards.example.com/acme", company="Acme")
    session.add(source)
    session.commit()
    return source


@pytest.fixture
def postings() -> dict[int, dict]:
    """The raw posting behind each job the test added, by job id."""
    return {}


@pytest.fixture
def add_jobs(session, source, postings) -> Callable[..., list[int]]:
    """Ingest `n` postings (the factory's, overridden by `fields`) at `now`; returns the job ids."""

    def add(n: int = 1, *, now: datetime | None = None, **fields) -> list[int]:
        batch = [raw_posting(**fields) for _ in range(n)]
        counts = upsert_postings(session, batch, source=source, now=now)
        ids = [outcome.job_id for outcome in counts.outcomes]
        postings.update(zip(ids, batch, strict=True))
        return ids

    return add


@pytest.fixture
def edit(session, source, postings) -> Callable[..., None]:
    """The source changes a posting (a new title by default) and the crawl ingests it again."""

    def edit_job(job_id: int, **changes) -> None:
        changes = changes or {"title": postings[job_id]["title"] + " (updated)"}
        postings[job_id] = postings[job_id] | changes
        counts = upsert_postings(session, [postings[job_id]], source=source)
        assert [o.action for o in counts.outcomes] == ["updated"]

    return edit_job


@pytest.fixture
def feature(session) -> Callable[..., None]:
    """Feature a job for `span` from now through the lifecycle verb."""

    def feature_for(job_id: int, span: timedelta = timedelta(days=7)) -> None:
        lifecycle.feature_until(session.get(Job, job_id), utcnow() + span)
        session.commit()

    return feature_for
