"""Error pages people read: in the site's layout, in plain words, saying what to do next."""

from __future__ import annotations

import pytest

from api import create_app
from tests.sponsors.conftest import submit_form
from tests.sponsors.factories import form_data


def test_a_form_too_large_says_how_much_is_accepted(client):
    """Werkzeug's "The data value transmitted exceeds the capacity limit." said nothing useful."""
    response = client.post("/post", data={"description": "x" * (1024 * 1024 + 1)})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert '<header class="site">' in page
    assert "<h1>Too large to accept</h1>" in page
    assert "at most 1.0 MiB" in page
    assert "capacity limit" not in page


@pytest.fixture
def limited_client(app_config: dict):
    app = create_app(app_config | {"SPONSOR_FORM_RATE_LIMIT": "1/minute"})
    yield app.test_client()
    app.extensions["jobboard.engine"].dispose()


def test_too_many_posts_say_the_limit_and_how_to_get_back_to_the_text(limited_client):
    """The page read only "5 per 1 minute", and the sponsor feared the typed posting lost."""
    submit_form(limited_client, "/post", form_data(action="preview"))
    response = submit_form(limited_client, "/post", form_data(action="preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "<h1>Too many tries</h1>" in page
    assert "The limit is 1 per 1 minute." in page
    assert "Back button" in page
