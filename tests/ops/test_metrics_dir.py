"""The metrics directory gunicorn.conf.py makes at start is removed when the server stops."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.ops.conftest import free_port, jobboard, wait_http


@pytest.fixture
def serve(processes, sqlite_template: Path, tmp_path: Path):
    """Start `jobboard serve` on a copy of the migrated SQLite file, temp files in tmp_path."""

    def start(metrics_dir: str):
        shutil.copy(sqlite_template, tmp_path / "jobboard.db")
        port = free_port()
        env = {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'jobboard.db'}",
            "SECRET_KEY": "test",
            "TMPDIR": str(tmp_path),
            "PROMETHEUS_MULTIPROC_DIR": metrics_dir,
        }
        server = processes(
            *jobboard("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"), env=env
        )
        assert wait_http(f"http://127.0.0.1:{port}/healthz", process=server) == 200
        return server

    return start


def test_serve_removes_the_metrics_directory_it_made_when_it_stops(serve, tmp_path):
    server = serve(metrics_dir="")
    [made] = tmp_path.glob("jobboard-metrics-*")
    assert list(made.glob("*.db"))  # the workers' metric files
    server.stop()
    assert server.popen.returncode == 0
    assert not list(tmp_path.glob("jobboard-metrics-*"))


def test_serve_keeps_the_metrics_directory_the_environment_named(serve, tmp_path):
    named = tmp_path / "metrics"
    named.mkdir()
    server = serve(metrics_dir=str(named))
    server.stop()
    assert named.is_dir()
    assert not list(tmp_path.glob("jobboard-metrics-*"))
