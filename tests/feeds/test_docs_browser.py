"""/docs in Debian's chromium under a strict CSP: Swagger UI renders every feed endpoint."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_docs_render_the_feed_endpoints_under_a_strict_csp(live_url, chromium):
    page = chromium.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_url) else None)

    def with_csp(route):
        response = route.fetch()
        route.fulfill(
            response=response, headers=response.headers | {"content-security-policy": STRICT_CSP}
        )

    page.route(f"{live_url}/docs", with_csp)
    page.goto(f"{live_url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for path in ("/api/v1/jobs", "/feed.json", "/feed.atom", "/newsletter/jobs.md"):
        assert any(text.replace("\u200b", "") == path for text in paths), paths
    assert problems == []
    assert [url for url in outside if not url.startswith("data:")] == []
