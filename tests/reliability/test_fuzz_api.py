"""Schemathesis against /openapi.json, in-process: no 5xx and no answer that breaks its schema.

Every operation of the document (the read API, feeds, newsletter and the sponsor API
with a valid bearer token) gets schema-valid and schema-invalid requests, on SQLite
and PostgreSQL with the demo jobs loaded. Operations on one job also run against a
job the sponsor owns, and postings also come from valid fields with arbitrary text,
so the success paths (201, 200, 409) are checked against their schemas too.

The checks are the schema's promises: no server error, a documented status code,
content type and headers, and a body that matches the documented schema. Schemathesis'
"a schema-valid request must be accepted" check is left out on purpose: an opaque
cursor or an apply URL is a string in the schema but still has to be a real one.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from models.tables import Job
from tests.reliability.conftest import make_app, trusted_sponsor_token
from tests.sponsors.factories import sponsor_fields

# Per operation and strategy: about 20 s for both backends on 2 cores; raise it for a deep run.
EXAMPLES = int(os.environ.get("JOBBOARD_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
text = st.text(max_size=120)
valid_postings = st.builds(
    sponsor_fields,
    title=st.text(min_size=1, max_size=300).filter(str.strip),
    location=text,
    remote_note=text,
    salary_min=st.one_of(st.none(), st.floats(0, 1e9)),
    tags=st.lists(st.text(min_size=1, max_size=60), max_size=10),
    description=st.text(max_size=2000),
)


@pytest.fixture
def app(demo_db: str):
    """The app with the demo jobs; the sponsor API's write limit is tested elsewhere."""
    app = make_app(demo_db, SPONSOR_API_RATE_LIMIT="100000/minute")
    yield app
    app.extensions["jobboard.engine"].dispose()


@pytest.fixture
def bearer(app) -> dict[str, str]:
    """A trusted sponsor's token, after it posted one job through the API."""
    token = trusted_sponsor_token(app.extensions["jobboard.engine"])
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().post("/api/v1/sponsor/jobs", headers=headers, json=sponsor_fields())
    return headers


def strategies(operation, own_job_id: int) -> list:
    """Generated requests for the operation, plus ones aimed at success paths."""
    result = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    if "{job_id}" in operation.path:
        result.append(operation.as_strategy(path_parameters={"job_id": own_job_id}))
    if operation.method.upper() == "POST":
        result.append(valid_postings.flatmap(lambda body: operation.as_strategy(body=body)))
    return result


def failures_of(strategy, headers: dict[str, str]) -> str | None:
    """Run the strategy's cases; the shrunk failure, if the app broke a promise."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=strategy)
    def check(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        check()
    except Exception as exc:
        return str(exc)
    return None


def test_no_operation_answers_5xx_or_off_schema(app, bearer: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    with sa.orm.Session(app.extensions["jobboard.engine"]) as session:
        own_job_id = session.scalar(sa.select(sa.func.max(Job.id)))
    labels, problems = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)
        for strategy in strategies(operation, own_job_id):
            if (problem := failures_of(strategy, bearer)) is not None:
                problems.append(f"{operation.label}:\n{problem}")
    assert "POST /api/v1/sponsor/jobs" in labels and "GET /api/v1/jobs" in labels
    assert not problems, "\n\n".join(problems)
