"""Prometheus metrics: requests and latency from all gunicorn workers, data gauges from the DB.

Request metrics live in each worker process; with several workers, prometheus_client's
multiprocess mode shares them through files under PROMETHEUS_MULTIPROC_DIR (set up by
gunicorn.conf.py), so whichever worker answers /metrics reports all of them. The gauges
about the data (jobs by status, crawl runs by status, last clean crawl per source) are
read from the database at scrape time, so every worker answers the same.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, g, request, request_started
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy.exc import SQLAlchemyError

from api.database import db_session
from models import operations
from models.tables import JobStatus, RunStatus

REQUESTS = Counter(
    "jobboard_http_requests",
    "HTTP requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "jobboard_http_request_duration_seconds",
    "Time from the request's start to its response, by endpoint.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
UNMATCHED = "unmatched"  # requests no route answered: one label, whatever the path

blueprint = Blueprint("metrics", __name__)


def init_app(app: Flask) -> None:
    request_started.connect(_start_timer, app)
    app.after_request(_record)
    app.register_blueprint(blueprint)


def _start_timer(_app: Flask, **_extra: object) -> None:
    g.metrics_started = time.perf_counter()


def _record(response: Response) -> Response:
    observe(request.endpoint, request.method, response.status_code, g.metrics_started)
    return response


def observe(endpoint: str | None, method: str, status: int, started: float) -> None:
    """Count one answered request and its latency (also for those answered before Flask)."""
    endpoint = endpoint or UNMATCHED
    REQUESTS.labels(endpoint, method, str(status)).inc()
    LATENCY.labels(endpoint, method).observe(time.perf_counter() - started)


@blueprint.get("/metrics")
def metrics() -> Response:
    """Prometheus text format: every worker's request metrics plus the data read now."""
    data = CollectorRegistry(auto_describe=False)
    data.register(DataCollector())
    body = generate_latest(_request_registry()) + generate_latest(data)
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _request_registry() -> CollectorRegistry:
    """All workers' request metrics in multiprocess mode, else this process's registry."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry


class DataCollector:
    """Gauges computed from the database at scrape time; `jobboard_database_up` 0 if it is down."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("jobboard_database_up", "1 if the database answered this scrape.")
        try:
            families = list(self._families())
        except SQLAlchemyError:
            db_session().rollback()
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self) -> Iterator[Metric]:
        session = db_session()
        yield _by_status(
            "jobboard_jobs",
            "Jobs by status.",
            operations.counts(session, operations.jobs_by_status(), JobStatus.ALL),
        )
        yield _by_status(
            "jobboard_crawl_runs",
            "Crawl runs recorded, by status.",
            operations.counts(session, operations.runs_by_status(), RunStatus.ALL),
        )
        last = GaugeMetricFamily(
            "jobboard_source_last_success_timestamp_seconds",
            "When each source last finished a clean crawl (Unix time).",
            labels=["source_id", "kind", "company"],
        )
        for source_id, kind, company, at in session.execute(operations.sources_last_success()):
            last.add_metric([str(source_id), kind, company], at.timestamp())
        yield last


def _by_status(name: str, documentation: str, counts: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=["status"])
    for status, count in counts.items():
        family.add_metric([status], count)
    return family
