"""`jobboard serve` and `run` start gunicorn with the settings README documents."""

from __future__ import annotations

import pytest

from tests.ops.conftest import free_port, jobboard, wait_http


@pytest.mark.parametrize("command", ["serve", "run"])
def test_an_empty_web_concurrency_starts_the_server_as_an_unset_one_does(
    tmp_path, processes, command
):
    """README: unset or empty is 2 workers. gunicorn reads the variable itself at import,
    and int('') was its traceback, after jobboard had accepted the setting."""
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "WEB_CONCURRENCY": ""}
    if command == "serve":
        processes(*jobboard("db", "upgrade"), env=env).popen.wait(timeout=60)
    server = processes(*jobboard(command, "--bind", f"127.0.0.1:{port}"), env=env)
    assert wait_http(f"http://127.0.0.1:{port}/healthz", timeout=30, process=server) == 200
    assert server.stop() < 15
