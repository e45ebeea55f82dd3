"""Fixtures: a fresh database per test on SQLite and on PostgreSQL, the app, its client and CLI.

Every data-layer test takes `db_url` (directly or through `session`, `app`, ...)
and so runs twice, once per backend. PostgreSQL must be reachable: when it is
not, those tests error out instead of being skipped, so CI cannot pass without it.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from models import migrate
from models.db import make_engine, make_session_factory
from models.ingest import upsert_postings
from models.tables import Base, Source

os.environ.setdefault("JOBBOARD_ALLOW_PRIVATE_SOURCES", "1")

PG_ADMIN_URL = os.environ.get(
    "JOBBOARD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (much faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def store_postings(url: str, *postings: dict) -> None:
    """Ingest postings into the database at `url` from one source, on a connection of their own
    (migration tests move that database's schema down and up around them)."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        source = Source(kind="lever", url="https://api.lever.example/v0/postings/a", company="A")
        session.add(source)
        session.commit()
        upsert_postings(session, list(postings), source=source)
    engine.dispose()


@contextmanager
def new_pg_database(prefix: str = "jobboard_t") -> Iterator[str]:
    """A migrated PostgreSQL database of the caller's own, dropped at the end."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        raise RuntimeError(
            f"PostgreSQL is required for the test suite and is unreachable at {PG_ADMIN_URL}: {exc}"
        ) from exc
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A migrated PostgreSQL database of this test process's own, dropped at the end."""
    with new_pg_database() as url:
        yield url


def set_env(monkeypatch: pytest.MonkeyPatch, name: str, value: str | None) -> None:
    """Set the variable to `value`, or unset it when `value` is None."""
    if value is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, value)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty migrated database: a copied SQLite file, or a truncated PostgreSQL one."""
    if request.param == "sqlite":
        path = tmp_path / "jobboard.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    truncate_all(url)
    return url


def truncate_all(url: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: sa.Engine) -> so.sessionmaker[so.Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(sessions: so.sessionmaker[so.Session]) -> Iterator[so.Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def pg_sessions(pg_database: str) -> Iterator[so.sessionmaker[so.Session]]:
    """Sessions on an empty PostgreSQL database, for tests of PostgreSQL-only guarantees."""
    truncate_all(pg_database)
    engine = make_engine(pg_database)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def app_config(db_url: str) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": db_url,
        "SECRET_KEY": "test-secret",
        "BASE_URL": "http://jobs.test",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Ask for the catalog version on every request, so a test sees its own writes at once.
        "CATALOG_RECHECK_SECONDS": 0,
        "VIEW_FLUSH_SECONDS": 0,  # and each page view is written before the response
        "FACET_INDEX": "inline",  # and board totals come from an index of the current catalog
    }


@pytest.fixture
def app(app_config: dict):
    from api import create_app

    app = create_app(app_config)
    yield app
    app.extensions["jobboard.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch):
    """Invoke `jobboard ...` in-process against this test's database."""
    from click.testing import CliRunner

    from api.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    runner = CliRunner()

    def invoke(*args: str, **kwargs):
        return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)

    return invoke


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_url(app) -> Iterator[str]:
    """The test's app under a threaded WSGI server on a free 127.0.0.1 port, for browser tests."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url  # the site's public address: links it prints lead back here
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join()


@pytest.fixture
def chromium():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# SQLite's engine issues its own BEGIN; transaction control is not a query of the page.
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@pytest.fixture
def count_queries(app) -> Callable[[], AbstractContextManager[list[str]]]:
    """`with count_queries() as sql:` collects the SQL the app's engine runs inside the block."""
    engine = app.extensions["jobboard.engine"]

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args) -> None:
            if not statement.lstrip().upper().startswith(_TRANSACTION_CONTROL):
                statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def busy_writer(db_url: str, session) -> Iterator[None]:
    """Another connection committing small writes back to back, as a crawl's heartbeats and
    batches do, for as long as the test runs."""
    source = Source(kind="lever", url="https://api.lever.example/v0/postings/other", company="O")
    session.add(source)
    session.commit()
    committed, stop = threading.Event(), threading.Event()

    def write() -> None:
        engine = make_engine(db_url)
        with engine.connect() as connection:
            while not stop.is_set():
                connection.execute(
                    sa.update(Source).where(Source.id == source.id).values(enabled=True)
                )
                connection.commit()
                committed.set()
        engine.dispose()

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    assert committed.wait(10)
    yield
    stop.set()
    writer.join(10)
