"""A moderator's session is a signed cookie, so a copy of it (a shared computer, a proxy log)
would open /admin/ as well: logging out ends every copy, and a copy never logged out stops
working after SESSION_LIFETIME."""

from __future__ import annotations

import time

from api.admin import SESSION_LIFETIME
from tests.sponsors.conftest import ADMIN_PASSWORD, submit_form


def _age_session(client, seconds: float) -> None:
    """Make the client's moderator session look `seconds` old."""
    with client.session_transaction() as session:
        session["admin_since"] = int(time.time() - seconds)


def test_a_moderator_session_opens_the_admin_within_its_lifetime(admin_client) -> None:
    _age_session(admin_client, SESSION_LIFETIME.total_seconds() - 60)
    assert admin_client.get("/admin/").status_code == 200


def test_a_moderator_session_older_than_its_lifetime_is_sent_to_the_login(admin_client) -> None:
    _age_session(admin_client, SESSION_LIFETIME.total_seconds() + 1)
    response = admin_client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_logging_out_ends_every_copy_of_the_session(app, admin_client) -> None:
    copy = app.test_client()
    copy.set_cookie("session", admin_client.get_cookie("session").value)
    assert copy.get("/admin/").status_code == 200
    submit_form(admin_client, "/admin/", {}, action_url="/admin/logout")
    assert copy.get("/admin/").status_code == 302


def test_a_new_login_after_a_logout_opens_the_admin(client, admin_client) -> None:
    submit_form(admin_client, "/admin/", {}, action_url="/admin/logout")
    login = {"username": "mod", "password": ADMIN_PASSWORD}
    assert submit_form(client, "/admin/login", login).status_code == 303
    assert client.get("/admin/").status_code == 200
