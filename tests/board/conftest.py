"""Fixtures of the board area: jobs made through the real ingest path, and page helpers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from models.ingest import upsert_postings
from models.tables import Job, Source
from models.types import utcnow
from tests.factories import raw_posting

_JOB_LINK = re.compile(r'<h3 class="job-title"><a href="/jobs/([^"]+)">')
_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def source(session) -> Source:
    source = Source(kind="greenhouse", url="https://boards.example.com/acme", company="Acme")
    session.add(source)
    session.commit()
    return source


@pytest.fixture
def post(session, source) -> Callable[..., Job]:
    """Ingest one posting (the factory's, overridden by `fields`), posted `age` ago."""

    def add(age: timedelta = timedelta(days=1), **fields) -> Job:
        fields.setdefault("posted_at", (utcnow() - age).isoformat())
        counts = upsert_postings(session, [raw_posting(**fields)], source=source)
        (outcome,) = counts.outcomes
        return session.get(Job, outcome.job_id)

    return add


def listed_slugs(html: str) -> list[str]:
    """The job slugs a board page lists, in order."""
    return _JOB_LINK.findall(html)


def jsonld_of(html: str) -> dict:
    """The one JSON-LD block of a page, parsed."""
    (block,) = _JSONLD.findall(html)
    return json.loads(block)
