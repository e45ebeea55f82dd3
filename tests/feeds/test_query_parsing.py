"""Query strings are validated once and remembered; a rejected one is rejected every time."""

from __future__ import annotations

import uuid

import pytest

from api.schemas import ApiJobQueryArgs


def test_a_repeated_query_string_is_validated_once(client, add_jobs, monkeypatch):
    add_jobs(2)
    loads = []
    load = ApiJobQueryArgs.load

    def counting_load(self, *args, **kwargs):
        loads.append(1)
        return load(self, *args, **kwargs)

    monkeypatch.setattr(ApiJobQueryArgs, "load", counting_load)
    query = f"remote=remote&q={uuid.uuid4().hex}"  # the parser is shared by every app
    first = client.get(f"/api/v1/jobs?limit=1&{query}")
    again = client.get(f"/api/v1/jobs?limit=1&{query}")
    other = client.get(f"/api/v1/jobs?limit=2&{query}")
    assert [first.status_code, again.status_code, other.status_code] == [200, 200, 200]
    assert len(loads) == 2


def test_a_rejected_query_string_is_rejected_every_time(client):
    for _ in range(2):
        response = client.get("/api/v1/jobs?limit=1000")
        assert response.status_code == 422
        assert "limit" in response.json["errors"]["query"]


@pytest.mark.parametrize(
    "path", ["/api/v1/jobs", "/feed.json", "/feed.atom", "/newsletter/jobs.md"]
)
@pytest.mark.parametrize(
    ("query", "field"), [("location=M%FCnchen", "location"), ("tag=caf%E9", "tag")]
)
def test_a_value_that_is_not_utf8_is_422_naming_it_as_the_cli_says(
    client, add_jobs, path, query, field
):
    """A Latin-1 client's "M%FCnchen" reached the filter as the text "M%FCnchen", which no job
    matches: an empty answer instead of the reason the CLI gives for the same bytes."""
    add_jobs(1, location="München, Germany", tags=["café"])
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    assert response.json["errors"]["query"] == {field: ["Not valid UTF-8 text."]}


def test_utf8_text_and_a_real_replacement_character_still_filter(client, add_jobs):
    (job_id,) = add_jobs(1, location="München, Germany")
    for query in ("location=M%C3%BCnchen", "location=%EF%BF%BD", "unknown=%FF", "%FF=1"):
        assert client.get(f"/api/v1/jobs?{query}").status_code == 200, query
    found = client.get("/api/v1/jobs?location=M%C3%BCnchen").json["items"]
    assert [item["id"] for item in found] == [job_id]
