"""/manage/<token>: the secret link edits and closes the posting and shows views and clicks."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from models import clicks, lifecycle, sponsors
from models import sponsor_postings as postings
from models.tables import Job, Sponsor
from tests.sponsors.conftest import csrf_token, submit_form
from tests.sponsors.factories import form_data, sponsor_fields


@pytest.fixture
def manage_url(client) -> str:
    """The manage link a form poster got for a new posting."""
    submit_form(client, "/post", form_data(action="submit", title="Applied Scientist"))
    page = client.get("/post/submitted").get_data(as_text=True)
    return re.search(r'href="http://[^/"]+(/manage/[^"]+)"', page).group(1)


def edit(client, manage_url, **overrides):
    data = form_data(**({"title": "Applied Scientist"} | overrides))
    data.pop("email")
    return submit_form(client, manage_url, data)


def test_the_manage_page_shows_status_and_a_filled_editor(client, manage_url):
    response = client.get(manage_url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "pending" in html
    assert 'value="Applied Scientist"' in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_editor_shows_salaries_as_typed_not_as_stored_floats(client, manage_url):
    """A salary of 120 was shown back as "120.0", which reads as a change the sponsor never made."""
    assert (
        edit(
            client, manage_url, salary_min="47.50", salary_max="120", salary_period="hour"
        ).status_code
        == 303
    )
    html = client.get(manage_url).get_data(as_text=True)
    assert re.search(r'id="salary_min"[^>]* value="47.5"', html)
    assert re.search(r'id="salary_max"[^>]* value="120"', html)


def test_the_sponsors_links_name_the_public_site_whatever_host_the_request_came_with(
    client, session
):
    """Behind a proxy that passes its own Host header, the links must still lead to the site."""
    client.environ_base["HTTP_HOST"] = "web.internal:8000"
    submit_form(client, "/post", form_data(action="submit", title="Applied Scientist"))
    submitted = client.get("/post/submitted").get_data(as_text=True)
    manage_path = re.search(r'href="http://jobs\.test(/manage/[^"]+)"', submitted).group(1)
    lifecycle.publish(session.scalar(sa.select(Job)))
    session.commit()
    managed = client.get(manage_path).get_data(as_text=True)
    assert f'href="http://jobs.test/jobs/{session.scalar(sa.select(Job.slug))}"' in managed
    assert "web.internal" not in submitted + managed


def test_an_unknown_token_is_404(client, manage_url):
    assert client.get("/manage/not-the-token").status_code == 404


def test_a_revoked_posters_manage_link_no_longer_opens_or_edits(client, session, manage_url):
    sponsors.revoke(session, session.scalar(sa.select(Sponsor.id)))
    session.commit()
    assert client.get(manage_url).status_code == 404
    edit = form_data(title="Rewritten") | {"csrf_token": csrf_token(client.get("/post").text)}
    assert client.post(manage_url, data=edit).status_code == 404
    assert session.scalar(sa.select(Job.title)) == "Applied Scientist"


def test_an_edit_changes_the_same_job(client, session, manage_url):
    response = edit(client, manage_url, salary_max="190000", remote_note="")
    assert response.status_code == 303
    job = session.scalar(sa.select(Job))
    assert job.salary_max == 190000 and job.remote_note is None
    assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 1


def test_an_edit_that_leaves_out_the_salary_fields_keeps_the_stored_salary(
    client, session, manage_url
):
    """A field the post leaves out keeps its stored value; for an amount that value was a
    float, which the finite-number check took for a Decimal (AttributeError, a 500)."""
    data = form_data(title="Applied Scientist", remote_note="")
    for name in ("email", "salary_min", "salary_max"):
        data.pop(name)
    response = submit_form(client, manage_url, data)
    assert response.status_code == 303
    job = session.scalar(sa.select(Job))
    assert (job.salary_min, job.salary_max, job.remote_note) == (120000, 150000, None)


def test_a_bad_edit_shows_its_error_and_changes_nothing(client, session, manage_url):
    response = edit(client, manage_url, apply_url="javascript:alert(1)")
    assert response.status_code == 422
    assert 'id="apply_url-error"' in response.get_data(as_text=True)
    assert "<title>Error: Manage your posting · jobboard</title>" in response.get_data(as_text=True)
    assert session.scalar(sa.select(Job.apply_url)).startswith("https://orbital.example/")


def test_a_bad_edit_shows_every_error_at_once(client, manage_url):
    html = edit(client, manage_url, title="", apply_url="ftp://files.example").get_data(
        as_text=True
    )
    assert 'id="title-error"' in html and 'id="apply_url-error"' in html


def test_closing_ends_the_posting_and_the_editor(client, session, manage_url):
    response = submit_form(client, manage_url, {"confirm": "y"}, action_url=f"{manage_url}/close")
    assert response.status_code == 303
    assert session.scalar(sa.select(Job.status)) == "closed"
    assert "can no longer be edited" in client.get(manage_url).get_data(as_text=True)
    data = form_data(title="Back again")
    assert submit_form(client, "/post", data, action_url=manage_url).status_code == 409
    assert session.scalar(sa.select(Job.title)) == "Applied Scientist"


def test_an_edit_refused_because_the_posting_closed_says_error_in_the_title(client, manage_url):
    submit_form(client, manage_url, {"confirm": "y"}, action_url=f"{manage_url}/close")
    response = submit_form(client, "/post", form_data(), action_url=manage_url)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "<title>Error: Manage your posting · jobboard</title>" in html
    assert "can no longer be edited" in html


def test_a_closed_posting_s_manage_page_is_no_error(client, manage_url):
    submit_form(client, manage_url, {"confirm": "y"}, action_url=f"{manage_url}/close")
    html = client.get(manage_url).get_data(as_text=True)
    assert "<title>Manage your posting · jobboard</title>" in html


def test_a_posting_closed_before_review_never_gets_a_public_page(client, session, manage_url):
    """Else anyone could put unreviewed words on the site: post, close, link to the 410 page."""
    submit_form(client, manage_url, {"confirm": "y"}, action_url=f"{manage_url}/close")
    assert client.get(f"/jobs/{session.scalar(sa.select(Job.slug))}").status_code == 404


def test_a_published_posting_closed_by_its_sponsor_answers_410(client, session, manage_url):
    lifecycle.publish(session.scalar(sa.select(Job)))
    session.commit()
    submit_form(client, manage_url, {"confirm": "y"}, action_url=f"{manage_url}/close")
    assert client.get(f"/jobs/{session.scalar(sa.select(Job.slug))}").status_code == 410


def test_a_close_without_the_tick_is_422_and_keeps_the_posting(client, session, manage_url):
    response = submit_form(client, manage_url, {}, action_url=f"{manage_url}/close")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="confirm-error"' in html and "Tick the box to close" in html
    assert "<title>Error: Manage your posting · jobboard</title>" in html
    assert 'value="Applied Scientist"' in html  # the editor still shows the stored posting
    assert session.scalar(sa.select(Job.status)) == "pending"


def test_a_close_without_the_csrf_token_is_refused(client, session, manage_url):
    assert client.post(f"{manage_url}/close").status_code == 400
    assert session.scalar(sa.select(Job.status)) == "pending"


def test_views_and_clicks_are_counted_apart(client, session, manage_url):
    job_id, slug = session.execute(sa.select(Job.id, Job.slug)).one()
    today = date.today()
    clicks.record_views(session, {(slug, today): 3})
    clicks.record_click(session, job_id, "board", today)
    clicks.record_click(session, job_id, "newsletter", today)
    session.commit()
    html = client.get(manage_url).get_data(as_text=True)
    assert '<dd id="views">3</dd>' in html and '<dd id="clicks">2</dd>' in html


def test_manage_edits_and_closes_count_against_the_form_sends_allowed(app_config, session):
    """A manage link is a key like an API token, whose writes are limited: its edits (each
    one an ingest, and a published job back in review) were not limited at all."""
    from api import create_app

    app = create_app(app_config | {"SPONSOR_FORM_RATE_LIMIT": "3/minute"})
    client = app.test_client()
    _, token = postings.submit_from_form(session, "a@orbital.example", sponsor_fields())
    url = f"/manage/{token}"
    statuses = [edit(client, url, remote_note=f"Note {n}").status_code for n in range(3)]
    closing = submit_form(client, url, {"confirm": "y"}, action_url=f"{url}/close")
    reading = client.get(url)
    app.extensions["jobboard.engine"].dispose()
    assert statuses == [303, 303, 303]
    assert closing.status_code == 429 and "Retry-After" in closing.headers
    assert reading.status_code == 200  # reading the page is never limited
    assert session.scalar(sa.select(Job.status)) == "pending"
