"""Logs: one JSON object per line, every line of a request tagged with its id."""

from __future__ import annotations

import io
import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from api import logs


@pytest.fixture
def db_url(sqlite_template: Path, tmp_path: Path) -> str:
    """Logging does not depend on the backend: SQLite only."""
    path = tmp_path / "jobboard.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the app logs during the test, as the JSON handler writes it."""
    stream = io.StringIO()
    handler = logs.json_handler(stream)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_logs_one_json_access_line_with_the_callers_request_id(client, log_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.42"})
    assert response.headers["X-Request-ID"] == "edge-7f3a.42"
    [line] = [r for r in records(log_lines) if r["logger"] == "jobboard.access"]
    assert line["request_id"] == "edge-7f3a.42"
    assert line["message"] == "request"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["endpoint"] == "health.healthz"
    assert line["level"] == "INFO" and isinstance(line["pid"], int) and line["time"]
    assert line["duration_ms"] >= 0


@pytest.mark.parametrize(
    "header",
    ["", "has space", 'quote"d', "x" * 129, "-leading-dash", "ünïcode", "a{b}"],
)
def test_an_unusable_request_id_is_replaced_by_a_fresh_one(client, log_lines, header):
    response = client.get("/healthz", headers={"X-Request-ID": header})
    generated = response.headers["X-Request-ID"]
    assert generated != header and len(generated) == 32
    int(generated, 16)
    [line] = [r for r in records(log_lines) if r["logger"] == "jobboard.access"]
    assert line["request_id"] == generated


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_every_record_logged_during_a_request_carries_its_id(app, log_lines):
    def noisy():
        logging.getLogger("jobboard.test").warning("inside the view")
        return "ok"

    app.add_url_rule("/noisy", view_func=noisy)
    app.test_client().get("/noisy", headers={"X-Request-ID": "req-1"})
    app.test_client().get("/healthz", headers={"X-Request-ID": "req-2"})
    lines = records(log_lines)
    assert [(r["logger"], r["request_id"]) for r in lines] == [
        ("jobboard.test", "req-1"),
        ("jobboard.access", "req-1"),
        ("jobboard.access", "req-2"),
    ]
    logging.getLogger("jobboard.test").warning("outside any request")
    assert records(log_lines)[-1]["request_id"] is None


def test_a_request_turned_away_before_its_view_still_has_an_id(client, log_lines):
    response = client.post("/admin/login", headers={"X-Request-ID": "req-csrf"})
    assert response.status_code == 400  # no CSRF token: refused by a before_request hook
    assert response.headers["X-Request-ID"] == "req-csrf"
    [line] = [r for r in records(log_lines) if r["logger"] == "jobboard.access"]
    assert (line["request_id"], line["status"]) == ("req-csrf", 400)
