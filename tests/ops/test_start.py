"""`bin/start`: the port comes from PORT or BIND, handed to `jobboard run`.

bin/start is run from a copy of the checkout whose venv and `jobboard` are stand-ins
that print how they were called, so the test needs no install and starts no server.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ops.conftest import ROOT

FAKE_JOBBOARD = '#!/bin/sh\necho "jobboard $*"\n'


@pytest.fixture
def start(tmp_path: Path):
    """Run a copy of bin/start with this environment; returns the `jobboard run` line."""
    (tmp_path / "bin").mkdir()
    shutil.copy(ROOT / "bin" / "start", tmp_path / "bin" / "start")
    (tmp_path / "bin" / "_venv.sh").write_text("ensure_venv() { :; }\n")
    fake = tmp_path / ".venv" / "bin" / "jobboard"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_JOBBOARD)
    fake.chmod(0o755)

    def run(**env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(tmp_path / "bin" / "start")],
            env={"PATH": "/usr/bin:/bin", **env},
            capture_output=True,
            text=True,
        )

    return run


@pytest.mark.parametrize(
    ("env", "bind"),
    [
        ({}, "127.0.0.1:8000"),
        ({"PORT": "8105"}, "127.0.0.1:8105"),
        ({"BIND": "0.0.0.0:8106"}, "0.0.0.0:8106"),
        ({"BIND": "127.0.0.2:8107", "PORT": "8105"}, "127.0.0.2:8107"),
    ],
)
def test_start_listens_on_port_or_bind(start, env, bind):
    finished = start(**env)
    assert finished.returncode == 0
    assert finished.stdout.splitlines()[-1] == f"jobboard run --bind {bind}"


@pytest.mark.parametrize("port", ["abc", "0", "65536", "80 80"])
def test_a_bad_port_is_named_before_anything_is_installed_or_run(start, port):
    finished = start(PORT=port)
    assert finished.returncode == 1
    assert (
        finished.stderr == f"bin/start: PORT must be a port number from 1 to 65535, not '{port}'\n"
    )
    assert finished.stdout == ""  # no migration, no demo data, no server
