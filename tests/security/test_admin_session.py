"""A moderator's session is a signed cookie the server cannot revoke, so its age is bounded:
a copied cookie (a shared computer, a proxy log) stops opening /admin/ after SESSION_LIFETIME,
logged out or not."""

from __future__ import annotations

import time

from api.admin import SESSION_LIFETIME


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
