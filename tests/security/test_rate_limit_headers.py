"""Retry-After tells a client to wait: it rides on a 429 only. A client or proxy that reads it
on an answer that went through would back off for nothing. The X-RateLimit-* headers tell a
limited route's every answer how much of its budget is left, so they stay."""

from __future__ import annotations

import pytest

from tests.sponsors.conftest import bearer, submit_form
from tests.sponsors.factories import sponsor_fields

BUDGET_HEADERS = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return app_config | {"SPONSOR_API_RATE_LIMIT": "2/minute"}


def post_job(client, token: str):
    return client.post("/api/v1/sponsor/jobs", headers=bearer(token), json=sponsor_fields())


def test_a_write_within_the_limit_carries_its_budget_but_no_retry_after(client, sponsor_token):
    response = post_job(client, sponsor_token)
    assert response.status_code == 201
    assert "Retry-After" not in response.headers
    assert set(response.headers.keys()) >= BUDGET_HEADERS
    assert response.headers["X-RateLimit-Remaining"] == "1"


def test_a_refused_login_within_the_limit_carries_no_retry_after(client, moderator):
    response = submit_form(client, "/admin/login", {"username": "mod", "password": "wrong"})
    assert response.status_code == 401
    assert "Retry-After" not in response.headers


def test_the_429_says_when_to_retry(client, sponsor_token):
    statuses = [post_job(client, sponsor_token).status_code for _ in range(3)]
    limited = post_job(client, sponsor_token)
    assert statuses == [201, 201, 429] and limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert limited.headers["X-RateLimit-Remaining"] == "0"
