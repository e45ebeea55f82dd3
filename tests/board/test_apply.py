"""/j/<code>: count a click per job, day and channel, then 302 to the stored apply URL only."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from models import clicks, lifecycle
from models.tables import Click, JobStatus


def totals(sessions, job_id: int) -> dict[str, int]:
    with sessions() as session:
        return clicks.totals_by_via(session, job_id)


def test_apply_redirects_to_the_stored_apply_url(client, post):
    job = post(apply_url="https://jobs.example.com/apply/7?utm_source=x&gh_src=y")
    response = client.get(f"/j/{job.code}")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://jobs.example.com/apply/7"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "query",
    [
        "url=https://evil.example/",
        "next=https://evil.example/",
        "redirect=//evil.example",
        "apply_url=https://evil.example/",
    ],
)
def test_no_parameter_can_choose_the_target(client, post, query):
    job = post(apply_url="https://jobs.example.com/apply/8")
    response = client.get(f"/j/{job.code}?{query}")
    assert response.headers["Location"] == "https://jobs.example.com/apply/8"


def test_clicks_are_counted_per_channel(client, sessions, post):
    job = post()
    for via in ("", "?via=board", "?via=newsletter", "?via=newsletter", "?via=feed", "?via=evil"):
        client.get(f"/j/{job.code}{via}")
    client.head(f"/j/{job.code}")
    assert totals(sessions, job.id) == {"board": 3, "feed": 1, "newsletter": 2}


@pytest.mark.parametrize("status", [JobStatus.PENDING, JobStatus.REJECTED])
def test_unknown_and_hidden_codes_are_404(client, session, post, status):
    assert client.get("/j/nope").status_code == 404
    job = post()
    job.status = status
    session.commit()
    assert client.get(f"/j/{job.code}").status_code == 404


def test_a_closed_job_answers_410_without_counting(client, session, sessions, post):
    job = post()
    lifecycle.close(job)
    session.commit()
    response = client.get(f"/j/{job.code}")
    assert response.status_code == 410
    assert "Location" not in response.headers
    assert totals(sessions, job.id) == {}


def test_a_merged_jobs_link_applies_to_the_job_it_merged_into(client, session, sessions, post):
    kept = post(title="Rust Engineer", apply_url="https://jobs.example.com/apply/kept")
    copy = post(title="Rust Developer", apply_url="https://jobs.example.com/apply/copy")
    lifecycle.close(copy)
    copy.merged_into_id = kept.id
    session.commit()
    response = client.get(f"/j/{copy.code}?via=newsletter")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://jobs.example.com/apply/kept"
    assert totals(sessions, kept.id) == {"newsletter": 1} and totals(sessions, copy.id) == {}


def test_record_click_adds_to_the_day_row_in_place(session, post):
    job = post()
    day = date(2026, 11, 20)
    for _ in range(3):
        clicks.record_click(session, job.id, "newsletter", day)
    clicks.record_click(session, job.id, "newsletter", date(2026, 11, 21))
    session.commit()
    assert clicks.totals_by_via(session, job.id) == {"newsletter": 4}
    rows = session.execute(sa.select(Click.day, Click.count).order_by(Click.day)).all()
    assert rows == [(day, 3), (date(2026, 11, 21), 1)]
