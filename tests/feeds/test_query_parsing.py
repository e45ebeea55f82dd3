"""Query strings are validated once and remembered; a rejected one is rejected every time."""

from __future__ import annotations

import uuid

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
