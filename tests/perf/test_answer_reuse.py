"""A worker reuses the answers it rendered, without a query, only while they can be trusted.

Here the worker asks for the catalog version at most once a minute, as a production
worker does once a second; the rest of the suite asks on every request.
"""

from __future__ import annotations

import shutil
import time

import pytest

from api import conditional
from api.conditional import Answer, AnswerCache
from api.page_views import PageViews
from models import clicks, config
from models.tables import Job

CONDITIONAL = ["/api/v1/jobs", "/feed.json", "/feed.atom", "/newsletter/jobs.md"]


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return app_config | {"CATALOG_RECHECK_SECONDS": 60, "ANSWER_REUSE_SECONDS": 60}


def recheck_after(app, seconds: float) -> None:
    """Make this worker ask for the catalog version again once `seconds` have passed."""
    app.config["CATALOG_RECHECK_SECONDS"] = seconds
    app.extensions.pop("jobboard.catalog", None)


@pytest.mark.parametrize("path", CONDITIONAL)
def test_a_repeated_answer_costs_no_query(client, add_jobs, count_queries, path):
    add_jobs(5)
    first = client.get(path)
    with count_queries() as sql:
        again = client.get(path)
    assert sql == []
    assert (again.data, again.headers["ETag"]) == (first.data, first.headers["ETag"])


def test_a_304_costs_no_query(client, add_jobs, count_queries):
    add_jobs(5)
    etag = client.get("/api/v1/jobs").headers["ETag"]
    with count_queries() as sql:
        assert client.get("/api/v1/jobs", headers={"If-None-Match": etag}).status_code == 304
    assert sql == []


def test_a_repeated_board_page_costs_no_query(client, add_jobs, count_queries):
    add_jobs(5)
    first = client.get("/?remote=remote")
    with count_queries() as sql:
        again = client.get("/?remote=remote")
    assert sql == []
    assert again.data == first.data


def test_the_board_remembers_its_full_page_and_its_results_apart(client, add_jobs):
    add_jobs(3)
    full = client.get("/").get_data(as_text=True)
    partial = client.get("/", headers={"HX-Request": "true"})
    assert "<html" in full
    assert "<html" not in partial.get_data(as_text=True)
    assert "HX-Request" in partial.headers["Vary"]


def test_a_job_ingested_elsewhere_shows_once_the_worker_asks_again(app, client, add_jobs):
    add_jobs(2)
    recheck_after(app, 0.3)
    before = client.get("/api/v1/jobs")
    add_jobs(1, title="Principal Prompt Cartographer")
    time.sleep(0.4)
    after = client.get("/api/v1/jobs", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Principal Prompt Cartographer" in after.get_data(as_text=True)


def test_an_answer_is_made_sure_of_again_after_the_reuse_bound_without_any_write(
    app, client, add_jobs, count_queries
):
    add_jobs(3)
    app.config["ANSWER_REUSE_SECONDS"] = 0.2
    first = client.get("/feed.json")
    time.sleep(0.3)
    with count_queries() as sql:
        again = client.get("/feed.json")
    assert len(sql) == 1  # the fingerprint: unchanged, so the remembered body is served
    assert again.data == first.data


def test_the_answers_remembered_by_a_worker_are_bounded(app, client, add_jobs):
    add_jobs(1)
    for page in range(300):
        client.get("/api/v1/jobs", query_string={"limit": 1 + page % 50, "q": f"w{page}"})
    assert len(app.extensions["jobboard.answers"]) == 256


def test_a_repeated_job_page_costs_no_query_until_its_views_are_due(
    app, client, session, sessions, add_jobs, count_queries
):
    app.config["VIEW_FLUSH_SECONDS"] = 60
    (job_id,) = add_jobs(1)
    slug = session.get(Job, job_id).slug
    client.get(f"/jobs/{slug}")
    with count_queries() as sql:
        for _ in range(3):
            assert client.get(f"/jobs/{slug}").status_code == 200
    assert sql == []
    with sessions() as reader:
        assert clicks.totals_by_via(reader, job_id) == {}
    with app.app_context():
        PageViews.of_app().flush()
    with sessions() as reader:
        assert clicks.totals_by_via(reader, job_id) == {"view": 4}


def test_a_page_too_large_to_keep_is_rendered_again_not_served_empty(client, add_jobs, monkeypatch):
    add_jobs(3)
    monkeypatch.setattr(AnswerCache, "MAX_BODY", 100)
    first = client.get("/")
    again = client.get("/")
    assert len(first.data) > 100
    assert again.data == first.data


def test_a_deploy_that_changes_how_answers_read_changes_every_etag(tmp_path):
    """Else a client holding an ETag is told 304 and keeps the old rendering."""
    for folder in ("api", "models", "templates"):
        shutil.copytree(config.ROOT / folder, tmp_path / folder)
    before = conditional.rendering_digest(tmp_path)
    assert conditional.rendering_digest(tmp_path) == before
    page = tmp_path / "templates" / "job.html"
    page.write_text(page.read_text() + "<p>Shared by our newsletter.</p>\n")
    assert conditional.rendering_digest(tmp_path) != before


def test_a_worker_keeps_a_bounded_total_of_answers_whatever_the_query_strings():
    """Any parameter varies an answer's key (`?limit=100&x=1`, `&x=2`, ...), so a client can
    fill every place: MAX_ENTRIES answers of up to MAX_BODY each held 512 MiB per worker."""
    answers = AnswerCache()
    body = b"x" * (AnswerCache.MAX_BODY - 1)  # one object: the test itself stays small
    for n in range(AnswerCache.MAX_ENTRIES):
        answers.put(f"/api/v1/jobs?limit=100&x={n}", Answer("etag", "catalog", 0.0, body))
    kept = [answers.get(f"/api/v1/jobs?limit=100&x={n}") for n in range(AnswerCache.MAX_ENTRIES)]
    held = sum(len(answer.body) for answer in kept if answer is not None and answer.body)
    assert held <= AnswerCache.MAX_BYTES == 64 * 1024 * 1024
    newest = kept[-1]
    assert newest is not None and newest.body == body  # the latest answers stay
