"""GET /openapi.json (generated, valid, true to the answers) and GET /docs (local assets)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

FEED_PATHS = {
    "/api/v1/jobs": "application/json",
    "/api/v1/jobs/{job_id}": "application/json",
    "/feed.json": "application/feed+json",
    "/feed.atom": "application/atom+xml",
    "/newsletter/jobs.md": "text/markdown",
    "/newsletter/jobs.html": "text/html",
}


@pytest.fixture
def spec(client) -> dict:
    return client.get("/openapi.json").json


def test_openapi_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_api_route_of_the_app_is_described(app, spec):
    routes = {
        re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes and routes <= set(spec["paths"])


@pytest.mark.parametrize(("path", "content_type"), FEED_PATHS.items())
def test_feed_endpoints_document_parameters_and_responses(spec, path, content_type):
    operation = spec["paths"][path]["get"]
    responses = operation["responses"]
    assert content_type in responses["200"]["content"]
    assert {"ETag", "Cache-Control"} <= set(responses["200"]["headers"])
    assert "304" in responses
    parameters = {p["name"] for p in operation.get("parameters", [])}
    parameters |= {p["name"] for p in spec["paths"][path].get("parameters", [])}
    expected = {
        "/api/v1/jobs/{job_id}": {"job_id"},
        "/newsletter/jobs.md": {"since", "limit", "tag"},
        "/newsletter/jobs.html": {"since", "limit", "tag"},
    }.get(path, {"q", "tag", "remote", "since", "featured", "limit", "cursor"})
    assert expected <= parameters


def test_one_job_documents_every_caching_header_it_sends(client, spec, add_jobs):
    """It sends Last-Modified and honours If-Modified-Since, which its description left out."""
    (job_id,) = add_jobs(1)
    sent = client.get(f"/api/v1/jobs/{job_id}").headers
    responses = spec["paths"]["/api/v1/jobs/{job_id}"]["get"]["responses"]
    documented = set(responses["200"]["headers"])
    assert {"ETag", "Cache-Control", "Last-Modified"} <= documented
    assert {name for name in documented if name in sent} == documented
    assert "If-Modified-Since" in responses["304"]["description"]


@pytest.mark.parametrize("path", ["/api/v1/jobs", "/feed.json"])
def test_json_answers_match_their_documented_schema(client, spec, add_jobs, feature, path):
    ids = add_jobs(3, tags=["LLM"])
    feature(ids[0])
    schema = spec["paths"][path]["get"]["responses"]["200"]["content"]
    (media,) = schema.values()
    validator = OAS31Validator(media["schema"] | {"components": spec["components"]})
    errors = [error.message for error in validator.iter_errors(client.get(path).json)]
    assert errors == []


def test_the_job_schema_documents_when_a_job_was_first_published(spec):
    """Null only in a sponsor's view of a posting never yet approved."""
    published_at = spec["components"]["schemas"]["JobOut"]["properties"]["published_at"]
    assert published_at["type"] == ["string", "null"] and published_at["format"] == "date-time"
    assert "first went on the board" in published_at["description"]


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str | None] = []
        self.styles: list[str] = []
        self.inline_script = False
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs.get("src"))
            self._in_script = True
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        if any(name.startswith("on") for name in attrs) or "style" in attrs:
            self.inline_script = True

    def handle_endtag(self, tag):
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data):
        self.inline_script = self.inline_script or (self._in_script and bool(data.strip()))


def test_docs_page_loads_swagger_ui_from_local_files_without_inline_script(client):
    response = client.get("/docs")
    assert response.status_code == 200
    page = _Assets()
    page.feed(response.get_data(as_text=True))
    assert [url.split("?v=")[0] for url in page.scripts] == [
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/docs.js",
    ]
    assert [url.split("?v=")[0] for url in page.styles] == [
        "/static/vendor/swagger-ui/swagger-ui.css"
    ]
    assert not page.inline_script
    for asset in page.scripts + page.styles:
        served = client.get(asset)
        assert served.status_code == 200 and len(served.data) > 100
