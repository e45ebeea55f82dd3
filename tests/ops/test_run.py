"""`jobboard run`: one command migrates a fresh SQLite database, runs the web and the clock."""

from __future__ import annotations

import os
import signal
import time

import pytest
import requests

from tests.ops.conftest import free_port, jobboard, wait_http


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_serves_a_fresh_sqlite_database_and_stops_cleanly_on_sigterm(tmp_path, processes):
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    run = processes(*jobboard("run", "--bind", f"127.0.0.1:{port}", "--workers", "1"), env=env)
    assert wait_http(f"http://127.0.0.1:{port}/healthz", timeout=30, process=run) == 200
    assert requests.get(f"http://127.0.0.1:{port}/api/v1/jobs").json()["items"] == []
    deadline = time.monotonic() + 10
    while '"clock started"' not in run.output():
        assert time.monotonic() < deadline, run.output()
        time.sleep(0.1)
    assert run.stop() < 10
    assert run.popen.returncode == 0
    assert not group_alive(run.popen.pid), "a child of `jobboard run` outlived it"
    assert '"clock stopped"' in run.output()


def test_run_links_to_the_address_it_listens_on_when_base_url_is_unset(tmp_path, processes):
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "JOBBOARD_BASE_URL": ""}
    run = processes(*jobboard("run", "--bind", f"127.0.0.1:{port}", "--workers", "1"), env=env)
    assert wait_http(f"http://127.0.0.1:{port}/healthz", timeout=30, process=run) == 200
    robots = requests.get(f"http://127.0.0.1:{port}/robots.txt").text
    assert f"Sitemap: http://127.0.0.1:{port}/sitemap.xml" in robots


def test_run_links_to_the_base_url_when_it_is_set(tmp_path, processes):
    port = free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
        "JOBBOARD_BASE_URL": "https://jobs.example.com",
    }
    run = processes(*jobboard("run", "--bind", f"127.0.0.1:{port}", "--workers", "1"), env=env)
    assert wait_http(f"http://127.0.0.1:{port}/healthz", timeout=30, process=run) == 200
    robots = requests.get(f"http://127.0.0.1:{port}/robots.txt").text
    assert "Sitemap: https://jobs.example.com/sitemap.xml" in robots


@pytest.mark.parametrize(
    "shell",
    [
        'exec "$@"',  # from a terminal
        "trap '' INT; exec \"$@\"",  # as a background job of a script, SIGINT ignored
    ],
    ids=["terminal", "background"],
)
def test_ctrl_c_stops_run_cleanly_with_exit_status_130(tmp_path, processes, shell):
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    argv = jobboard("run", "--bind", f"127.0.0.1:{port}", "--workers", "1")
    run = processes("sh", "-c", shell, "sh", *argv, env=env)
    assert wait_http(f"http://127.0.0.1:{port}/healthz", timeout=30, process=run) == 200
    deadline = time.monotonic() + 10
    while '"clock started"' not in run.output():
        assert time.monotonic() < deadline, run.output()
        time.sleep(0.1)
    os.killpg(run.popen.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    assert run.popen.wait(timeout=10) == 130
    assert "jobboard run: stopping (Ctrl-C)" in run.output()
    assert "a child process exited" not in run.output()
    assert not group_alive(run.popen.pid), "a child of `jobboard run` outlived it"
