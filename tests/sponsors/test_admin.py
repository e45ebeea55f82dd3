"""/admin/: moderators log in, approve, reject, feature, close and edit; nobody else gets in."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from models import moderation, sponsors
from models import sponsor_postings as postings
from models.ingest import upsert_postings
from models.tables import CrawlRun, Job, Source, Sponsor
from models.types import utcnow
from tests.factories import raw_posting
from tests.sponsors.conftest import ADMIN_PASSWORD, csrf_token, submit_form
from tests.sponsors.factories import sponsor_fields


@pytest.fixture
def pending_job(session) -> Job:
    sponsor = sponsors.form_sponsor(session, "Orbital Labs", "hiring@orbital.example")
    job = postings.submit(session, sponsor, sponsor_fields(title="Applied Scientist")).job
    session.commit()  # end the read transaction, so later reads see what the app wrote
    return job


def act(client, url: str, data: dict | None = None):
    """POST a moderator action with the session's CSRF token."""
    return submit_form(client, "/admin/", data or {}, action_url=url)


def approve_form(html: str, job_id: int) -> dict[str, str]:
    """The fields of a page's Approve form of a job, as a browser would send them."""
    action = f'action="/admin/jobs/{job_id}/publish"'
    form = re.search(rf"<form [^>]*{action}[^>]*>(.*?)</form>", html, re.S)
    assert form, "the page has no Approve form for the job"
    return dict(re.findall(r'<input[^>]* name="(\w+)"[^>]* value="([^"]*)"', form.group(1)))


def approve(client, job_id: int, page: str | None = None):
    """Click Approve on the job's page (or on `page`, loaded earlier)."""
    page = page or client.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    return client.post(f"/admin/jobs/{job_id}/publish", data=approve_form(page, job_id))


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/jobs/1", "/admin/sponsors", "/admin/sources", "/admin/runs"]
)
def test_every_admin_page_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=")


def test_actions_need_a_login(client, session, pending_job):
    token = csrf_token(client.get("/post").get_data(as_text=True))
    response = client.post(f"/admin/jobs/{pending_job.id}/publish", data={"csrf_token": token})
    assert response.status_code == 302
    assert session.scalar(sa.select(Job.status)) == "pending"


@pytest.mark.parametrize(
    ("username", "password"), [("mod", "wrong password!!"), ("nobody", ADMIN_PASSWORD)]
)
def test_a_wrong_login_is_refused(client, moderator, username, password):
    response = submit_form(client, "/admin/login", {"username": username, "password": password})
    assert response.status_code == 401
    assert "Wrong user name or password." in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("password", "status"), [("wrong password!!", 401), ("", 422)], ids=["wrong", "missing"]
)
def test_a_refused_login_says_error_first_in_the_title(client, moderator, password, status):
    response = submit_form(client, "/admin/login", {"username": "mod", "password": password})
    assert response.status_code == status
    assert "<title>Error: Moderator login · jobboard</title>" in response.get_data(as_text=True)


def test_a_login_without_csrf_is_refused(client, moderator):
    response = client.post("/admin/login", data={"username": "mod", "password": ADMIN_PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/admin/sponsors", "/admin/sponsors"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("/\\evil.example/", "/admin/"),
        ("/\t/evil.example/", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
        ("", "/admin/"),
    ],
)
def test_login_redirects_only_to_a_local_path(client, moderator, next_url, landing):
    page = client.get("/admin/login", query_string={"next": next_url}).get_data(as_text=True)
    response = client.post(
        "/admin/login",
        data={"username": "mod", "password": ADMIN_PASSWORD, "next": next_url}
        | {"csrf_token": csrf_token(page)},
    )
    assert response.status_code == 303 and response.headers["Location"] == landing


def test_login_is_rate_limited_per_address(client, moderator):
    statuses = [
        submit_form(client, "/admin/login", {"username": "mod", "password": "guess"}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_the_session_cookie_is_httponly_and_samesite(client, moderator):
    response = submit_form(client, "/admin/login", {"username": "mod", "password": ADMIN_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_session_cookie_is_secure_over_https(app_config, moderator):
    from api import create_app

    app = create_app(app_config | {"SESSION_COOKIE_SECURE": True})
    client = app.test_client()
    page = client.get("/admin/login", base_url="https://jobs.test")
    assert "Strict-Transport-Security" in page.headers
    response = client.post(
        "/admin/login",
        base_url="https://jobs.test",
        headers={"Referer": "https://jobs.test/admin/login"},  # CSRF checks it over https
        data={"username": "mod", "password": ADMIN_PASSWORD}
        | {"csrf_token": csrf_token(page.get_data(as_text=True))},
    )
    app.extensions["jobboard.engine"].dispose()
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("page", ["/admin/", "/admin/jobs/{id}", "/admin/sponsors"])
def test_admin_pages_with_several_forms_repeat_no_element_id(
    admin_client, session, pending_job, page
):
    sponsor = sponsors.form_sponsor(session, "Second Labs", "jobs@second.example")
    postings.submit(session, sponsor, sponsor_fields(title="Research Engineer"))
    session.commit()
    html = admin_client.get(page.format(id=pending_job.id)).get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids and len(ids) == len(set(ids))


def test_a_job_is_moderated_at_its_own_address_only(admin_client, pending_job):
    assert admin_client.get(f"/admin/jobs/{pending_job.id}").status_code == 200
    assert admin_client.get(f"/admin/jobs/0{pending_job.id}").status_code == 404


def test_the_queue_lists_pending_jobs(admin_client, pending_job):
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert "Applied Scientist" in html and f'id="job-{pending_job.id}"' in html


def test_approving_publishes_the_job(admin_client, client, session, pending_job):
    assert client.get("/api/v1/jobs").get_json()["items"] == []
    assert approve(admin_client, pending_job.id).status_code == 303
    assert [j["id"] for j in client.get("/api/v1/jobs").get_json()["items"]] == [pending_job.id]


def test_approving_dates_the_jobs_publication_at_the_approval_not_the_submission(
    admin_client, session, pending_job
):
    """The newsletter announces jobs first published since its last issue: one approved
    nine days after it was sent must be in the next issue, not counted from its sending."""
    before = utcnow()
    assert approve(admin_client, pending_job.id).status_code == 303
    session.expire_all()
    job = session.get(Job, pending_job.id)
    assert job.first_seen_at < before <= job.published_at <= utcnow()


@pytest.mark.parametrize("where", ["job page", "queue"])
def test_approving_publishes_the_version_the_moderator_saw_not_a_later_edit(
    admin_client, client, session, pending_job, where
):
    """A sponsor's edit between the moderator's look and the click was published unseen."""
    url = f"/admin/jobs/{pending_job.id}" if where == "job page" else "/admin/"
    seen = admin_client.get(url).get_data(as_text=True)
    listing = session.scalar(moderation.sponsor_listing(pending_job.id))
    postings.update(session, listing, {"description": "Pay a training fee first."})
    session.commit()
    response = approve(admin_client, pending_job.id, seen)
    assert response.status_code == 409
    assert "changed since you loaded" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Job, pending_job.id).status == "pending"
    assert approve(admin_client, pending_job.id).status_code == 303  # seen again: approved
    assert (
        "training fee"
        in client.get(f"/api/v1/jobs/{pending_job.id}").get_json()["description_html"]
    )


@pytest.mark.parametrize(("verb", "status"), [("reject", "rejected"), ("close", "closed")])
def test_reject_and_close_use_the_lifecycle_verbs(admin_client, session, pending_job, verb, status):
    assert act(admin_client, f"/admin/jobs/{pending_job.id}/{verb}").status_code == 303
    assert session.scalar(sa.select(Job.status)) == status


def test_publishing_a_rejected_job_whose_opening_another_job_lists_now_is_409(
    admin_client, session, pending_job
):
    """Once rejected, the posting no longer holds its opening: a crawl (or another poster)
    lists it as a job of its own, and two open jobs of one opening cannot be."""
    act(admin_client, f"/admin/jobs/{pending_job.id}/reject")
    source = Source(kind="lever", url="https://api.lever.example/v0/postings/orbital", company="O")
    session.add(source)
    session.commit()
    raw = raw_posting(title="Applied Scientist", company="Orbital Labs", location="Berlin, Germany")
    [crawled] = upsert_postings(session, [raw], source=source).outcomes
    response = approve(admin_client, pending_job.id)
    assert response.status_code == 409
    assert f"job {crawled.job_id}" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Job, pending_job.id).status == "rejected"
    assert session.get(Job, crawled.job_id).status == "published"


def test_a_merged_jobs_page_links_the_job_it_merged_into(admin_client, session, pending_job):
    pending_job.status, pending_job.merged_into_id = "closed", 7
    session.commit()
    html = admin_client.get(f"/admin/jobs/{pending_job.id}").get_data(as_text=True)
    assert '<dt>Merged into</dt><dd><a href="/admin/jobs/7">job 7</a>' in html


@pytest.fixture
def pending_jobs(session) -> list[Job]:
    sponsor = sponsors.form_sponsor(session, "Orbital Labs", "hiring@orbital.example")
    jobs = [postings.submit(session, sponsor, sponsor_fields()).job for _ in range(20)]
    session.commit()
    return jobs


def test_moderating_while_a_crawl_commits_succeeds_every_time(
    admin_client, pending_jobs, busy_writer
):
    """An action reads the job, then changes it: on SQLite, a writer's transaction."""
    answers = [approve(admin_client, job.id).status_code for job in pending_jobs]
    assert set(answers) == {303}


def test_an_impossible_transition_is_409(admin_client, session, pending_job):
    act(admin_client, f"/admin/jobs/{pending_job.id}/close")
    assert act(admin_client, f"/admin/jobs/{pending_job.id}/publish").status_code == 409


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        ("publish", "publish", "cannot publish a job that is published"),
        ("reject", "close", "cannot close a job that is rejected"),
        ("close", "reject", "cannot reject a job that is closed"),
    ],
)
def test_an_impossible_transition_names_the_verb_and_the_status(
    admin_client, pending_job, first, then, message
):
    if first == "publish":
        approve(admin_client, pending_job.id)
    else:
        act(admin_client, f"/admin/jobs/{pending_job.id}/{first}")
    response = act(admin_client, f"/admin/jobs/{pending_job.id}/{then}")
    assert response.status_code == 409 and message in response.get_data(as_text=True)


def test_featuring_lists_the_job_first_until_the_date(admin_client, client, session, trusted_token):
    older = postings.submit(
        session, sponsors.authenticate(session, trusted_token), sponsor_fields()
    ).job
    newer = postings.submit(
        session, sponsors.authenticate(session, trusted_token), sponsor_fields()
    ).job
    session.commit()
    until = (date.today() + timedelta(days=7)).isoformat()
    assert act(admin_client, f"/admin/jobs/{older.id}/feature", {"until": until}).status_code == 303
    items = client.get("/api/v1/jobs").get_json()["items"]
    assert [j["id"] for j in items] == [older.id, newer.id] and items[0]["featured"]
    assert first_everywhere(client) == {older.title}
    featured_until = session.scalar(sa.select(Job.featured_until).where(Job.id == older.id))
    assert featured_until.date() == date.today() + timedelta(days=8)


def first_everywhere(client) -> set[str]:
    """The title leading the board, the JSON Feed and the newsletter section."""
    board = client.get("/").get_data(as_text=True)
    slug = re.search(r'href="/jobs/([^"?]+)"', board).group(1)
    api_items = client.get("/api/v1/jobs", query_string={"limit": 100}).get_json()["items"]
    on_board = next(item["title"] for item in api_items if item["url"].endswith(f"/{slug}"))
    in_feed = client.get("/feed.json").get_json()["items"][0]["title"]
    section = client.get("/newsletter/jobs.md").get_data(as_text=True)
    in_newsletter = re.search(r"^\[\*\*(.+?) @ ", section, re.M).group(1)
    return {on_board, in_feed.split(" @ ")[0], in_newsletter}


def test_featuring_ends_by_itself_when_the_date_passes(client, session, trusted_token):
    from models import lifecycle

    sponsor = sponsors.authenticate(session, trusted_token)
    older = postings.submit(session, sponsor, sponsor_fields()).job
    newer = postings.submit(session, sponsor, sponsor_fields()).job
    lifecycle.feature_until(older, datetime.now(UTC) - timedelta(seconds=1))
    session.commit()
    assert [j["id"] for j in client.get("/api/v1/jobs").get_json()["items"]] == [
        newer.id,
        older.id,
    ]
    assert lifecycle.end_featuring(session) == 1


@pytest.mark.parametrize(
    ("until", "problem"),
    [
        ((date.today() - timedelta(days=1)).isoformat(), "Pick today or a later date."),
        ((date.today() + timedelta(days=367)).isoformat(), "Pick a date within a year from today."),
        ("9999-12-31", "Pick a date within a year from today."),
        ("next friday", "Not a valid date value."),
        ("", "This field is required."),
    ],
)
def test_a_refused_feature_date_is_422_with_its_reason_by_the_field_as_typed(
    admin_client, session, pending_job, until, problem
):
    """A past date only flashed a message over the page, away from the field and what was typed."""
    response = act(admin_client, f"/admin/jobs/{pending_job.id}/feature", {"until": until})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    field = re.search(r'<input[^>]* id="until"[^>]*>', html).group()
    assert f'value="{until}"' in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="until-error"' in field
    assert re.search(rf'<ul class="field-errors" id="until-error"><li>{problem}</li>', html)
    assert "<title>Error: Moderation: Applied Scientist · jobboard</title>" in html
    assert session.scalar(sa.select(Job.featured_until)) is None


def test_a_moderator_edit_updates_the_job_without_new_review(admin_client, session, pending_job):
    approve(admin_client, pending_job.id)
    data = {k: str(v) for k, v in sponsor_fields(title="Applied Scientist").items()}
    data["tags"] = "LLM"
    response = submit_form(
        admin_client, f"/admin/jobs/{pending_job.id}", data | {"remote_note": "Any time zone"}
    )
    assert response.status_code == 303
    stored = session.execute(sa.select(Job.remote_note, Job.status)).one()
    assert tuple(stored) == ("Any time zone", "published")


def test_a_moderator_edit_of_an_html_description_keeps_it_html(admin_client, session):
    sponsor, _ = sponsors.create(session, "Orbital Labs", "jobs@orbital.example")
    fields = sponsor_fields(description=None) | {
        "description_html": "<p>We build <strong>evals</strong>.</p>"
    }
    job = postings.submit(session, sponsor, fields).job
    session.commit()
    editor = admin_client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "HTML, as the sponsor sent it" in editor
    data = {k: str(v) for k, v in fields.items() if v is not None and k != "description_html"}
    data |= {"tags": "LLM, PyTorch", "description": "<p>We build <strong>evaluations</strong>.</p>"}
    assert submit_form(admin_client, f"/admin/jobs/{job.id}", data).status_code == 303
    stored = session.scalar(sa.select(Job.description_html))
    assert "<strong>evaluations</strong>" in stored and "&lt;" not in stored


def test_a_bad_moderator_edit_shows_every_error_at_once(admin_client, pending_job):
    data = {k: str(v) for k, v in sponsor_fields(title="").items()}
    data |= {"tags": "LLM", "apply_url": "ftp://files.example"}
    response = submit_form(admin_client, f"/admin/jobs/{pending_job.id}", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in html and 'id="apply_url-error"' in html
    assert "<title>Error: Moderation: Applied Scientist · jobboard</title>" in html


def test_a_scraped_job_has_no_editor(admin_client, session):
    from models.ingest import upsert_postings
    from tests.factories import raw_posting

    source = Source(kind="greenhouse", url="https://boards.example/acme", company="Acme")
    session.add(source)
    session.commit()
    upsert_postings(session, [raw_posting()], source=source)
    job_id = session.scalar(sa.select(Job.id))
    html = admin_client.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    assert "scraped jobs change at their source" in html and "greenhouse" in html


def test_an_api_sponsor_can_be_trusted_from_the_admin(admin_client, session, sponsor_token):
    sponsor_id = session.scalar(sa.select(Sponsor.id))
    session.commit()
    assert act(admin_client, f"/admin/sponsors/{sponsor_id}/trust").status_code == 303
    assert session.scalar(sa.select(Sponsor.trusted)) is True


def test_a_form_poster_cannot_be_trusted_from_the_admin(admin_client, session, pending_job):
    sponsor_id = session.scalar(sa.select(Sponsor.id))
    assert act(admin_client, f"/admin/sponsors/{sponsor_id}/trust").status_code == 409


def test_sources_and_runs_are_listed(admin_client, session):
    session.add(Source(kind="lever", url="https://api.lever.example/v0/postings/x", company="X"))
    session.commit()
    assert "api.lever.example" in admin_client.get("/admin/sources").get_data(as_text=True)
    assert admin_client.get("/admin/runs").status_code == 200


def test_a_failed_run_says_why(admin_client, session):
    """The moderator sees the first error, as `jobboard runs` prints it, and can open the rest."""
    source = Source(kind="lever", url="https://api.lever.example/v0/postings/x", company="X")
    session.add(source)
    session.flush()
    errors = ["HTTP 404 from https://api.lever.example/v0/postings/x", "robots.txt forbids it"]
    session.add(CrawlRun(source_id=source.id, status="failed", errors=errors))
    session.commit()
    html = admin_client.get("/admin/runs").get_data(as_text=True)
    assert "HTTP 404 from https://api.lever.example/v0/postings/x" in html
    assert "<summary" in html and "1 more</summary>" in html
    assert "<li>robots.txt forbids it</li>" in html


def test_logout_ends_the_session(admin_client):
    act(admin_client, "/admin/logout")
    assert admin_client.get("/admin/").status_code == 302


@pytest.mark.parametrize("ending", ["reject", "close"])
def test_a_rejected_or_closed_job_cannot_be_featured(admin_client, session, pending_job, ending):
    """Featured while off the board, it would come back featured, unasked, if it returned."""
    act(admin_client, f"/admin/jobs/{pending_job.id}/{ending}")
    until = (date.today() + timedelta(days=7)).isoformat()
    response = act(admin_client, f"/admin/jobs/{pending_job.id}/feature", {"until": until})
    assert response.status_code == 409 and "cannot feature it" in response.get_data(as_text=True)
    assert session.scalar(sa.select(Job.featured_until)) is None
