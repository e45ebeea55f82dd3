"""HTTP throughput with wrk against gunicorn, as a ratio of a bare Flask app in the same run.

Both apps run under the project's gunicorn config (`jobboard serve`'s command line:
JSON logs, metrics, the same worker count); only the app differs. Each endpoint gets
the same wrk run; its requests/s divided by the bare app's is the figure. Afterwards
the peak RSS of each worker is read from /proc.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from api.commands.serve import gunicorn_argv
from bench.common import children, peak_rss_mb
from models.tables import Job, JobStatus

WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
CONNECTIONS = 8
# What each kind of endpoint must reach, as a share of the bare app's requests/s.
TARGETS = {"api": 0.5, "page": 0.25, "not modified": 0.8}


def endpoints(url: str) -> dict[str, tuple[str, str]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        slug = conn.execute(
            sa.select(Job.slug).where(Job.status == JobStatus.PUBLISHED).order_by(Job.id).limit(1)
        ).scalar()
    engine.dispose()
    return {
        "/api/v1/jobs?limit=50": ("/api/v1/jobs?limit=50", "api"),
        "/feed.json": ("/feed.json", "api"),
        "/newsletter/jobs.md": ("/newsletter/jobs.md", "api"),
        "/ (board)": ("/", "page"),
        "/?q=training": ("/?q=training", "page"),
        "/jobs/<slug>": (f"/jobs/{slug}", "page"),
        "304 /api/v1/jobs?limit=50": ("/api/v1/jobs?limit=50", "not modified"),
    }


def ensure_wrk() -> str:
    """wrk's path; installs the Debian package when it is missing and we may."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        return shutil.which("wrk") or "wrk"
    raise RuntimeError("wrk is missing: install it (Debian: apt-get install wrk)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn with the project config serving `app`; yields its base URL and process."""
    port = free_port()
    argv = [*gunicorn_argv(f"127.0.0.1:{port}", WORKERS)[:-1], app]
    metrics = tempfile.mkdtemp(prefix="jobboard-bench-metrics-")
    process = subprocess.Popen(
        argv,
        env=os.environ | env | {"PROMETHEUS_MULTIPROC_DIR": metrics},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(metrics, ignore_errors=True)


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(base + "/", timeout=10).read()
            return
        except OSError:  # refused while gunicorn binds; a cold first page may time out
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def wrk(url: str, seconds: int, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One wrk run: requests/s, latency percentiles, and any non-2xx/3xx answers."""
    argv = [ensure_wrk(), "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    output = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _latency(output, "50%"),
        "p99_ms": _latency(output, "99%"),
        "bad_answers": int(errors.group(1)) if errors else 0,
    }


def _latency(output: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


def etag_of(url: str) -> str:
    return urllib.request.urlopen(url, timeout=30).headers["ETag"]


def status_of(url: str, headers: dict[str, str]) -> int:
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers)).status
    except urllib.error.HTTPError as exc:
        return exc.code


def run(url: str, seconds: int = 10) -> dict[str, Any]:
    """Requests/s of each endpoint over the bare app's, and the workers' peak memory."""
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "JOBBOARD_BASE_URL": "http://127.0.0.1:8000",
    }
    with gunicorn("bench.bare:app", env) as (base, _):
        bare = wrk(base + "/", seconds)
    results: dict[str, Any] = {"workers": WORKERS, "connections": CONNECTIONS, "bare": bare}
    with gunicorn("api:create_app()", env) as (base, process):
        for name, (path, kind) in endpoints(url).items():
            headers = {"If-None-Match": etag_of(base + path)} if kind == "not modified" else {}
            expected = 304 if headers else 200
            if status_of(base + path, headers) != expected:
                raise RuntimeError(f"{path} does not answer {expected}")
            measured = wrk(base + path, seconds, headers)
            ratio = measured["requests_per_s"] / bare["requests_per_s"]
            results[name] = measured | {
                "vs_bare": round(ratio, 3),
                "target": TARGETS[kind],
                "meets_target": ratio >= TARGETS[kind],
            }
        results["worker_peak_rss_mb"] = [peak_rss_mb(pid) for pid in children(process.pid)]
    return results
