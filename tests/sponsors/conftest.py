"""Sponsor-area fixtures: tokens, a logged-in moderator, and form posts that carry their CSRF token.

CSRF protection stays on in every test here: forms are posted the way a browser
posts them, with the token read from the page that served the form.
"""

from __future__ import annotations

import re

import pytest

from models import admin_users, sponsors

ADMIN_PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Posting limits high enough for tests that post many times; the limit tests lower them."""
    return app_config | {
        "SPONSOR_POST_RATE_LIMIT": "1000/minute",
        "SPONSOR_FORM_RATE_LIMIT": "1000/minute",
        "SPONSOR_API_RATE_LIMIT": "1000/minute",
    }


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def submit_form(client, page_url: str, data: dict, *, action_url: str | None = None):
    """GET the page, then POST `data` with the page's CSRF token, as a browser would."""
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(action_url or page_url, data=data | {"csrf_token": token})


@pytest.fixture
def sponsor_token(session) -> str:
    """The API token of an untrusted sponsor."""
    _, token = sponsors.create(session, "Orbital Labs", "jobs@orbital.example")
    session.commit()
    return token


@pytest.fixture
def trusted_token(session) -> str:
    _, token = sponsors.create(session, "Nimbus", "jobs@nimbus.example", trusted=True)
    session.commit()
    return token


@pytest.fixture
def moderator(session):
    user = admin_users.create(session, "mod", ADMIN_PASSWORD)
    session.commit()
    return user


@pytest.fixture
def admin_client(client, moderator):
    """A client with a moderator session."""
    response = submit_form(client, "/admin/login", {"username": "mod", "password": ADMIN_PASSWORD})
    assert response.status_code == 303
    return client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
