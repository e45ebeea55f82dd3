"""GET /api/v1/jobs and /api/v1/jobs/<id>: paging, filters, conditional GET, CORS, query counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.http import http_date, parse_date

from api.conditional import COMMIT_LEEWAY
from models import lifecycle
from models.pagination import encode_cursor
from models.tables import Job
from models.types import utcnow


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_cursor_pages_of_any_size_cover_every_job_once_featured_first(
    client, add_jobs, feature, limit
):
    ids = add_jobs(7)
    feature(ids[2])
    seen = [item["id"] for item in walk(client, "/api/v1/jobs", limit=limit)]
    assert seen == [ids[2], *sorted(set(ids) - {ids[2]}, reverse=True)]


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_paging_while_jobs_are_added_has_no_gaps_or_repeats(client, add_jobs, feature, limit):
    present = set(add_jobs(4, posted_at="2026-11-10T09:00:00Z") + add_jobs(4))
    seen, cursor = [], None
    while True:
        query = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/jobs", query_string=query).json
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
        (newest,) = add_jobs(1)
        feature(newest)  # jumps to the very top
        add_jobs(1, posted_at="2026-01-01T00:00:00Z")  # older than all: lands on later pages
    assert len(seen) == len(set(seen))
    assert present <= set(seen)


def test_repeated_request_with_the_etag_is_304_without_a_body(client, add_jobs):
    add_jobs(3)
    first = client.get("/api/v1/jobs")
    again = client.get("/api/v1/jobs", headers={"If-None-Match": first.headers["ETag"]})
    assert first.status_code == 200 and first.headers["ETag"].startswith('"')
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_etag_comes_from_the_data_not_the_clock(client, add_jobs):
    add_jobs(2)
    assert client.get("/api/v1/jobs").headers["ETag"] == client.get("/api/v1/jobs").headers["ETag"]


def test_a_changed_job_makes_the_old_etag_stale(client, add_jobs, edit):
    ids = add_jobs(3)
    etag = client.get("/api/v1/jobs").headers["ETag"]
    edit(ids[0], title="Principal Research Scientist")
    response = client.get("/api/v1/jobs", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert "Principal Research Scientist" in [item["title"] for item in response.json["items"]]


@pytest.mark.parametrize("change", ["new job", "featured"])
def test_new_jobs_and_featuring_change_the_etag(client, add_jobs, feature, change):
    ids = add_jobs(2)
    etag = client.get("/api/v1/jobs").headers["ETag"]
    if change == "new job":
        add_jobs(1)
    else:
        feature(ids[0])
    assert client.get("/api/v1/jobs", headers={"If-None-Match": etag}).status_code == 200


def test_answers_may_be_cached_briefly_by_anyone(client, add_jobs):
    add_jobs(1)
    assert client.get("/api/v1/jobs").headers["Cache-Control"] == "public, max-age=60"


def test_since_keeps_jobs_published_or_updated_after_it(client, add_jobs, edit):
    old_ids = add_jobs(3)
    since = utcnow()
    new_id, *_ = add_jobs(1)
    edit(old_ids[0])
    body = client.get("/api/v1/jobs", query_string={"since": since.isoformat()}).json
    assert {item["id"] for item in body["items"]} == {new_id, old_ids[0]}


def test_since_without_a_timezone_means_utc(client, add_jobs):
    add_jobs(1)
    response = client.get("/api/v1/jobs", query_string={"since": "2000-01-01T00:00:00"})
    assert len(response.json["items"]) == 1


@pytest.mark.parametrize("path", ["/api/v1/jobs", "/feed.json"])
def test_since_takes_a_span_back_from_now_as_the_newsletter_does(client, add_jobs, path):
    add_jobs(2, now=utcnow() - timedelta(days=10))
    add_jobs(1, title="Fresh Role")
    response = client.get(path, query_string={"since": "7d"})
    assert response.status_code == 200
    assert [item["title"].split(" @ ")[0] for item in response.json["items"]] == ["Fresh Role"]


@pytest.mark.parametrize(
    ("since", "reason"),
    [
        ("2026-12-01T00:00:00 01:00", "Write the + of a time zone as %2B"),
        ("0001-01-01T00:00:00+01:00", "Use a time between the years 1 and 9999."),
    ],
)
def test_a_since_that_cannot_be_used_says_what_to_write(client, since, reason):
    response = client.get("/api/v1/jobs", query_string={"since": since})
    assert response.status_code == 422
    assert response.json["errors"]["query"]["since"][0].startswith(reason)


def test_a_country_may_be_named_as_seekers_write_it(client, add_jobs):
    """ "UK" is what most people write for Britain; ISO's code is GB."""
    add_jobs(1, title="London Role", location="London, UK")
    add_jobs(1, title="Berlin Role", location="Berlin, Germany")
    for country in ("UK", "gb", "United Kingdom"):
        response = client.get("/api/v1/jobs", query_string={"country": country})
        assert [item["title"] for item in response.json["items"]] == ["London Role"]


def test_a_country_that_is_none_is_422_naming_the_field(client):
    response = client.get("/api/v1/jobs", query_string={"country": "XX"})
    assert response.status_code == 422
    assert response.json["errors"]["query"]["country"][0].startswith("Not a country")


def test_a_filter_given_twice_with_different_values_is_422_naming_it(client):
    response = client.get("/api/v1/jobs?remote=remote&remote=hybrid&tag=a&tag=b&utm=x&utm=y")
    assert response.status_code == 422
    assert list(response.json["errors"]["query"]) == ["remote"]


@pytest.mark.parametrize(("featured", "expect_featured"), [("true", True), ("false", False)])
def test_featured_filter(client, add_jobs, feature, featured, expect_featured):
    ids = add_jobs(3)
    feature(ids[1])
    items = client.get("/api/v1/jobs", query_string={"featured": featured}).json["items"]
    assert {item["id"] for item in items} == ({ids[1]} if expect_featured else {ids[0], ids[2]})
    assert all(item["featured"] is expect_featured for item in items)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "last tuesday"}, "since"),
        ({"since": "0001-01-01T00:00:00+01:00"}, "since"),
        ({"since": "9999-12-31T23:59:59-01:00"}, "since"),
        ({"featured": "maybe"}, "featured"),
    ],
)
def test_bad_since_or_featured_is_422_naming_the_field(client, query, field):
    response = client.get("/api/v1/jobs", query_string=query)
    assert response.status_code == 422
    assert field in response.json["errors"]["query"]


def test_read_api_is_open_to_any_origin(client, add_jobs):
    add_jobs(1)
    response = client.get("/api/v1/jobs", headers={"Origin": "https://newsletter.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_board_pages_are_not_opened_to_other_origins(client):
    response = client.get("/", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_one_job_has_etag_and_last_modified_and_honours_both(client, add_jobs):
    (job_id,) = add_jobs(1, now=utcnow() - 2 * COMMIT_LEEWAY)
    first = client.get(f"/api/v1/jobs/{job_id}")
    assert first.json["id"] == job_id
    by_etag = client.get(f"/api/v1/jobs/{job_id}", headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get(
        f"/api/v1/jobs/{job_id}", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert (by_etag.status_code, by_date.status_code) == (304, 304)


def test_a_job_changed_twice_within_one_second_is_not_304_to_the_first_copys_date(
    client, session, add_jobs
):
    """HTTP dates are whole seconds: the first copy's date also names the second change."""
    second = utcnow().replace(microsecond=0)
    (job_id,) = add_jobs(1, now=second + timedelta(milliseconds=100))
    first_copy = client.get(f"/api/v1/jobs/{job_id}")
    lifecycle.feature_until(
        session.get(Job, job_id),
        utcnow() + timedelta(days=7),
        now=second + timedelta(milliseconds=600),
    )
    session.commit()
    since = first_copy.headers["Last-Modified"]
    response = client.get(f"/api/v1/jobs/{job_id}", headers={"If-Modified-Since": since})
    assert response.status_code == 200 and response.json["featured"]


def test_a_date_before_the_jobs_last_change_is_200_and_after_it_304(client, add_jobs):
    changed = utcnow() - 2 * COMMIT_LEEWAY
    (job_id,) = add_jobs(1, now=changed)

    def status_since(moment: datetime) -> int:
        headers = {"If-Modified-Since": http_date(moment)}
        return client.get(f"/api/v1/jobs/{job_id}", headers=headers).status_code

    assert status_since(changed - timedelta(seconds=1)) == 200
    assert status_since(changed + timedelta(seconds=1)) == 304


def test_last_modified_validates_only_changes_older_than_any_write_still_committing(
    client, add_jobs
):
    """A write is stamped when it began and may commit later: a date of a recent change is
    the second it happened in, which a later write within that second cannot pass for."""
    changed = utcnow() - COMMIT_LEEWAY / 2
    (job_id,) = add_jobs(1, now=changed)
    first = client.get(f"/api/v1/jobs/{job_id}")
    assert parse_date(first.headers["Last-Modified"]) == changed.replace(microsecond=0)
    again = client.get(
        f"/api/v1/jobs/{job_id}", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert again.status_code == 200


def test_an_etag_decides_when_both_validators_are_sent(client, add_jobs, edit):
    (job_id,) = add_jobs(1, now=utcnow() - 2 * COMMIT_LEEWAY)
    old_etag = client.get(f"/api/v1/jobs/{job_id}").headers["ETag"]
    edit(job_id)
    future = http_date(utcnow() + timedelta(hours=1))
    headers = {"If-None-Match": old_etag, "If-Modified-Since": future}
    assert client.get(f"/api/v1/jobs/{job_id}", headers=headers).status_code == 200


def test_one_job_is_200_again_after_it_changes(client, add_jobs, edit):
    (job_id,) = add_jobs(1)
    etag = client.get(f"/api/v1/jobs/{job_id}").headers["ETag"]
    edit(job_id)
    assert client.get(f"/api/v1/jobs/{job_id}", headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize("limit", [1, 50])
def test_a_page_costs_three_queries_whatever_its_size(client, add_jobs, count_queries, limit):
    add_jobs(60)
    with count_queries() as sql:
        response = client.get("/api/v1/jobs", query_string={"limit": limit})
    assert len(response.json["items"]) == limit
    assert len(sql) == 3  # the catalog version, the fingerprint, the page with its companies


def test_a_304_costs_only_the_catalog_version(client, add_jobs, count_queries):
    add_jobs(30)
    etag = client.get("/api/v1/jobs").headers["ETag"]
    with count_queries() as sql:
        response = client.get("/api/v1/jobs", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert len(sql) == 1
    assert "description_html" not in sql[0] and "max(" in sql[0].lower()


def walk(client, path: str, **query) -> list[dict]:
    """Every item of a cursor-paged JSON endpoint, page by page."""
    items, cursor = [], None
    while True:
        body = client.get(path, query_string=query | ({"cursor": cursor} if cursor else {})).json
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def test_a_cursor_with_a_forged_featured_rank_is_400(client, add_jobs):
    add_jobs(2)
    cursor = encode_cursor("newest", (7, datetime(2026, 11, 20, tzinfo=UTC), 1))
    response = client.get("/api/v1/jobs", query_string={"cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json["errors"]


@pytest.mark.parametrize("job_id", [2**31, 2**63, 10**30])
def test_an_id_beyond_any_job_is_404(client, job_id):
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 404


# Leading zeros, and digits int() reads that are not ASCII (Arabic-Indic, fullwidth).
OTHER_SPELLINGS_OF_1 = ["01", "0001", "\u0661", "\uff11"]


@pytest.mark.parametrize("spelling", OTHER_SPELLINGS_OF_1)
def test_a_job_answers_at_its_own_address_only(client, add_jobs, spelling):
    """Another spelling of the id would be a second address with its own ETag and cache entry."""
    assert add_jobs(1) == [1]
    assert client.get("/api/v1/jobs/1").status_code == 200
    response = client.get(f"/api/v1/jobs/{spelling}")
    assert response.status_code == 404 and response.is_json


@pytest.mark.parametrize(
    ("query", "values"),
    [
        ({}, (0, "0001-01-01T00:00:00+05:00", 1)),
        ({}, (0, "9999-12-31T23:59:59-05:00", 1)),
        ({}, (0, "2026-11-20T00:00:00", 1)),
        ({}, (0, "2026-11-20T00:00:00+00:00", 2**31)),
        ({"sort": "salary"}, (1, 2**31)),
        ({"sort": "relevance", "q": "engineer"}, (1.0, -(2**63))),
    ],
    ids=["year-1-east", "year-9999-west", "naive", "id-over-integer", "salary", "relevance"],
)
def test_a_cursor_value_no_column_can_hold_is_400(client, add_jobs, query, values):
    add_jobs(2)
    cursor = encode_cursor(query.get("sort", "newest"), values)
    response = client.get("/api/v1/jobs", query_string=query | {"cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json["errors"]
