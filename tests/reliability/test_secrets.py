"""Secrets stay secret: stored only as hashes, and never written to a log line.

Every record logged anywhere in the process (the access log, Flask's error log,
libraries) is captured while requests carry a sponsor's API token, a manage link's
token and a moderator's password; none of them may appear in it.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import admin_users
from models.tables import Base
from tests.reliability.conftest import make_app
from tests.sponsors.conftest import csrf_token
from tests.sponsors.factories import form_data, sponsor_fields

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(db_url: str):
    app = make_app(db_url)
    with app.app_context():
        session = sa.orm.Session(app.extensions["jobboard.engine"])
        admin_users.create(session, "mod", PASSWORD)
        session.commit()
        session.close()
    yield app
    app.extensions["jobboard.engine"].dispose()


def csrf(client, path: str) -> str:
    return csrf_token(client.get(path).get_data(as_text=True))


def manage_token(client) -> str:
    """Post through the form and read the manage link's token off the confirmation page."""
    form = form_data(action="submit") | {"csrf_token": csrf(client, "/post")}
    assert client.post("/post", data=form).status_code == 303
    page = client.get("/post/submitted").get_data(as_text=True)
    return re.search(r"/manage/([A-Za-z0-9_-]{20,})", page).group(1)


def database_text(app) -> str:
    """Every value in every table, as text."""
    engine = app.extensions["jobboard.engine"]
    with engine.connect() as conn:
        rows = [conn.execute(sa.select(table)).all() for table in Base.metadata.sorted_tables]
    return repr(rows)


def test_no_secret_reaches_the_logs(app, sponsor_token: str, all_logs) -> None:
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {sponsor_token}"}
    assert (
        client.post("/api/v1/sponsor/jobs", headers=bearer, json=sponsor_fields()).status_code
        == 201
    )
    assert client.get("/api/v1/sponsor/jobs", headers=bearer).status_code == 200
    token = manage_token(client)
    for path in (
        f"/manage/{token}",
        f"/manage/{token}/",
        f"/manage/{token}/close",
        f"/manage/{token}x",
        f"/manage/{token}/extra",
    ):
        client.get(path)
    login = {"username": "mod", "password": PASSWORD, "csrf_token": csrf(client, "/admin/login")}
    assert client.post("/admin/login", data=login).status_code == 303
    wrong = {
        "username": "mod",
        "password": PASSWORD + "!",
        "csrf_token": csrf(client, "/admin/login"),
    }
    client.post("/admin/login", data=wrong)
    logged = all_logs.text()
    assert "/manage/<token>" in logged  # the requests were logged, without their secret
    for secret in (sponsor_token, token, PASSWORD):
        assert secret not in logged


def test_tokens_and_passwords_are_stored_only_as_hashes(app, sponsor_token: str) -> None:
    token = manage_token(app.test_client())
    stored = database_text(app)
    for secret in (sponsor_token, token, PASSWORD):
        assert secret not in stored
    assert hashlib.sha256(sponsor_token.encode()).hexdigest() in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_an_unhandled_error_on_a_manage_page_logs_no_token(
    db_url: str, all_logs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api import sponsors as sponsor_views

    app = make_app(db_url, PROPAGATE_EXCEPTIONS=False)
    token = manage_token(app.test_client())

    def broken(_token: str):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(sponsor_views, "_managed", broken)
    assert app.test_client().get(f"/manage/{token}").status_code == 500
    app.extensions["jobboard.engine"].dispose()
    assert "Exception on /manage/<token> [GET]" in all_logs.text()
    assert token not in all_logs.text()


def test_tokens_reach_the_database_only_as_hashes(app, sponsor_token: str) -> None:
    """Tokens are looked up by their sha256: no query ever carries (or compares) the token."""
    client = app.test_client()
    token = manage_token(client)
    sent: list[str] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        sent.append(f"{statement} {parameters!r}")

    engine = app.extensions["jobboard.engine"]
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        bearer = {"Authorization": f"Bearer {sponsor_token}"}
        assert client.get("/api/v1/sponsor/jobs", headers=bearer).status_code == 200
        assert client.get(f"/manage/{token}").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    queries = "\n".join(sent)
    assert sponsor_token not in queries and token not in queries
    assert hashlib.sha256(sponsor_token.encode()).hexdigest() in queries
    assert hashlib.sha256(token.encode()).hexdigest() in queries


def test_gunicorns_own_line_about_a_failed_request_logs_no_token(tmp_path: Path) -> None:
    """gunicorn names the request of a worker it had to stop (a timeout) in its error log,
    formatted from the record's args, through the handler its config sets up."""
    script = (
        "import logging, logging.config, runpy\n"
        "logging.config.dictConfig(runpy.run_path('gunicorn.conf.py')['logconfig_dict'])\n"
        "logging.getLogger('gunicorn.error').error(\n"
        "    'Error handling request %s', '/manage/s3cret-token')\n"
    )
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "Error handling request /manage/<token>" in done.stderr
    assert "s3cret-token" not in done.stderr
