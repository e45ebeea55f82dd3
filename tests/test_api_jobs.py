"""GET /api/v1/jobs and the board page over the same queries, on both backends."""

from __future__ import annotations

from datetime import datetime

import pytest

from models.ingest import upsert_postings
from models.tables import Source
from tests.factories import raw_posting

JOB_KEYS = {
    "id",
    "url",
    "apply_url",
    "title",
    "company",
    "location",
    "country",
    "remote",
    "remote_note",
    "employment_type",
    "seniority",
    "salary",
    "tags",
    "description_html",
    "posted_at",
    "updated_at",
    "published_at",
    "valid_through",
    "featured",
    "origin",
}


@pytest.fixture
def source(session):
    source = Source(
        kind="greenhouse", url="https://boards-api.example.com/v1/boards/acme/jobs", company="Acme"
    )
    session.add(source)
    session.commit()
    return source


def ingest(session, source, *postings):
    return upsert_postings(session, list(postings), source=source)


def test_api_lists_jobs_with_the_design_job_json(client, session, source):
    ingest(
        session, source, raw_posting(title="Senior ML Engineer", remote_note="UK time +/- 2 hours")
    )
    body = client.get("/api/v1/jobs").get_json()
    assert body["next_cursor"] is None
    (job,) = body["items"]
    assert set(job) == JOB_KEYS
    assert job["title"] == "Senior ML Engineer"
    assert job["company"]["name"] == "Acme AI" and job["company"]["slug"] == "acme-ai"
    assert job["url"].startswith("http://jobs.test/jobs/")
    assert job["salary"] == {"min": 90000.0, "max": 120000.0, "currency": "GBP", "period": "year"}
    assert job["remote_note"] == "UK time +/- 2 hours"


def test_the_job_json_says_when_the_job_was_first_published_which_an_edit_does_not_move(
    client, session, source
):
    """A sync client sees the change (updated_at) and can tell an edit from a new opening."""
    first, edited = "2026-11-01T09:00:00+00:00", "2026-11-20T09:00:00+00:00"
    posting = raw_posting(external_id="7")
    upsert_postings(session, [posting], source=source, now=datetime.fromisoformat(first))
    changed = posting | {"title": "Staff ML Engineer"}
    upsert_postings(session, [changed], source=source, now=datetime.fromisoformat(edited))
    (job,) = client.get("/api/v1/jobs").get_json()["items"]
    assert (job["published_at"], job["updated_at"]) == (first, edited)
    assert client.get(f"/api/v1/jobs/{job['id']}").get_json()["published_at"] == first


def test_api_pages_cover_every_job_once(client, session, source):
    ingest(session, source, *(raw_posting() for _ in range(7)))
    seen, cursor = [], None
    while True:
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/jobs", query_string=query).get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == list(range(1, 8))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"remote": "spaceship"}, "remote"),
        ({"salary_min": "lots"}, "salary_min"),
        ({"salary_min": 1, "salary_currency": "dollars"}, "salary_currency"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_api_rejects_bad_parameters_naming_the_field(client, query, field):
    response = client.get("/api/v1/jobs", query_string=query)
    assert response.status_code == 422
    assert field in str(response.get_json()["errors"])


def test_api_rejects_a_forged_cursor(client):
    response = client.get("/api/v1/jobs", query_string={"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 400
    assert "cursor" in response.get_json()["errors"]


def test_api_unknown_job_is_404(client):
    assert client.get("/api/v1/jobs/999").status_code == 404


def test_board_lists_published_jobs_escaped(client, session, source):
    ingest(session, source, raw_posting(title="Research Engineer <img src=x onerror=alert(1)>"))
    page = client.get("/").get_data(as_text=True)
    assert "Research Engineer &lt;img" in page
    assert "<img src=x" not in page


def test_board_bad_filter_is_400_with_the_reason(client):
    response = client.get("/?remote=spaceship")
    assert response.status_code == 400
    assert "remote" in response.get_data(as_text=True)


def test_healthz_reports_the_database(client):
    assert client.get("/healthz").get_json()["database"] == "ok"
