"""Engine and session factory built from DATABASE_URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import config


def make_engine(
    url: str | None = None, *, statement_timeout: float | None = None, **kwargs
) -> sa.Engine:
    """An engine tuned per backend: WAL and foreign keys on SQLite, pre-ping on PostgreSQL.

    `statement_timeout` (seconds) bounds each statement, waiting for locks included, so a
    web request gives up before its worker is killed; crawls and migrations have none
    (SQLite's wait for the write lock is 30 s then).
    """
    url = url or config.database_url()
    if url.startswith("sqlite"):
        timeout = statement_timeout or 30
        engine = sa.create_engine(url, connect_args={"timeout": timeout}, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 5)
    kwargs.setdefault("max_overflow", 10)
    if statement_timeout:
        milliseconds = round(statement_timeout * 1000)
        kwargs["connect_args"] = {"options": f"-c statement_timeout={milliseconds}"}
    engine = sa.create_engine(url, **kwargs)
    sa.event.listen(engine, "connect", _pg_custom_plans)
    return engine


def _pg_custom_plans(dbapi_connection, _record) -> None:
    """Plan each execution for its own values.

    psycopg prepares a statement run five times, and PostgreSQL may then switch to one
    generic plan for all values: for a page of search results or tag filters that plan
    can walk a whole index (100k jobs: ~10 ms custom, ~700 ms generic, at random).
    """
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers proceed during an ingest; foreign keys are off by default in SQLite."""
    dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" hook issue BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Emit BEGIN ourselves: pysqlite's implicit transactions break SAVEPOINT and locking.

    A writer's session asks for BEGIN IMMEDIATE (see `writer_session_factory`): it waits
    for the write lock up front, where a deferred transaction that read first would be
    refused at once ("database is locked") once another writer committed meanwhile.
    """
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def dialect_of(session: so.Session) -> str:
    """ "postgresql" or "sqlite": the few queries that differ by backend branch on it."""
    return session.get_bind().dialect.name


def make_session_factory(engine: sa.Engine) -> so.sessionmaker[so.Session]:
    """Sessions that keep loaded objects usable after commit (views render after writing)."""
    return so.sessionmaker(bind=engine, expire_on_commit=False)


def writer_session_factory(engine: sa.Engine) -> so.sessionmaker[so.Session]:
    """Sessions for units of work that may write: crawls, the clock, the CLI, unsafe requests.

    On SQLite each transaction begins IMMEDIATE (see `_sqlite_begin`); readers keep
    `make_session_factory`, so that they never wait for a writer.
    """
    return make_session_factory(engine.execution_options(sqlite_immediate=True))


@contextmanager
def session_scope(factory: so.sessionmaker[so.Session]) -> Iterator[so.Session]:
    """One unit of work for scripts and the clock: commit on success, roll back on error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


_MISSING_TABLE = re.compile(r"no such table|relation \S+ does not exist")


def schema_missing(exc: sa.exc.SQLAlchemyError) -> bool:
    """Whether the database answered that it has no jobboard tables (no migration ran on it),
    which its operator fixes with `jobboard db upgrade`, not by looking for a network fault."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    return bool(_MISSING_TABLE.search((message.splitlines() or [""])[0]))
