"""Error pages people read: in the site's layout, in plain words, saying what to do next."""

from __future__ import annotations

import html
import re

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


def title_of(response) -> str:
    return html.unescape(
        re.search(r"<title>(.*?)</title>", response.get_data(as_text=True)).group(1)
    )


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/jobs/no-such-job", {}, 404),
        ("/?salary_min=-5", {}, 400),
        ("/?salary_min=-5", {"HX-Request": "true"}, 400),  # the title htmx puts in the tab
        ("/?cursor=broken", {}, 400),
    ],
)
def test_an_error_pages_title_says_error_first(client, path, headers, status):
    """Screen readers read the title first: "404 Not Found · jobboard" or "AI jobs · jobboard"
    over a refused filter did not say that something went wrong."""
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert title_of(response).startswith("Error: ")


def test_a_failed_send_of_a_form_says_error_first_in_the_title(client):
    response = submit_form(client, "/post", form_data(action="preview", description=""))
    assert response.status_code == 422
    assert title_of(response) == "Error: Post a job · jobboard"
    assert title_of(client.get("/post")) == "Post a job · jobboard"
    assert title_of(client.get("/")) == "AI jobs · jobboard"
