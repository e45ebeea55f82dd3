"""POST/GET/PATCH/DELETE /api/v1/sponsor/jobs: every status code a client can meet."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa

from api.arguments import NOT_JSON
from models.ingest import upsert_postings
from models.tables import Job, Source
from tests.factories import raw_posting
from tests.sponsors.conftest import bearer
from tests.sponsors.factories import sponsor_fields

JOBS = "/api/v1/sponsor/jobs"


def api_fields(**overrides):
    return sponsor_fields(**overrides)


def post_job(client, token, **overrides):
    return client.post(JOBS, json=api_fields(**overrides), headers=bearer(token))


def test_a_posting_is_created_with_its_status(client, sponsor_token):
    response = post_job(client, sponsor_token, title="Research Engineer")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and body["title"] == "Research Engineer"
    assert response.headers["Location"].endswith(f"{JOBS}/{body['id']}")
    assert "utm_source" not in body["apply_url"]


def test_a_trusted_sponsors_posting_is_published_and_listed(client, trusted_token):
    job = post_job(client, trusted_token).get_json()
    assert job["status"] == "published"
    assert [item["id"] for item in client.get("/api/v1/jobs").get_json()["items"]] == [job["id"]]


def test_a_posting_has_a_publication_time_once_it_is_on_the_board_not_before(
    client, sponsor_token, trusted_token
):
    assert post_job(client, sponsor_token, title="In Review").get_json()["published_at"] is None
    live = post_job(client, trusted_token, title="Live").get_json()
    assert live["published_at"] == live["updated_at"]


def test_a_pending_posting_is_not_public(client, sponsor_token):
    job = post_job(client, sponsor_token).get_json()
    assert client.get("/api/v1/jobs").get_json()["items"] == []
    assert client.get(f"/api/v1/jobs/{job['id']}").status_code == 404


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer jbs_not-a-real-token"},
        {"Authorization": "Basic bW9kOnBhc3N3b3Jk"},
    ],
)
def test_no_or_a_wrong_token_is_401_with_a_challenge(client, sponsor_token, headers):
    response = client.post(JOBS, json=api_fields(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer realm=")
    assert response.get_json()["code"] == 401


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "bEaReR"])
def test_the_auth_scheme_is_case_insensitive(client, sponsor_token, scheme):
    response = client.get(JOBS, headers={"Authorization": f"{scheme} {sponsor_token}"})
    assert response.status_code == 200


def test_a_revoked_token_is_401(client, session, sponsor_token):
    from models import sponsors

    sponsors.revoke(session, sponsors.authenticate(session, sponsor_token).id)
    session.commit()
    assert client.get(JOBS, headers=bearer(sponsor_token)).status_code == 401


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_sponsors_job_is_404(client, sponsor_token, trusted_token, method):
    job = post_job(client, trusted_token).get_json()
    response = getattr(client, method)(
        f"{JOBS}/{job['id']}", json={"title": "Mine now"}, headers=bearer(sponsor_token)
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/jobs/{job['id']}").get_json()["title"] == job["title"]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_posting_answers_at_its_own_address_only(client, sponsor_token, method):
    job = post_job(client, sponsor_token).get_json()
    response = getattr(client, method)(
        f"{JOBS}/0{job['id']}", json={"title": "Renamed"}, headers=bearer(sponsor_token)
    )
    assert response.status_code == 404
    unchanged = client.get(f"{JOBS}/{job['id']}", headers=bearer(sponsor_token)).json
    assert (unchanged["title"], unchanged["status"]) == (job["title"], job["status"])


def test_malformed_json_is_400(client, sponsor_token):
    response = client.post(
        JOBS, data='{"title": ', content_type="application/json", headers=bearer(sponsor_token)
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"json": ["Invalid JSON body."]}


@pytest.mark.parametrize("body", ["[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000])
def test_json_nested_deeper_than_the_decoder_goes_is_400(client, sponsor_token, body):
    response = client.post(
        JOBS, data=body, content_type="application/json", headers=bearer(sponsor_token)
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"json": ["Invalid JSON body."]}


@pytest.mark.parametrize("method", ["post", "patch"])
def test_an_integer_too_long_to_convert_is_400_like_any_bad_json(client, trusted_token, method):
    job = post_job(client, trusted_token).get_json()
    url = JOBS if method == "post" else f"{JOBS}/{job['id']}"
    body = '{"title": "B", "company": "x", "apply_url": "https://a.example", "salary_max": 1%s}'
    response = getattr(client, method)(
        url,
        data=body % ("0" * 5000),
        content_type="application/json",
        headers=bearer(trusted_token),
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"json": ["Invalid JSON body."]}


@pytest.mark.parametrize("field", ["description", "description_html"])
def test_a_lone_surrogate_in_a_description_becomes_a_replacement_character(
    client, trusted_token, field
):
    body = api_fields(description=None) | {field: "Half an emoji: \ud83d."}
    response = client.post(
        JOBS, data=json.dumps(body), content_type="application/json", headers=bearer(trusted_token)
    )
    assert response.status_code == 201
    assert "Half an emoji: \ufffd." in response.get_json()["description_html"]
    patched = client.patch(
        f"{JOBS}/{response.get_json()['id']}",
        data=json.dumps({field: "Still \udc00 cut."}),
        content_type="application/json",
        headers=bearer(trusted_token),
    )
    assert (
        patched.status_code == 200 and "Still \ufffd cut." in patched.get_json()["description_html"]
    )


def test_a_description_pythons_html_parser_gives_up_on_is_taken(client, trusted_token):
    """Text such as "< a &lt;![&lt;![" once made Python's HTMLParser raise: a 500."""
    description = "Build < a &lt;![&lt;![&lt;![ things"
    response = post_job(client, trusted_token, description=None, description_html=description)
    assert response.status_code == 201
    assert client.get(f"/api/v1/jobs/{response.get_json()['id']}").status_code == 200


def test_a_form_encoded_body_is_415_asking_for_json(client, sponsor_token):
    response = client.post(JOBS, data=api_fields(), headers=bearer(sponsor_token))
    assert response.status_code == 415
    assert response.get_json()["errors"] == {"json": [NOT_JSON]}


def test_invalid_fields_are_422_naming_each_field(client, sponsor_token):
    body = {"company": "", "remote": "spaceship", "salary_min": "lots", "tags": "LLM", "oops": 1}
    response = client.post(JOBS, json=body, headers=bearer(sponsor_token))
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert set(errors) == {"title", "apply_url", "company", "remote", "salary_min", "tags", "oops"}


def test_a_posting_valid_through_a_day_is_valid_to_that_days_end(client, sponsor_token):
    response = post_job(client, sponsor_token, valid_through="2099-01-31")
    assert response.status_code == 201
    assert response.get_json()["valid_through"].startswith("2099-01-31T23:59:59")


@pytest.mark.parametrize("valid_through", ["2099-01-31T18:00:00", "next friday"])
def test_a_valid_through_without_a_zone_or_unreadable_is_422_saying_what_to_send(
    client, sponsor_token, valid_through
):
    response = post_job(client, sponsor_token, valid_through=valid_through)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "valid_through": [
            "Use a date (2027-01-31: all of that day, UTC) "
            "or a time with its zone (2027-01-31T18:00:00Z)."
        ]
    }


def test_a_years_pay_in_dong_is_taken(client, sponsor_token):
    """1,300,000,000 dong is about $50,000 a year: it was over a cap of a billion units."""
    pay = {"salary_min": 1_300_000_000, "salary_max": 1_600_000_000, "salary_currency": "VND"}
    response = post_job(client, sponsor_token, **pay)
    assert response.status_code == 201
    assert response.get_json()["salary"]["min"] == 1_300_000_000


def test_a_bad_tag_is_422_under_its_position_in_the_list(client, sponsor_token):
    response = post_job(client, sponsor_token, tags=["ok", "x" * 70])
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "tags": {"1": ["Length must be between 1 and 60."]}
    }


def test_the_postings_own_checks_answer_with_the_schemas(client, sponsor_token):
    """A misspelled remote must not hide a bad apply URL and salary range until the next try."""
    response = post_job(
        client,
        sponsor_token,
        remote="spaceship",
        apply_url="ftp://orbital.example/apply",
        salary_min=200000,
        salary_max=100000,
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"remote", "apply_url", "salary_max"}


@pytest.mark.parametrize(
    "apply_url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://orbital.example/apply",
        "file:///etc/passwd",
        "//evil.example/apply",
    ],
)
def test_apply_targets_other_than_http_or_mailto_are_422(client, sponsor_token, apply_url):
    response = post_job(client, sponsor_token, apply_url=apply_url)
    assert response.status_code == 422
    assert "apply_url" in response.get_json()["errors"]["json"]


@pytest.mark.parametrize(
    "apply_url",
    [
        "http://192.168.1.1/cgi-bin/reset",
        "http://3232235777/",
        "http://0x7f.1/",
        "http://localhost:8080/apply",
        "https://[::1]/apply",
        "http://router.local/",
    ],
)
def test_apply_targets_on_private_hosts_are_422(client, sponsor_token, apply_url):
    """/j/<code> sends seekers' browsers to the apply URL: to a private address it would
    open their own router's or intranet's pages, with the board's name on the link."""
    response = post_job(client, sponsor_token, apply_url=apply_url)
    assert response.status_code == 422
    (reason,) = response.get_json()["errors"]["json"]["apply_url"]
    assert reason.startswith("Must be on a public host")


@pytest.mark.parametrize(
    ("apply_url", "stored"),
    [
        ("mailto:Jobs@Orbital.EXAMPLE", "mailto:Jobs@orbital.example"),
        ("jobs@orbital.example", "mailto:jobs@orbital.example"),
        ("HTTPS://Orbital.example/apply?gh_src=x&id=3", "https://orbital.example/apply?id=3"),
    ],
)
def test_http_and_mailto_apply_targets_are_stored_canonical(
    client, trusted_token, apply_url, stored
):
    assert post_job(client, trusted_token, apply_url=apply_url).get_json()["apply_url"] == stored


def test_a_body_over_one_megabyte_is_413_with_a_json_error(client, sponsor_token):
    body = '{"description": "' + "x" * (1024 * 1024) + '"}'
    response = client.post(
        JOBS, data=body, content_type="application/json", headers=bearer(sponsor_token)
    )
    assert response.status_code == 413
    assert response.is_json and response.get_json()["code"] == 413


def test_a_chunked_body_over_one_megabyte_is_413_not_truncated(client, sponsor_token):
    body = b'{"description": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.post(
        JOBS,
        input_stream=io.BytesIO(body),
        headers=bearer(sponsor_token)
        | {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn sets for chunked input
    )
    assert response.status_code == 413 and response.get_json()["code"] == 413


@pytest.mark.parametrize(("method", "path"), [("PATCH", ""), ("PUT", "/featured")])
def test_a_chunked_body_over_one_megabyte_is_413_on_every_write_with_a_body(
    client, trusted_token, method, path
):
    """A featured placement's PUT answered 400 "Invalid JSON body" for a body cut short."""
    job = post_job(client, trusted_token).get_json()
    body = b'{"until": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.open(
        f"{JOBS}/{job['id']}{path}",
        method=method,
        input_stream=io.BytesIO(body),
        headers=bearer(trusted_token)
        | {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413 and response.get_json()["code"] == 413


def test_a_small_chunked_body_is_accepted(client, sponsor_token):
    body = json.dumps(api_fields()).encode()
    response = client.post(
        JOBS,
        input_stream=io.BytesIO(body),
        headers=bearer(sponsor_token)
        | {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 201


def test_get_returns_the_sponsors_own_job(client, sponsor_token):
    job = post_job(client, sponsor_token).get_json()
    response = client.get(f"{JOBS}/{job['id']}", headers=bearer(sponsor_token))
    assert response.status_code == 200 and response.get_json() == job


def test_the_list_holds_only_the_sponsors_jobs(client, sponsor_token, trusted_token):
    mine = post_job(client, sponsor_token).get_json()
    post_job(client, trusted_token)
    listed = client.get(JOBS, headers=bearer(sponsor_token)).get_json()
    assert [job["id"] for job in listed] == [mine["id"]]


def test_patch_updates_the_same_job(client, trusted_token):
    job = post_job(client, trusted_token, salary_max=150000).get_json()
    response = client.patch(
        f"{JOBS}/{job['id']}",
        json={"salary_max": 180000, "remote_note": None},
        headers=bearer(trusted_token),
    )
    assert response.status_code == 200
    patched = response.get_json()
    assert patched["id"] == job["id"] and patched["salary"]["max"] == 180000
    assert patched["remote_note"] is None and patched["title"] == job["title"]
    assert len(client.get("/api/v1/jobs").get_json()["items"]) == 1


def test_patch_with_invalid_fields_is_422_naming_all_of_them_and_changes_nothing(
    client, trusted_token
):
    job = post_job(client, trusted_token).get_json()
    response = client.patch(
        f"{JOBS}/{job['id']}",
        json={"apply_url": "javascript:alert(1)", "title": None},
        headers=bearer(trusted_token),
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"title", "apply_url"}
    response = client.patch(
        f"{JOBS}/{job['id']}",
        json={"apply_url": "javascript:alert(1)"},
        headers=bearer(trusted_token),
    )
    assert response.status_code == 422
    assert client.get(f"/api/v1/jobs/{job['id']}").get_json()["apply_url"] == job["apply_url"]


def test_a_patch_is_checked_against_the_stored_fields_in_the_same_answer(client, trusted_token):
    job = post_job(client, trusted_token, salary_min=90000, salary_max=100000).get_json()
    response = client.patch(
        f"{JOBS}/{job['id']}",
        json={"salary_min": 150000, "employment_type": "sometimes"},
        headers=bearer(trusted_token),
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"employment_type", "salary_max"}


def test_a_bad_patch_of_another_sponsors_job_tells_nothing_of_its_fields(
    client, sponsor_token, trusted_token
):
    theirs = post_job(client, trusted_token, salary_min=90000, salary_max=100000).get_json()
    response = client.patch(
        f"{JOBS}/{theirs['id']}",
        json={"salary_min": 150000, "title": None},
        headers=bearer(sponsor_token),
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"title"}


def test_delete_closes_the_job(client, trusted_token):
    job = post_job(client, trusted_token).get_json()
    response = client.delete(f"{JOBS}/{job['id']}", headers=bearer(trusted_token))
    assert response.status_code == 200 and response.get_json()["status"] == "closed"
    assert client.get("/api/v1/jobs").get_json()["items"] == []
    again = client.delete(f"{JOBS}/{job['id']}", headers=bearer(trusted_token))
    assert again.status_code == 200 and again.get_json()["status"] == "closed"


def test_a_closed_job_cannot_be_patched_back_open(client, trusted_token):
    job = post_job(client, trusted_token).get_json()
    client.delete(f"{JOBS}/{job['id']}", headers=bearer(trusted_token))
    response = client.patch(
        f"{JOBS}/{job['id']}", json={"title": "Back"}, headers=bearer(trusted_token)
    )
    assert response.status_code == 409


def test_a_posting_that_matches_another_sponsors_job_is_409(client, sponsor_token, trusted_token):
    fields = api_fields()
    client.post(JOBS, json=fields, headers=bearer(trusted_token))
    response = client.post(JOBS, json=fields, headers=bearer(sponsor_token))
    assert response.status_code == 409


def test_a_patch_onto_another_sponsors_job_is_409_and_changes_nothing(
    client, sponsor_token, trusted_token
):
    theirs = api_fields()
    client.post(JOBS, json=theirs, headers=bearer(trusted_token))
    mine = post_job(client, sponsor_token, title="Data Engineer").get_json()
    response = client.patch(
        f"{JOBS}/{mine['id']}", json={"title": theirs["title"]}, headers=bearer(sponsor_token)
    )
    assert response.status_code == 409
    after = client.get(f"{JOBS}/{mine['id']}", headers=bearer(sponsor_token)).get_json()
    assert after["title"] == "Data Engineer"


def test_an_untrusted_patch_onto_an_opening_on_the_board_is_409_as_a_new_posting_is(
    client, session, sponsor_token
):
    """Posting a crawled opening anew is refused to an untrusted sponsor; editing another
    posting into it was not, and once approved the board listed the opening twice."""
    source = Source(kind="lever", url="https://api.lever.example/v0/postings/orbital", company="O")
    session.add(source)
    session.commit()
    crawled = raw_posting(title="Research Engineer", company="Orbital Labs", location="Berlin")
    upsert_postings(session, [crawled], source=source)
    opening = {"title": "Research Engineer", "location": "Berlin, Germany"}
    assert post_job(client, sponsor_token, **opening).status_code == 409
    mine = post_job(client, sponsor_token, title="Data Engineer").get_json()
    response = client.patch(f"{JOBS}/{mine['id']}", json=opening, headers=bearer(sponsor_token))
    assert response.status_code == 409
    assert "on the board already" in response.get_json()["message"]
    after = client.get(f"{JOBS}/{mine['id']}", headers=bearer(sponsor_token)).get_json()
    assert after["title"] == "Data Engineer"
    assert session.scalar(sa.select(sa.func.count()).where(Job.title == "Research Engineer")) == 1


def test_the_sponsor_api_is_in_the_openapi_document_with_bearer_security(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    operations = {
        (path, method): operation
        for path, item in spec["paths"].items()
        if path.startswith(JOBS)
        for method, operation in item.items()
        if method != "parameters"
    }
    assert set(operations) == {
        (JOBS, "get"),
        (JOBS, "post"),
        (f"{JOBS}/{{job_id}}", "get"),
        (f"{JOBS}/{{job_id}}", "patch"),
        (f"{JOBS}/{{job_id}}", "delete"),
        (f"{JOBS}/{{job_id}}/featured", "put"),
        (f"{JOBS}/{{job_id}}/featured", "delete"),
    }
    for operation in operations.values():
        assert operation["security"] == [{"bearerAuth": []}]
        assert "401" in operation["responses"]


def test_the_openapi_document_stays_valid(client):
    from openapi_spec_validator import validate

    validate(client.get("/openapi.json").get_json())


def test_pay_no_job_pays_is_422_naming_the_bounds_not_dropped(client, sponsor_token):
    """$180,000 "an hour" is a yearly salary under the wrong period: say so, store nothing."""
    response = post_job(
        client, sponsor_token, salary_min=180000, salary_max=250000, salary_period="hour"
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert set(errors) == {"salary_min", "salary_max"}
    assert "No job pays this" in errors["salary_max"][0]


def test_placeholder_pay_is_422_naming_the_bounds(client, sponsor_token):
    """A sponsor who typed "1" to get past a pay field is asked for the real pay."""
    response = post_job(
        client, sponsor_token, salary_min=1, salary_max=1, salary_currency="USD", salary_period=None
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"salary_min", "salary_max"}
