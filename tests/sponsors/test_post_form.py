"""GET/POST /post: preview, submit, errors beside their fields, spam defences, the manage link."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from models import sponsors
from models.tables import Job, Listing, Sponsor
from tests.sponsors.conftest import csrf_token, submit_form
from tests.sponsors.factories import form_data


def post(client, **overrides):
    return submit_form(client, "/post", form_data(**overrides))


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_form_labels_every_field(client):
    html = client.get("/post").get_data(as_text=True)
    for name in ("company", "title", "description", "apply_url", "email", "salary_min"):
        assert re.search(rf'<label for="{name}">', html), name


def test_required_fields_are_marked_and_optional_ones_are_not(client):
    html = client.get("/post").get_data(as_text=True)
    marked = set(
        re.findall(r'<label for="(\w+)">[^<]*<span class="required"[^>]*>\(required\)', html)
    )
    assert marked == {"company", "title", "description", "apply_url", "email"}
    # The inputs say so to assistive technology; the visible marker is not read twice.
    assert all(re.search(rf'<[^>]* id="{name}"[^>]* required', html) for name in marked)


def test_preview_renders_the_markdown_and_stores_nothing(client, session):
    response = post(client, action="preview", description="We use **PyTorch**.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>PyTorch</strong>" in html and 'id="preview-heading"' in html
    assert count(session, Job) == 0 and count(session, Sponsor) == 0


def test_submit_stores_a_pending_job_and_shows_the_manage_link_once(client, session):
    response = post(client, action="submit", title="Applied Scientist")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    link = re.search(r'href="(http://[^"]+/manage/[^"]+)"', page.get_data(as_text=True))
    assert link and page.headers["Cache-Control"] == "no-store"
    job = session.scalar(sa.select(Job))
    assert (job.title, job.status) == ("Applied Scientist", "pending")
    token = link.group(1).rsplit("/", 1)[1]
    assert token not in (session.scalar(sa.select(Listing.manage_token_hash)) or "")
    assert client.get("/post/submitted").status_code == 302  # shown once only


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"company": ""}, "company"),
        ({"description": ""}, "description"),
        ({"email": "not-an-address"}, "email"),
        ({"apply_url": "javascript:alert(1)"}, "apply_url"),
        ({"apply_url": "http://192.168.0.1/"}, "apply_url"),
        ({"company_website": "javascript:alert(1)"}, "company_website"),
        ({"salary_min": "lots"}, "salary_min"),
        ({"salary_min": "sNaN"}, "salary_min"),
        ({"salary_max": "NaN"}, "salary_max"),
        ({"salary_max": "Infinity"}, "salary_max"),
        ({"salary_min": "200000", "salary_max": "100000"}, "salary_max"),
        ({"remote": "spaceship"}, "remote"),
    ],
)
@pytest.mark.parametrize("action", ["preview", "submit"])
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_stored(
    client, session, overrides, field, action
):
    response = post(client, action=action, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'aria-describedby="[^"]*{field}-error"[^>]*aria-invalid="true"', html) or (
        re.search(rf'aria-invalid="true"[^>]*aria-describedby="[^"]*{field}-error"', html)
    )
    assert f'id="{field}-error"' in html
    assert count(session, Job) == 0 and count(session, Sponsor) == 0


def test_every_error_is_reported_at_once(client):
    html = post(client, action="submit", title="", company="", apply_url="").get_data(as_text=True)
    assert all(f'id="{name}-error"' in html for name in ("title", "company", "apply_url"))


@pytest.mark.parametrize("action", ["preview", "submit"])
def test_the_postings_own_errors_come_with_the_forms_in_one_round(client, action):
    """A missing field must not hide a bad apply URL or salary range until the next try."""
    html = post(
        client,
        action=action,
        description="",
        apply_url="ftp://files.example/job",
        company_website="notaurl",
        salary_min="200000",
        salary_max="100000",
    ).get_data(as_text=True)
    for name in ("description", "apply_url", "company_website", "salary_max"):
        assert f'id="{name}-error"' in html, name
    assert "Please correct 4 problems below." in html


@pytest.mark.parametrize("action", ["preview", "submit"])
def test_a_bad_tag_is_named_by_its_position_with_its_message(client, action):
    html = post(client, action=action, tags=["ok", "x" * 70]).get_data(as_text=True)
    errors = re.search(r'<ul class="field-errors" id="tags-error">(.*?)</ul>', html)
    assert errors and re.fullmatch(r"<li>Tag 2: [^<]*\b60\.</li>", errors.group(1))


def test_a_filled_honeypot_is_refused(client, session):
    response = post(client, action="submit", homepage="http://spam.example")
    assert response.status_code == 400
    assert count(session, Job) == 0


def test_a_post_without_a_csrf_token_is_refused(client, session):
    response = client.post("/post", data=form_data(action="submit"))
    assert response.status_code == 400
    assert count(session, Job) == 0


def test_a_post_with_a_forged_csrf_token_is_refused(client, session):
    client.get("/post")
    response = client.post("/post", data=form_data(action="submit") | {"csrf_token": "forged"})
    assert response.status_code == 400
    assert count(session, Job) == 0


def test_a_salary_out_of_range_is_explained_in_words_a_person_reads(client):
    html = post(client, action="preview", salary_max="2000000000000").get_data(as_text=True)
    assert "Enter an amount from 0 to 999,999,999,999." in html


def test_a_years_pay_in_dong_can_be_posted(client):
    """1,300,000,000 dong is about $50,000 a year: it was over a cap of a billion units."""
    fields = {"salary_min": "1300000000", "salary_max": "1600000000", "salary_currency": "VND"}
    html = post(client, action="preview", **fields).get_data(as_text=True)
    assert "Enter an amount" not in html
    assert "1,300,000,000" in html


def test_amounts_are_shown_back_as_they_were_typed(client):
    html = post(client, action="preview", salary_min="120000", salary_max="52.5").get_data(
        as_text=True
    )
    assert 'value="120000"' in html and 'value="52.5"' in html


def test_a_form_left_open_for_a_day_still_posts(client, monkeypatch):
    """Writing a posting can take longer than the hour Flask-WTF allows by default."""
    day_ago = time.time() - 24 * 3600
    with monkeypatch.context() as earlier:
        earlier.setattr(time, "time", lambda: day_ago)
        token = csrf_token(client.get("/post").get_data(as_text=True))
    data = form_data(action="submit") | {"csrf_token": token}
    assert client.post("/post", data=data).status_code == 303


def limited_app(app_config, **limits: str):
    from api import create_app

    return create_app(app_config | limits)


def send(client, action: str, **overrides: str) -> int:
    token = csrf_token(client.get("/post").get_data(as_text=True))
    data = form_data(action=action, **overrides) | {"csrf_token": token}
    return client.post("/post", data=data).status_code


def test_postings_stored_are_rate_limited_per_address(app_config):
    app = limited_app(app_config, SPONSOR_POST_RATE_LIMIT="2/minute")
    client = app.test_client()
    statuses = [send(client, "submit", title=f"Engineer {n}") for n in range(3)]
    app.extensions["jobboard.engine"].dispose()
    assert statuses == [303, 303, 429]
    assert client.get("/post").status_code == 200  # reading the form is never limited


def test_previews_and_corrections_do_not_use_up_the_postings_allowed(app_config):
    """A sponsor who previews twice and fixes a mistake can still post."""
    app = limited_app(app_config, SPONSOR_POST_RATE_LIMIT="1/minute")
    client = app.test_client()
    statuses = [send(client, "preview"), send(client, "submit", title=""), send(client, "submit")]
    app.extensions["jobboard.engine"].dispose()
    assert statuses == [200, 422, 303]


def test_form_sends_of_any_kind_are_rate_limited_too(app_config):
    app = limited_app(app_config, SPONSOR_FORM_RATE_LIMIT="2/minute")
    client = app.test_client()
    statuses = [send(client, "preview") for _ in range(3)]
    app.extensions["jobboard.engine"].dispose()
    assert statuses == [200, 200, 429]


def test_one_poster_email_is_one_untrusted_sponsor(client, session):
    post(client, action="submit")
    post(client, action="submit")
    assert count(session, Sponsor) == 1 and count(session, Job) == 2
    assert session.scalar(sa.select(Sponsor.trusted)) is False


@pytest.mark.parametrize(
    "spelling",
    [
        "hiring@orbital.example",
        " Hiring@Orbital.Example",
        "hiring%40orbital.example",
        "%68iring@orbital.example",
    ],
)
def test_a_revoked_posters_address_may_not_post_again_however_it_is_spelled(
    client, session, spelling
):
    """The form reads an address with its %-escapes decoded, so "%68iring@..." is accepted as
    hiring@...; the revoked poster was looked up by the letters as typed, and got through."""
    post(client, action="submit")
    sponsors.revoke(session, session.scalar(sa.select(Sponsor.id)))
    session.commit()
    response = post(client, action="submit", email=spelling)
    assert response.status_code == 422
    assert "This address may no longer post." in response.get_data(as_text=True)
    assert count(session, Sponsor) == 1 and count(session, Job) == 1
