"""Static files: versioned addresses that browsers keep, so a page view fetches only the page."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def static_links(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_static_files_by_their_digest(static_links):
    assert static_links
    assert all(re.search(r"\?v=[0-9a-f]{12}$", link) for link in static_links)


def test_a_static_file_asked_for_by_its_digest_is_kept_a_year(client, static_links):
    response = client.get(static_links[0])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_any_other_address_of_it_is_revalidated(client, static_links, query):
    response = client.get(static_links[0].split("?")[0] + query)
    assert response.status_code == 200
    assert "max-age=31536000" not in response.headers.get("Cache-Control", "")
