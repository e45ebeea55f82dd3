"""/healthz: the database's reachability and the age of the last clean crawl."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from api import create_app
from models.tables import Source
from models.types import utcnow
from tests.conftest import PG_ADMIN_URL
from tests.ops.conftest import Forwarder, free_port


def test_healthz_answers_ok_with_no_crawl_yet(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "last_crawl_success_age_seconds": None,
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_gives_the_age_of_the_newest_clean_crawl(client, session) -> None:
    now = utcnow()
    session.add_all(
        [
            Source(
                kind="lever",
                url="https://a.test/",
                company="A",
                last_success_at=now - timedelta(hours=2),
            ),
            Source(
                kind="lever",
                url="https://b.test/",
                company="B",
                last_success_at=now - timedelta(minutes=10),
            ),
            Source(kind="lever", url="https://c.test/", company="C"),
        ]
    )
    session.commit()
    age = client.get("/healthz").get_json()["last_crawl_success_age_seconds"]
    assert 600 <= age <= 610


def pg_app(url: str):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test"})


def test_healthz_is_503_while_postgresql_is_unreachable() -> None:
    app = pg_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=2")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "error",
        "database": "unreachable",
        "last_crawl_success_age_seconds": None,
    }
    app.extensions["jobboard.engine"].dispose()


def test_healthz_recovers_when_postgresql_comes_back_without_a_restart(app_config, pg_url) -> None:
    link = Forwarder(("127.0.0.1", sa.make_url(pg_url).port or 5432))
    link.start()
    url = sa.make_url(pg_url).set(port=link.port, query={"connect_timeout": "2"})
    app = pg_app(url.render_as_string(hide_password=False))
    client = app.test_client()
    try:
        assert client.get("/healthz").status_code == 200
        link.stop()
        assert client.get("/healthz").status_code == 503
        assert client.get("/healthz").status_code == 503
        link.start()
        assert client.get("/healthz").status_code == 200
    finally:
        link.stop()
        app.extensions["jobboard.engine"].dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def unmigrated_url(request, tmp_path) -> Iterator[str]:
    """A database that answers but holds no tables: `jobboard db upgrade` never ran on it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"jobboard_e_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_healthz_says_the_schema_is_missing_rather_than_the_database_unreachable(unmigrated_url):
    """A web process pointed at a database no release migrated: the operator is told to
    migrate, not sent looking for a network fault."""
    app = pg_app(unmigrated_url)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "error",
        "database": "not migrated",
        "last_crawl_success_age_seconds": None,
    }
    app.extensions["jobboard.engine"].dispose()
