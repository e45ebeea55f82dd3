"""Operations fixtures: real processes (gunicorn, the clock, scrapyd) on free local ports.

`Process` starts a command with its output in a file, `wait_http` polls a URL until it
answers, and `Forwarder` is a stoppable TCP relay used to cut and restore the app's
link to PostgreSQL. The fake ATS server and fast crawl settings come from the scraper
tests (imported, so both suites crawl the same fixtures).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy.orm as so

from models import sources
from models.db import make_engine, make_session_factory
from models.tables import Source
from tests.conftest import truncate_all
from tests.scraper.conftest import (  # noqa: F401 (fixtures)
    FixtureServer,
    add_source,
    ats,
    fast_crawls,
)

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_http(url: str, timeout: float = 20.0, process: Process | None = None) -> int:
    """Poll `url` until it answers (any status); returns the status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.popen.poll() is not None:
            raise AssertionError(f"{process.argv} exited early:\n{process.output()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@dataclass
class Process:
    """A child process of the test with its stdout and stderr in one file."""

    argv: list[str]
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = ROOT
    popen: subprocess.Popen = field(init=False)

    def start(self) -> Process:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env={**os.environ, **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # signals to the test runner never reach it
            )
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def signal(self, signum: int) -> None:
        self.popen.send_signal(signum)

    def stop(self, timeout: float = 15.0) -> float:
        """SIGTERM it and wait; returns the seconds it took to exit."""
        started = time.monotonic()
        if self.popen.poll() is None:
            self.signal(signal.SIGTERM)
            self.popen.wait(timeout=timeout)
        return time.monotonic() - started

    def kill_group(self) -> None:
        """Last resort in teardown: the process and anything it started."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator:
    """Start processes for this test; any still running at the end are killed."""
    started: list[Process] = []

    def start(
        *argv: str, env: dict[str, str] | None = None, name: str = "process", cwd: Path = ROOT
    ) -> Process:
        log = tmp_path / f"{name}-{len(started)}.log"
        process = Process(list(argv), log, env or {}, cwd).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill_group()


def jobboard(*args: str) -> list[str]:
    return [sys.executable, "-m", "api.cli", *args]


class Forwarder:
    """A TCP relay from a local port to a target that can be stopped and started again.

    Stopping closes the listening socket and every relayed connection, so the app sees
    its database vanish exactly as when the server goes down.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._links: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked in the relay thread
            listener.close()
        with self._lock:
            links, self._links = self._links, []
        for link in links:
            link.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            with self._lock:
                self._links += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """This process's PostgreSQL test database, emptied."""
    truncate_all(pg_database)
    return pg_database


@pytest.fixture
def pg_sessions_of(pg_url: str) -> Iterator[so.sessionmaker[so.Session]]:
    engine = make_engine(pg_url)
    yield make_session_factory(engine)
    engine.dispose()


def store_source(
    sessions: so.sessionmaker[so.Session], url: str, *, kind: str = "greenhouse", interval: int = 60
) -> int:
    """Store an enabled source; returns its id."""
    with sessions() as session:
        spec = sources.validate(kind, url, "Acme AI", interval)
        source: Source = sources.add(session, spec)
        session.commit()
        return source.id


GREENHOUSE = "/greenhouse/v1/boards/acme/jobs?content=true"  # three postings
