"""Without SECRET_KEY, every worker of a machine signs with one key: forms work across workers.

The form is served by one worker and posted to the other (a worker held busy by a
half-sent request leaves the other the only one accepting, as in test_gunicorn).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.ops.conftest import Process, free_port, jobboard, wait_http
from tests.ops.test_gunicorn import HeldRequest, Server, raw_request

ACCEPT_PAUSE_SECONDS = 0.3
CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="module")
def server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Two workers on SQLite with SECRET_KEY unset."""
    directory = tmp_path_factory.mktemp("no-secret-key")
    shutil.copy(sqlite_template, directory / "jobboard.db")
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{directory / 'jobboard.db'}", "SECRET_KEY": ""}
    argv = jobboard("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2")
    process = Process(argv, directory / "server.log", env).start()
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", process=process)
        yield Server(f"http://127.0.0.1:{port}", port, process)
    finally:
        process.kill_group()


def other_worker_takes_the_next_request(server: Server, request_id: str) -> HeldRequest:
    """Hold the worker that is free now, so the next request goes to the other one.

    The held connection waits in the listen queue until the free worker accepts it, which
    that worker does once it is back from its last answer; a worker freed before then could
    take it instead (seen once in CI). The pause lets the free worker take it first.
    """
    held = HeldRequest(server.port, raw_request("GET", "/healthz", request_id))
    time.sleep(ACCEPT_PAUSE_SECONDS)
    return held


@pytest.mark.parametrize("path", ["/post", "/admin/login"])
def test_without_secret_key_a_form_served_by_one_worker_is_accepted_by_the_other(server, path):
    first = other_worker_takes_the_next_request(server, f"hold-1{path}")
    page = requests.get(server.url(path), headers={"X-Request-ID": f"form{path}"})
    second = other_worker_takes_the_next_request(server, f"hold-2{path}")
    assert first.finish()[0] == 200  # the worker that did not serve the form is free again
    posted = requests.post(
        server.url(path),
        data={"csrf_token": CSRF_TOKEN.search(page.text).group(1)},
        cookies=page.cookies,
        headers={"X-Request-ID": f"post{path}"},
    )
    assert second.finish()[0] == 200
    pids = server.access_pids()
    assert pids[f"form{path}"] != pids[f"post{path}"]
    assert "CSRF" not in posted.text
    assert posted.status_code == 422  # the empty form's own errors, past the CSRF check


def test_without_secret_key_serve_warns_once_that_several_machines_need_it(server):
    lines = [json.loads(line) for line in server.process.output().splitlines() if line.strip()]
    warnings = [line for line in lines if "SECRET_KEY" in line["message"]]
    assert [line["level"] for line in warnings] == ["WARNING"]
    assert "several machines" in warnings[0]["message"]
