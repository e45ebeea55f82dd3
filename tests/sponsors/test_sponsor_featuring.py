"""PUT/DELETE /api/v1/sponsor/jobs/<id>/featured: sponsors feature their jobs within a quota."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from models import featuring, sponsors
from models import sponsor_postings as postings
from models.tables import Job, Sponsor
from models.types import utcnow
from tests.sponsors.conftest import bearer
from tests.sponsors.factories import sponsor_fields

JOBS = "/api/v1/sponsor/jobs"


@pytest.fixture
def sponsor(session) -> tuple[int, str]:
    """A trusted sponsor allowed two featured jobs at a time: (id, token)."""
    sponsor, token = sponsors.create(session, "Nimbus", "jobs@nimbus.example", trusted=True)
    sponsors.set_featured_quota(session, sponsor.id, 2)
    session.commit()
    return sponsor.id, token


def posted(client, token: str, title: str = "Research Engineer") -> int:
    response = client.post(JOBS, json=sponsor_fields(title=title), headers=bearer(token))
    return response.get_json()["id"]


def day(days_ahead: int) -> str:
    return (utcnow().date() + timedelta(days=days_ahead)).isoformat()


def feature(client, token: str, job_id: int, until: str):
    return client.put(f"{JOBS}/{job_id}/featured", json={"until": until}, headers=bearer(token))


def test_a_featured_job_leads_the_board_feeds_and_newsletter_until_its_day_ends(client, sponsor):
    _, token = sponsor
    job_id = posted(client, token)
    posted(client, token, title="Newer Job")
    response = feature(client, token, job_id, day(7))
    assert response.status_code == 200
    assert response.get_json()["featured_until"].startswith(day(8) + "T00:00:00")
    first = client.get("/api/v1/jobs").get_json()["items"][0]
    assert (first["id"], first["featured"]) == (job_id, True)


def test_featuring_past_the_quota_is_409_naming_the_featured_jobs(client, sponsor):
    _, token = sponsor
    first, second, third = (posted(client, token, title=t) for t in ("A job", "B job", "C job"))
    assert feature(client, token, first, day(3)).status_code == 200
    assert feature(client, token, second, day(3)).status_code == 200
    response = feature(client, token, third, day(3))
    assert response.status_code == 409
    assert f"featured now: {first}, {second}" in response.get_json()["message"]
    assert client.get(f"{JOBS}/{third}", headers=bearer(token)).get_json()["featured"] is False


def test_a_featured_job_may_change_its_day_within_a_full_quota(client, session, sponsor):
    sponsor_id, token = sponsor
    sponsors.set_featured_quota(session, sponsor_id, 1)
    session.commit()
    job_id = posted(client, token)
    feature(client, token, job_id, day(3))
    assert feature(client, token, job_id, day(10)).status_code == 200


def test_unfeaturing_frees_the_placement_for_another_job(client, session, sponsor):
    sponsor_id, token = sponsor
    sponsors.set_featured_quota(session, sponsor_id, 1)
    session.commit()
    first, second = posted(client, token, title="A job"), posted(client, token, title="B job")
    feature(client, token, first, day(3))
    unfeatured = client.delete(f"{JOBS}/{first}/featured", headers=bearer(token))
    assert unfeatured.status_code == 200 and unfeatured.get_json()["featured_until"] is None
    assert feature(client, token, second, day(3)).status_code == 200


def test_a_sponsor_without_a_quota_cannot_feature(client, sponsor_token):
    job_id = posted(client, sponsor_token)
    response = feature(client, sponsor_token, job_id, day(1))
    assert response.status_code == 409 and "quota is 0" in response.get_json()["message"]


@pytest.mark.parametrize(
    ("until", "reason"),
    [
        (day(-1), "Pick today or a later date."),
        (day(400), "Pick a date within a year from today."),
        ("next week", "Not a valid date."),
    ],
)
def test_a_day_out_of_range_is_422_naming_until(client, sponsor, until, reason):
    _, token = sponsor
    response = feature(client, token, posted(client, token), until)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {"until": [reason]}


def test_a_closed_job_cannot_be_featured(client, sponsor):
    _, token = sponsor
    job_id = posted(client, token)
    client.delete(f"{JOBS}/{job_id}", headers=bearer(token))
    response = feature(client, token, job_id, day(1))
    assert (
        response.status_code == 409
        and "closed job cannot be featured" in response.get_json()["message"]
    )


def test_another_sponsors_job_cannot_be_featured(client, sponsor, sponsor_token):
    _, token = sponsor
    job_id = posted(client, sponsor_token)
    assert feature(client, token, job_id, day(1)).status_code == 404


def test_two_requests_at_once_cannot_both_take_the_last_placement(pg_sessions):
    """The second waits for the first's lock on the sponsor, then sees its placement."""
    with pg_sessions() as session:
        sponsor, _ = sponsors.create(session, "Nimbus", "jobs@nimbus.example", trusted=True)
        sponsors.set_featured_quota(session, sponsor.id, 1)
        job_ids = [postings.submit(session, sponsor, sponsor_fields()).job.id for _ in range(2)]
        session.commit()
        sponsor_id = sponsor.id
    until = utcnow().date() + timedelta(days=3)
    first, second = pg_sessions(), pg_sessions()
    featuring.feature_own(first, first.get(Sponsor, sponsor_id), first.get(Job, job_ids[0]), until)
    outcome: list[str] = []

    def feature_the_other() -> None:
        try:
            job = second.get(Job, job_ids[1])
            featuring.feature_own(second, second.get(Sponsor, sponsor_id), job, until)
            outcome.append("featured")
        except featuring.FeaturingRefused:
            outcome.append("refused")

    waiting = threading.Thread(target=feature_the_other)
    waiting.start()
    waiting.join(timeout=1)
    assert waiting.is_alive()  # blocked on the first request's lock
    first.commit()
    waiting.join(timeout=10)
    assert outcome == ["refused"]
    first.close()
    second.close()
