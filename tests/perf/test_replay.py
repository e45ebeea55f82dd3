"""A trusted repeat of a feed or API answer, or its 304, is answered before Flask, unchanged.

The worker here asks for the catalog version at most once a minute, as a production
worker does once a second; the rest of the suite asks on every request and so never
replays.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

import pytest
from flask import request, request_started

from api import logs
from api.metrics import REQUESTS

CONDITIONAL = ["/api/v1/jobs", "/feed.json", "/feed.atom", "/newsletter/jobs.md"]
PER_RESPONSE = {"X-Request-ID", "Date"}


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return app_config | {"CATALOG_RECHECK_SECONDS": 60, "ANSWER_REUSE_SECONDS": 60}


@contextmanager
def flask_dispatches(app):
    """Collects the requests Flask itself handled inside the block."""
    seen: list[str] = []

    def started(_sender, **_extra):
        seen.append(request.path)

    request_started.connect(started, app)
    try:
        yield seen
    finally:
        request_started.disconnect(started, app)


def headers_of(response) -> dict[str, str]:
    return {name: value for name, value in response.headers if name not in PER_RESPONSE}


@pytest.mark.parametrize("path", CONDITIONAL)
def test_a_repeated_answer_is_served_before_flask_with_the_same_body_and_headers(
    app, client, add_jobs, path
):
    add_jobs(3)
    client.get(path)
    flask_made = client.get(path)  # Flask answers from memory and the replay keeps its headers
    with flask_dispatches(app) as dispatched:
        replayed = client.get(path)
    assert dispatched == []
    assert replayed.status_code == 200
    assert replayed.data == flask_made.data
    assert headers_of(replayed) == headers_of(flask_made)


def test_a_replayed_304_carries_the_validators_and_the_cors_header_but_no_body(
    app, client, add_jobs
):
    add_jobs(3)
    etag = client.get("/feed.json").headers["ETag"]
    client.get("/feed.json")
    with flask_dispatches(app) as dispatched:
        answer = client.get("/feed.json", headers={"If-None-Match": etag})
    assert dispatched == []
    assert answer.status_code == 304
    assert answer.data == b""
    assert answer.headers["ETag"] == etag
    assert answer.headers["Cache-Control"] == "public, max-age=60"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" not in answer.headers


def test_a_replayed_head_has_the_length_of_the_body_but_no_body(client, add_jobs):
    add_jobs(2)
    full = client.get("/feed.json")
    client.get("/feed.json")
    head = client.head("/feed.json")
    assert head.data == b""
    assert head.headers["Content-Length"] == str(len(full.data))


def test_a_replay_echoes_the_callers_request_id_and_makes_one_otherwise(client, add_jobs):
    add_jobs(1)
    client.get("/api/v1/jobs")
    client.get("/api/v1/jobs")
    mine = client.get("/api/v1/jobs", headers={"X-Request-ID": "newsletter-build-42"})
    fresh = [client.get("/api/v1/jobs").headers["X-Request-ID"] for _ in range(2)]
    assert mine.headers["X-Request-ID"] == "newsletter-build-42"
    assert len(set(fresh)) == 2


def test_a_replay_writes_its_access_line_and_counts_in_the_metrics(app, client, add_jobs, caplog):
    add_jobs(1)
    client.get("/feed.json")
    client.get("/feed.json")
    counted = REQUESTS.labels("syndication.json_feed", "GET", "200")
    before = counted._value.get()
    caplog.handler.addFilter(logs.RequestIdFilter())  # as the production handler stamps lines
    with flask_dispatches(app) as dispatched, caplog.at_level(logging.INFO, "jobboard.access"):
        client.get("/feed.json", headers={"X-Request-ID": "poll-7"})
    assert dispatched == []
    (line,) = [r for r in caplog.records if r.name == "jobboard.access"]
    assert (line.path, line.endpoint, line.status) == ("/feed.json", "syndication.json_feed", 200)
    assert line.request_id == "poll-7"
    assert counted._value.get() == before + 1


def test_once_the_catalog_moves_flask_answers_with_the_new_data(app, client, add_jobs):
    add_jobs(2)
    app.config["CATALOG_RECHECK_SECONDS"] = 0.3
    app.extensions.pop("jobboard.catalog", None)
    first = client.get("/api/v1/jobs")
    client.get("/api/v1/jobs")
    add_jobs(1, title="Principal Prompt Cartographer")
    time.sleep(0.4)
    with flask_dispatches(app) as dispatched:
        after = client.get("/api/v1/jobs", headers={"If-None-Match": first.headers["ETag"]})
    assert dispatched == ["/api/v1/jobs"]
    assert after.status_code == 200
    assert "Principal Prompt Cartographer" in after.get_data(as_text=True)


def test_a_request_flask_never_answered_well_is_never_replayed(app, client, add_jobs):
    add_jobs(1)
    for _ in range(3):
        assert client.get("/api/v1/jobs?limit=lots").status_code in (400, 422)
    with flask_dispatches(app) as dispatched:
        assert client.get("/api/v1/jobs?limit=lots").status_code in (400, 422)
    assert dispatched == ["/api/v1/jobs"]


def test_the_suites_own_workers_ask_every_time_and_never_replay(app, client, add_jobs):
    app.config["CATALOG_RECHECK_SECONDS"] = 0
    app.extensions.pop("jobboard.catalog", None)
    add_jobs(1)
    client.get("/feed.json")
    client.get("/feed.json")
    with flask_dispatches(app) as dispatched:
        client.get("/feed.json")
    assert dispatched == ["/feed.json"]
