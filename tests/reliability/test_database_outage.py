"""PostgreSQL going away while the app serves: clear 503s, and recovery without a restart.

The app runs on a throwaway cluster that the tests stop with `pg_ctl -m immediate`
(every connection dropped, as in a crash) and start again; the same app object must
answer again by itself, its pool pre-ping replacing the dead connections.
"""

from __future__ import annotations

import pytest

from tests.reliability.conftest import (
    Cluster,
    load_demo,
    make_app,
    migrated,
    trusted_sponsor_token,
)

DOWN_MESSAGE = "The database is unreachable or busy; please retry shortly."
PAGES = ["/", "/api/v1/jobs", "/feed.json", "/newsletter/jobs.md"]


@pytest.fixture(scope="module")
def template(pg_cluster: Cluster) -> str:
    """A migrated database with the demo jobs, copied for each test (CREATE DATABASE TEMPLATE)."""
    url = migrated(pg_cluster.create_database("outage_template"))
    load_demo(url)
    return "outage_template"


@pytest.fixture
def served(pg_cluster: Cluster, template: str, request: pytest.FixtureRequest):
    """The app on a fresh copy of the template database."""
    url = pg_cluster.create_database(f"outage_{request.node.name[:40].lower()}", template=template)
    app = make_app(url + "?connect_timeout=2")
    yield app
    app.extensions["jobboard.engine"].dispose()
    if not pg_cluster.running():
        pg_cluster.start()


def job_ids(client) -> list[int]:
    response = client.get("/api/v1/jobs?limit=100")
    assert response.status_code == 200
    return [item["id"] for item in response.get_json()["items"]]


def warm_pool(client) -> None:
    """Open pooled connections, so the restart leaves dead ones behind."""
    for path in PAGES:
        assert client.get(path).status_code == 200


def test_the_first_request_after_a_restart_is_served(served, pg_cluster: Cluster) -> None:
    client = served.test_client()
    before = job_ids(client)
    warm_pool(client)
    pg_cluster.stop()
    pg_cluster.start()
    assert job_ids(client) == before
    for path in PAGES:
        assert client.get(path).status_code == 200, path


def test_every_page_answers_503_with_the_reason_while_the_database_is_down(
    served, pg_cluster: Cluster
) -> None:
    client = served.test_client()
    warm_pool(client)
    pg_cluster.stop()
    for path in ["/api/v1/jobs", "/feed.json", "/newsletter/jobs.md"]:
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.get_json() == {
            "code": 503,
            "status": "Service Unavailable",
            "message": DOWN_MESSAGE,
        }
    page = client.get("/")
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert DOWN_MESSAGE in page.get_data(as_text=True)


def test_a_sponsor_posting_answers_503_and_nothing_half_done(served, pg_cluster: Cluster) -> None:
    client = served.test_client()
    token = trusted_sponsor_token(served.extensions["jobboard.engine"])
    pg_cluster.stop()
    response = client.post(
        "/api/v1/sponsor/jobs",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "title": "Research Engineer",
            "company": "Orbital Labs",
            "apply_url": "https://orbital.example/jobs/1",
        },
    )
    assert response.status_code == 503
    assert response.get_json()["message"] == DOWN_MESSAGE
    pg_cluster.start()
    listed = client.get("/api/v1/sponsor/jobs", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200 and listed.get_json() == []


def test_healthz_says_the_database_is_unreachable_then_recovers(
    served, pg_cluster: Cluster
) -> None:
    client = served.test_client()
    assert client.get("/healthz").get_json()["database"] == "ok"
    pg_cluster.stop()
    down = client.get("/healthz")
    assert down.status_code == 503
    assert down.get_json()["status"] == "error" and down.get_json()["database"] == "unreachable"
    pg_cluster.start()
    back = client.get("/healthz")
    assert back.status_code == 200 and back.get_json()["database"] == "ok"


def test_the_same_app_serves_the_same_jobs_once_the_database_is_back(
    served, pg_cluster: Cluster
) -> None:
    client = served.test_client()
    before = job_ids(client)
    warm_pool(client)
    pg_cluster.stop()
    assert [client.get(path).status_code for path in PAGES] == [503] * len(PAGES)
    pg_cluster.start()
    assert job_ids(client) == before
    assert [client.get(path).status_code for path in PAGES] == [200] * len(PAGES)
