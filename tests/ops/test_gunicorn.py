"""`jobboard serve` with two gunicorn workers: rate limits in Redis, shared metrics, JSON logs.

To make sure both workers answer, a test first holds one worker with a half-sent
request (a sync worker serves one connection at a time), so every other request
goes to the second worker; then it sends the rest, and the held worker answers last.
"""

from __future__ import annotations

import json
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis
import requests

from tests.ops.conftest import Process, free_port, jobboard, wait_http
from tests.ops.test_metrics import value

REDIS_URL = "redis://127.0.0.1:6379/0"
LOGIN_LIMIT = 5  # ADMIN_LOGIN_RATE_LIMIT, per client address


@dataclass
class Server:
    base_url: str
    port: int
    process: Process

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.process.output().splitlines() if line.strip()]

    def access_pids(self) -> dict[str, int]:
        """Which worker answered each request, by request id."""
        return {
            line["request_id"]: line["pid"]
            for line in self.log_lines()
            if line["logger"] == "jobboard.access"
        }


@pytest.fixture(scope="module")
def server(pg_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Two workers on PostgreSQL with rate limits in Redis under a key prefix of this run."""
    prefix = f"jobboard-test-{uuid.uuid4().hex[:12]}"
    port = free_port()
    env = {
        "DATABASE_URL": pg_database,
        "SECRET_KEY": "shared-by-both-workers",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    argv = jobboard("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2")
    process = Process(argv, log, env).start()
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", process=process)
        yield Server(f"http://127.0.0.1:{port}", port, process)
        assert process.stop() < 5
    finally:
        process.kill_group()
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)


class HeldRequest:
    """A request sent in two parts: the worker that accepts it is busy until the rest comes."""

    def __init__(self, port: int, raw: bytes) -> None:
        self.raw = raw
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(raw[:20])

    def finish(self) -> tuple[int, str]:
        self.sock.sendall(self.raw[20:])
        with self.sock, self.sock.makefile("rb") as reply:
            status = int(reply.readline().split()[1])
            text = reply.read().decode(errors="replace")
        return status, text


def raw_request(
    method: str, path: str, request_id: str, headers: str = "", body: str = ""
) -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"X-Request-ID: {request_id}\r\n{headers}Content-Length: {len(body)}\r\n\r\n{body}"
    ).encode()


def test_two_workers_share_one_rate_limit_through_redis(server: Server) -> None:
    http = requests.Session()
    page = http.get(server.url("/admin/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    form = f"csrf_token={token}"
    cookie = f"Cookie: session={http.cookies['session']}\r\n"
    content = "Content-Type: application/x-www-form-urlencoded\r\n"
    held = HeldRequest(
        server.port, raw_request("POST", "/admin/login", "held-login", cookie + content, form)
    )
    statuses = [
        http.post(
            server.url("/admin/login"),
            data={"csrf_token": token},
            headers={"X-Request-ID": f"login-{n}"},
        ).status_code
        for n in range(LOGIN_LIMIT + 1)
    ]
    assert statuses == [422] * LOGIN_LIMIT + [429]  # an empty form is 422; then the limit
    status, _ = held.finish()
    assert status == 429  # the other worker had counted nothing itself
    pids = server.access_pids()
    assert pids["held-login"] != pids["login-0"]
    assert {pids[f"login-{n}"] for n in range(LOGIN_LIMIT + 1)} == {pids["login-0"]}


def test_metrics_add_up_every_workers_requests(server: Server) -> None:
    before = requests.get(server.url("/metrics")).text
    held = HeldRequest(server.port, raw_request("GET", "/metrics", "held-metrics"))
    for n in range(3):
        assert requests.get(server.url("/healthz"), headers={"X-Request-ID": f"h-{n}"}).ok
    after = requests.get(server.url("/metrics"), headers={"X-Request-ID": "m-1"}).text
    status, held_after = held.finish()
    assert status == 200
    pids = server.access_pids()
    assert pids["held-metrics"] != pids["m-1"] == pids["h-0"]
    labels = {"endpoint": "health.healthz", "method": "GET", "status": "200"}
    name = "jobboard_http_requests_total"
    for scrape in (after, held_after.split("\r\n\r\n", 1)[1]):
        assert value(scrape, name, **labels) - value(before, name, **labels) == 3
        assert value(scrape, "jobboard_database_up") == 1


def test_every_server_log_line_is_json_and_requests_carry_their_id(server: Server) -> None:
    response = requests.get(server.url("/healthz"), headers={"X-Request-ID": "trace-me"})
    assert response.headers["X-Request-ID"] == "trace-me"
    lines = server.log_lines()  # raises if any line is not JSON
    [access] = [line for line in lines if line.get("request_id") == "trace-me"]
    assert (access["path"], access["status"], access["logger"]) == (
        "/healthz",
        200,
        "jobboard.access",
    )
    booted = [line for line in lines if line["message"].startswith("Booting worker")]
    assert len(booted) == 2 and all(line["logger"] == "gunicorn.error" for line in booted)


def test_a_long_valid_query_is_answered_not_refused_as_too_long(server: Server) -> None:
    """Ten tags of 60 letters and a 200-letter search are valid: in Japanese, over 7,000
    bytes once percent-encoded, past gunicorn's default request line (4094), whose 414 is HTML."""
    params = {"tag": ["日" * 60] * 10, "q": "日" * 200}
    response = requests.get(server.url("/api/v1/jobs"), params=params, timeout=10)
    assert len(response.request.url) > 6000
    assert response.status_code == 200 and response.json()["items"] == []
