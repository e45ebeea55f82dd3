"""GET /feed.json (checked against JSON Feed 1.1) and /feed.atom (parsed as Atom 1.0)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import feedparser
import jsonschema
import pytest

from models import lifecycle
from models.tables import Job
from models.types import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"
_URL = {"type": "string", "pattern": "^https?://"}
# The JSON Feed 1.1 spec's required fields and types (https://jsonfeed.org/version/1.1).
JSON_FEED_1_1 = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": _URL,
        "feed_url": _URL,
        "next_url": _URL,
        "description": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": _URL,
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "date_published": {"type": "string"},
                    "date_modified": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "authors": {
                        "type": "array",
                        "items": {"type": "object", "required": ["name"]},
                    },
                },
                "patternProperties": {"^_": {"type": "object"}},
            },
        },
    },
}


def relative(url: str) -> str:
    """A feed's absolute next link as a path the test client can follow."""
    parts = urlsplit(url)
    assert parts.netloc == "jobs.test"
    return f"{parts.path}?{parts.query}"


def test_json_feed_is_valid_json_feed_1_1(client, add_jobs, feature):
    ids = add_jobs(3, tags=["LLM", "Robotics"])
    feature(ids[0])
    response = client.get("/feed.json")
    assert response.mimetype == "application/feed+json"
    feed = response.json
    jsonschema.validate(feed, JSON_FEED_1_1)
    assert feed["home_page_url"] == "http://jobs.test/" and feed["feed_url"].endswith("/feed.json")
    for item in feed["items"]:
        assert item["url"].startswith("http://jobs.test/jobs/") and item["id"] == item["url"]
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None
        assert datetime.fromisoformat(item["date_modified"]).tzinfo is not None
        assert {"llm", "robotics"} <= set(item["tags"])


def test_json_feed_items_carry_the_jobboard_extension_with_the_tracked_link(
    client, session, add_jobs
):
    (job_id,) = add_jobs(1, location=None, remote="remote", remote_note="UK time +/- 2 hours")
    (item,) = client.get("/feed.json").json["items"]
    extension = item["_jobboard"]
    code = session.get(Job, job_id).code
    assert extension["apply_url"] == f"http://jobs.test/j/{code}?via=feed"
    assert extension["company"]["name"] == "Acme AI"
    assert (extension["location"], extension["remote"]) == (None, "remote")
    assert extension["remote_note"] == "UK time +/- 2 hours"
    assert extension["salary"] == {
        "min": 90000.0,
        "max": 120000.0,
        "currency": "GBP",
        "period": "year",
    }
    assert "Train" in item["content_html"] and "<script" not in item["content_html"]


def test_json_feed_next_url_walks_every_job_once(client, add_jobs):
    ids = add_jobs(7)
    seen, path = [], "/feed.json?limit=3&remote=hybrid"
    while path:
        feed = client.get(path).json
        assert feed["feed_url"] == "http://jobs.test/feed.json?limit=3&remote=hybrid"
        seen += [item["id"] for item in feed["items"]]
        path = relative(feed["next_url"]) if "next_url" in feed else None
    assert len(seen) == len(set(seen)) == len(ids)


@pytest.mark.parametrize("path", ["/feed.json", "/feed.atom"])
def test_feeds_take_the_apis_filters(client, add_jobs, feature, path):
    ids = add_jobs(3)
    feature(ids[1])
    featured = client.get(path, query_string={"featured": "true"})
    assert featured.get_data(as_text=True).count("/j/") == 1
    assert client.get(path, query_string={"remote": "spaceship"}).status_code == 422


@pytest.mark.parametrize("path", ["/feed.json", "/feed.atom"])
def test_feeds_answer_304_until_a_job_changes(client, add_jobs, edit, path):
    ids = add_jobs(2)
    etag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    edit(ids[0])
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize("path", ["/feed.json", "/feed.atom", "/newsletter/jobs.md"])
def test_feeds_are_open_to_any_origin(client, add_jobs, path):
    add_jobs(1)
    response = client.get(path, headers={"Origin": "https://reader.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_atom_feed_parses_as_atom_1_0(client, session, add_jobs):
    ids = add_jobs(2, tags=["LLM"])
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title and parsed.feed.id == "http://jobs.test/feed.atom"
    assert [link.rel for link in parsed.feed.links] == ["self", "alternate"]
    codes = {session.get(Job, job_id).code for job_id in ids}
    related = []
    for entry in parsed.entries:
        assert entry.title.endswith(" @ Acme AI") and entry.author == "Acme AI"
        assert entry.link.startswith("http://jobs.test/jobs/") and entry.id == entry.link
        related += [link.href for link in entry.links if link.rel == "related"]
        assert entry.published_parsed and entry.updated_parsed
        assert "llm" in [tag.term for tag in entry.tags]
    assert sorted(related) == sorted(f"http://jobs.test/j/{code}?via=feed" for code in codes)


def test_atom_entries_have_the_elements_rfc_4287_requires(client, add_jobs):
    add_jobs(3)
    root = ET.fromstring(client.get("/feed.atom").data)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}").text
    for entry in root.iter(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "author/" + ATOM + "name"):
            assert entry.find(f"{ATOM}{name}").text
        alternates = [
            link
            for link in entry.iter(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1


def atom_updated(response) -> datetime:
    return datetime.fromisoformat(ET.fromstring(response.data).find(f"{ATOM}updated").text)


def test_the_atom_feeds_updated_moves_on_when_its_newest_job_leaves(client, session, add_jobs):
    """Dated by the jobs it lists, the feed looked older once its newest one closed."""
    now = utcnow()
    add_jobs(1, now=now - timedelta(hours=2))
    (newest,) = add_jobs(1, now=now - timedelta(hours=1))
    before = atom_updated(client.get("/feed.atom"))
    lifecycle.close(session.get(Job, newest))
    session.commit()
    after = client.get("/feed.atom")
    assert len(feedparser.parse(after.data).entries) == 1
    assert atom_updated(after) > before


def test_the_atom_feeds_updated_is_never_older_than_its_entries(client, add_jobs):
    add_jobs(3)
    root = ET.fromstring(client.get("/feed.atom?limit=2").data)
    entries = [
        datetime.fromisoformat(e.find(f"{ATOM}updated").text) for e in root.iter(f"{ATOM}entry")
    ]
    assert datetime.fromisoformat(root.find(f"{ATOM}updated").text) >= max(entries)


def test_an_atom_feed_whose_date_moved_has_a_new_etag(client, add_jobs, edit):
    """Its date is the catalog's last change, so a change outside a filtered feed moves it
    too: the ETag follows, so one ETag is always one body. The JSON Feed carries no feed
    date and stays 304."""
    add_jobs(1, remote="remote")
    (onsite,) = add_jobs(1, remote="onsite")
    atom, json_feed = client.get("/feed.atom?remote=remote"), client.get("/feed.json?remote=remote")
    edit(onsite)
    atom_again, json_again = (
        client.get(f"/feed.{kind}?remote=remote", headers={"If-None-Match": etag})
        for kind, etag in (("atom", atom.headers["ETag"]), ("json", json_feed.headers["ETag"]))
    )
    assert atom_again.status_code == 200 and atom_updated(atom_again) > atom_updated(atom)
    assert json_again.status_code == 304


# Text XML 1.0 cannot carry (noncharacters, C0 controls); a posting may hold any of it.
NOT_XML = "\ufffe\uffff\x0b"


@pytest.mark.parametrize(
    "fields",
    [
        {"title": f"Research{NOT_XML} Engineer", "company": f"Acme{NOT_XML} AI"},
        {"tags": [f"LL{NOT_XML}M"], "description_html": f"<p>Train{NOT_XML} LLMs</p>"},
        {"company_website": "https://acme.example/\ufffe\uffff/about"},
    ],
)
def test_atom_feed_is_well_formed_whatever_text_a_posting_holds(client, add_jobs, fields):
    """A character XML cannot carry never fails the feed: text drops it, a link keeps its
    address with it percent-encoded, as a browser would send it."""
    add_jobs(1, **fields)
    response = client.get("/feed.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = root.iter(f"{ATOM}entry")
    if "company_website" in fields:
        uri = entry.find(f"{ATOM}author/{ATOM}uri").text
        assert uri == "https://acme.example/%EF%BF%BE%EF%BF%BF/about"


def test_atom_pages_by_rel_next(client, add_jobs):
    ids = add_jobs(5)
    seen, path = [], "/feed.atom?limit=2"
    while path:
        parsed = feedparser.parse(client.get(path).data)
        seen += [entry.id for entry in parsed.entries]
        nexts = [link.href for link in parsed.feed.links if link.rel == "next"]
        path = relative(nexts[0]) if nexts else None
    assert len(seen) == len(set(seen)) == len(ids)


@pytest.mark.parametrize("path", ["/feed.json", "/feed.atom"])
def test_an_empty_feed_is_valid_and_stable(client, path):
    first, second = client.get(path), client.get(path)
    assert first.status_code == 200 and first.data == second.data
    if path == "/feed.json":
        jsonschema.validate(first.json, JSON_FEED_1_1)
    else:
        assert not feedparser.parse(first.data).bozo


@pytest.mark.parametrize("path", ["/feed.json", "/feed.atom", "/newsletter/jobs.md"])
@pytest.mark.parametrize("limit", [1, 40])
def test_a_feed_page_costs_three_queries_whatever_its_size(
    client, add_jobs, count_queries, path, limit
):
    add_jobs(45)
    with count_queries() as sql:
        response = client.get(path, query_string={"limit": limit})
    assert response.status_code == 200
    assert len(sql) == 3
