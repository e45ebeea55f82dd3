"""/metrics in one process: requests and latency by endpoint, data gauges read at scrape time."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from api import create_app
from models import lifecycle
from models.ingest import upsert_postings
from models.tables import CrawlRun, Job, JobStatus, RunStatus, Source
from models.types import utcnow
from tests.factories import raw_posting
from tests.ops.conftest import free_port


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of an exposition, by name and label set."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


def test_requests_are_counted_by_endpoint_method_and_status(client) -> None:
    before = client.get("/metrics").get_data(as_text=True)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no/such/page")
    after = client.get("/metrics").get_data(as_text=True)
    healthz = {"endpoint": "health.healthz", "method": "GET", "status": "200"}
    unmatched = {"endpoint": "unmatched", "method": "GET", "status": "404"}
    name = "jobboard_http_requests_total"
    assert value(after, name, **healthz) - value(before, name, **healthz) == 2
    assert value(after, name, **unmatched) - value(before, name, **unmatched) == 1
    latency = "jobboard_http_request_duration_seconds_count"
    labels = {"endpoint": "health.healthz", "method": "GET"}
    assert value(after, latency, **labels) - value(before, latency, **labels) == 2


def test_data_gauges_count_jobs_and_runs_by_status_at_scrape_time(client, session) -> None:
    source = Source(kind="lever", url="https://lever.test/acme", company="Acme AI")
    session.add(source)
    session.flush()
    counts = upsert_postings(session, [raw_posting() for _ in range(3)], source=source)
    first, second, _ = (session.get(Job, outcome.job_id) for outcome in counts.outcomes)
    lifecycle.close(first)
    lifecycle.reject(second)
    finished = utcnow() - timedelta(minutes=5)
    source.last_success_at = finished
    session.add_all(
        [
            CrawlRun(source_id=source.id, status=status)
            for status in ("succeeded", "succeeded", "failed")
        ]
    )
    session.commit()
    text = client.get("/metrics").get_data(as_text=True)
    assert value(text, "jobboard_database_up") == 1
    jobs = {status: value(text, "jobboard_jobs", status=status) for status in JobStatus.ALL}
    assert jobs == {"pending": 0, "published": 1, "rejected": 1, "closed": 1, "expired": 0}
    assert value(text, "jobboard_crawl_runs", status=RunStatus.SUCCEEDED) == 2
    assert value(text, "jobboard_crawl_runs", status=RunStatus.FAILED) == 1
    labels = {"source_id": str(source.id), "kind": "lever", "company": "Acme AI"}
    last = value(text, "jobboard_source_last_success_timestamp_seconds", **labels)
    assert last == finished.timestamp()


def test_metrics_still_answer_when_the_database_is_down() -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x",
        }
    )
    response = app.test_client().get("/metrics")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert value(text, "jobboard_database_up") == 0
    assert "jobboard_jobs" not in text
    app.extensions["jobboard.engine"].dispose()


def test_metrics_are_served_with_prometheus_content_type_once(client) -> None:
    from prometheus_client import CONTENT_TYPE_LATEST

    assert client.get("/metrics").headers["Content-Type"] == CONTENT_TYPE_LATEST
