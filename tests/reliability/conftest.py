"""Reliability fixtures: a throwaway PostgreSQL cluster, seeded apps, secrets and log capture.

Tests that stop PostgreSQL never touch the shared server on 5432: `pg_cluster` runs
its own cluster (initdb into a temporary directory, a free port, the `postgres` OS
user since the suite may run as root) and stops it with `pg_ctl -m immediate`, the
way a crash or a failover drops it.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from api import create_app
from models import demo, migrate, sponsors
from models.ingest import upsert_postings
from models.tables import Job, Source
from tests.conftest import PG_ADMIN_URL

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of one test module's own, that tests may stop and start."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.port = free_port()

    def _as_postgres(self, *argv: str) -> None:
        """Run a server binary as the postgres user (PostgreSQL refuses to run as root)."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, str(PG_BIN / argv[0]), *argv[1:]],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._as_postgres(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        log = str(self.root / "server.log")
        self._as_postgres("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        """Stop at once, dropping every connection (a crash, not a clean shutdown)."""
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str = "template1") -> str:
        """A new database, a copy of `template`; returns its URL."""
        admin = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        admin.dispose()
        return self.url(name)


@pytest.fixture(scope="module")
def pg_cluster() -> Iterator[Cluster]:
    """A running throwaway cluster for this module; always stopped and removed at the end."""
    if PG_BIN is None:
        pytest.fail("PostgreSQL server binaries are missing (Debian: apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="jobboard-pg-"))
    cluster = Cluster(root)
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        if cluster.running():
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def load_demo(url: str) -> None:
    """The bundled sample jobs, through the real ingest path."""
    engine = sa.create_engine(url)
    with so.Session(engine) as session:
        demo.load(session)
    engine.dispose()


@pytest.fixture
def sqlite_db_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh SQLite database, for modules whose rules do not depend on the backend."""
    path = tmp_path / "jobboard.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def demo_db(db_url: str) -> str:
    """This test's database (both backends) with the demo jobs in it."""
    load_demo(db_url)
    return db_url


def scraped_job(app, **fields: str) -> Job:
    """One scraped job (an "ML Engineer" at Acme unless `fields` say otherwise) in the app's DB."""
    posting = {
        "external_id": "1",
        "title": "ML Engineer",
        "company": "Acme",
        "apply_url": "https://jobs.acme.example/1",
    } | fields
    with so.Session(app.extensions["jobboard.engine"], expire_on_commit=False) as session:
        source = Source(kind="lever", url="https://api.lever.co/v0/postings/acme", company="Acme")
        session.add(source)
        session.commit()
        [outcome] = upsert_postings(session, [posting], source=source).outcomes
        return session.get(Job, outcome.job_id)


def make_app(url: str, **overrides):
    """The app on `url` with test settings (CSRF and rate limits stay on)."""
    config = {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "reliability-secret",
        "BASE_URL": "http://jobs.test",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Each request asks the database and writes its page view, as in tests/conftest.py.
        "CATALOG_RECHECK_SECONDS": 0,
        "VIEW_FLUSH_SECONDS": 0,
        "FACET_INDEX": "inline",
    }
    return create_app(config | overrides)


@pytest.fixture
def databases() -> Iterator:
    """Create empty databases on the test server; all dropped at the end."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    names: list[str] = []

    def create() -> str:
        name = f"jobboard_rel_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    yield create
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def trusted_sponsor_token(engine: sa.Engine) -> str:
    """Create the trusted sponsor Orbital Labs on `engine`'s database; returns its API token."""
    with so.Session(engine) as session:
        _, token = sponsors.create(session, "Orbital Labs", "jobs@orbital.example", trusted=True)
        session.commit()
    return token


@pytest.fixture
def sponsor_token(db_url: str) -> str:
    """A trusted sponsor's API token on this test's database."""
    engine = sa.create_engine(db_url)
    token = trusted_sponsor_token(engine)
    engine.dispose()
    return token


class LogCapture(logging.Handler):
    """Every record logged anywhere in the process, formatted with its extra fields."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.getMessage()} {record.__dict__!r}")

    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def all_logs() -> Iterator[LogCapture]:
    root = logging.getLogger()
    capture = LogCapture()
    level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    yield capture
    root.removeHandler(capture)
    root.setLevel(level)


def migrated(url: str) -> str:
    migrate.upgrade(url)
    return url
