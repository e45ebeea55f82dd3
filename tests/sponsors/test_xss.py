"""An XSS corpus through the form and the API, rendered everywhere a job is shown.

Each vector goes into every text field of a posting (title, company, location,
remote note, tags, description, the query of the apply URL and website). Then
every page, feed and answer that shows jobs is parsed like a browser parses it,
and no script element, event handler or script URL may appear outside the
JSON-LD block, which itself must stay valid JSON.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import html5lib
import pytest
from markdown_it import MarkdownIt

from models import lifecycle
from models.tables import Job
from tests.sponsors.conftest import bearer, csrf_token, submit_form
from tests.sponsors.htmlcheck import dangers
from tests.sponsors.xss_corpus import TEXT_VECTORS, URL_VECTORS

ATOM = "{http://www.w3.org/2005/Atom}"
_newsletter_markdown = MarkdownIt("commonmark", {"html": True})  # as a permissive mail tool would


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return app_config | {"PAGE_SIZE": 200}


def test_the_corpus_is_large_enough():
    assert len(TEXT_VECTORS) >= 30 and len(set(TEXT_VECTORS)) == len(TEXT_VECTORS)


def vector_fields(n: int, vector: str) -> dict:
    return {
        "title": f"{vector} Engineer {n}",
        "company": f"{vector} Corp",
        "location": vector,
        "remote_note": vector[:200],
        "tags": [vector[:60]],
        "description": f"{vector}\n\nThe role: {vector}",
        "apply_url": f"https://apply.example/{n}?note={vector}",
        "company_website": f"https://corp.example/?v={vector}",
    }


def post_corpus_through_the_api(client, token: str) -> None:
    for n, vector in enumerate(TEXT_VECTORS):
        for description in ("description", "description_html"):
            fields = vector_fields(n, vector)
            fields[description] = fields.pop("description")
            fields["title"] += f" {description}"
            response = client.post("/api/v1/sponsor/jobs", json=fields, headers=bearer(token))
            assert response.status_code == 201, (vector, response.get_json())


def post_corpus_through_the_form(client) -> None:
    token = csrf_token(client.get("/post").get_data(as_text=True))
    for n, vector in enumerate(TEXT_VECTORS):
        fields = vector_fields(n, vector) | {"email": "xss@orbital.example"}
        fields["tags"] = fields["tags"][0].replace(",", " ")
        preview = client.post("/post", data=fields | {"action": "preview", "csrf_token": token})
        assert preview.status_code == 200, vector
        assert_safe_html(preview.get_data(as_text=True), f"preview of {vector!r}")
        response = client.post("/post", data=fields | {"action": "submit", "csrf_token": token})
        assert response.status_code == 303, vector
        client.get("/post/submitted")


def assert_safe_html(markup: str, where: str) -> None:
    assert dangers(markup) == [], where
    document = html5lib.parse(markup, namespaceHTMLElements=False)
    for script in document.iter("script"):
        if script.get("type") == "application/ld+json":
            json.loads(script.text)  # a breakout would leave invalid JSON behind


def heading(markup: str) -> str:
    document = html5lib.parse(markup, namespaceHTMLElements=False)
    return "".join(document.find(".//h1").itertext()).strip()


def assert_everything_renders_safely(client, admin_client=None) -> None:
    items = client.get("/api/v1/jobs", query_string={"limit": 100}).get_json()["items"]
    assert len(items) >= len(TEXT_VECTORS)
    for item in items:
        assert dangers(item["description_html"]) == [], item["title"]
        slug = item["url"].rsplit("/", 1)[1]
        page = client.get(f"/jobs/{slug}").get_data(as_text=True)
        assert_safe_html(page, item["title"])
        assert heading(page) == item["title"]  # shown verbatim, as text
        if admin_client is not None:
            page = admin_client.get(f"/admin/jobs/{item['id']}").get_data(as_text=True)
            assert_safe_html(page, f"admin page of {item['title']!r}")
    assert_safe_html(client.get("/").get_data(as_text=True), "the board")
    for query in ({"q": "alert"}, {"tag": items[0]["tags"][0]} if items[0]["tags"] else {}):
        assert_safe_html(client.get("/", query_string=query).get_data(as_text=True), str(query))
    assert_feeds_are_safe(client)


def assert_feeds_are_safe(client) -> None:
    feed = client.get("/feed.json", query_string={"limit": 100}).get_json()
    for item in feed["items"]:
        assert dangers(item["content_html"]) == [], item["title"]
    atom = ET.fromstring(client.get("/feed.atom", query_string={"limit": 100}).data)
    for entry in atom.iter(f"{ATOM}entry"):
        for content in entry.iter(f"{ATOM}content"):
            assert dangers(content.text or "") == [], entry.findtext(f"{ATOM}title")
    section = client.get("/newsletter/jobs.html", query_string={"limit": 100})
    assert_safe_html(section.get_data(as_text=True), "the newsletter section (HTML)")
    markdown = client.get("/newsletter/jobs.md", query_string={"limit": 100})
    rendered = _newsletter_markdown.render(markdown.get_data(as_text=True))
    assert dangers(rendered) == [], "the newsletter section (Markdown)"


def test_no_vector_survives_the_api(client, admin_client, trusted_token):
    post_corpus_through_the_api(client, trusted_token)
    assert_everything_renders_safely(client, admin_client)


def test_no_vector_survives_the_form(client, admin_client, session):
    post_corpus_through_the_form(client)
    queue = admin_client.get("/admin/").get_data(as_text=True)
    assert_safe_html(queue, "the review queue")
    for job in session.query(Job).all():
        lifecycle.publish(job)
    session.commit()
    assert_everything_renders_safely(client, admin_client)


@pytest.mark.parametrize("vector", URL_VECTORS)
@pytest.mark.parametrize("field", ["apply_url", "company_website", "company_logo_url"])
def test_script_urls_are_refused_by_the_api(client, trusted_token, vector, field):
    fields = vector_fields(0, "plain") | {field: vector}
    response = client.post("/api/v1/sponsor/jobs", json=fields, headers=bearer(trusted_token))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


@pytest.mark.parametrize("vector", URL_VECTORS)
@pytest.mark.parametrize("field", ["apply_url", "company_website", "company_logo_url"])
def test_script_urls_are_refused_by_the_form(client, session, vector, field):
    fields = vector_fields(0, "plain") | {field: vector, "email": "a@orbital.example"}
    fields["tags"] = "plain"
    response = submit_form(client, "/post", fields | {"action": "submit"})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert session.query(Job).count() == 0
