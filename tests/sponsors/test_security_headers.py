"""Security headers on every page and response, errors and API answers included."""

from __future__ import annotations

import pytest

from api.security import CONTENT_SECURITY_POLICY

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/post",
        "/admin/",
        "/admin/login",
        "/api/v1/jobs",
        "/api/v1/jobs/999",
        "/api/v1/sponsor/jobs",
        "/jobs/no-such-job",
        "/openapi.json",
        "/static/sponsors.css",
    ],
)
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, name


def test_the_policy_allows_no_inline_script_or_style():
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_hsts_only_when_served_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
