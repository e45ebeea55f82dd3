"""The section's `since`: jobs first published on the board since then, announced once.

An issue pulls `since=7d`; a job must not come back in a later issue, as if new, because its
placement ended, its source fixed a typo, or it closed and its listing returned. The API's
`since` is a sync feed and still returns every job changed since.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import lifecycle, sponsor_postings, sponsors
from models.ingest import upsert_postings
from models.tables import Job
from models.types import utcnow
from tests.factories import raw_posting
from tests.feeds.test_newsletter import lines

DAY = timedelta(days=1)


def section_titles(client, fmt: str = "md") -> list[str]:
    """The titles in this week's section (since=7d), in its order."""
    text = client.get(f"/newsletter/jobs.{fmt}?since=7d").get_data(as_text=True)
    if fmt == "html":
        return [line.split("<strong>")[1].split(" @ ")[0] for line in text.splitlines()[1:-1]]
    return [match["title"] for match in lines(text)]


def api_titles(client) -> list[str]:
    since = (utcnow() - 7 * DAY).isoformat("T")[:19]
    return [item["title"] for item in client.get(f"/api/v1/jobs?since={since}").get_json()["items"]]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_job_whose_placement_ended_is_not_announced_again(client, session, add_jobs, fmt):
    """Featured for two weeks, it was in those issues; the third is not paid for."""
    [job_id] = add_jobs(title="Once Featured", now=utcnow() - 20 * DAY)
    add_jobs(title="New This Week", now=utcnow() - 3 * DAY)
    job = session.get(Job, job_id)
    lifecycle.feature_until(job, utcnow() - 2 * DAY, now=utcnow() - 16 * DAY)
    session.commit()
    assert lifecycle.end_featuring(session, now=utcnow() - 2 * DAY) == 1
    session.commit()
    assert section_titles(client, fmt) == ["New This Week"]


@pytest.fixture
def edited_yesterday(session, source, postings):
    """The source fixes a typo in a job's posting, and yesterday's crawl reads it."""

    def edit(job_id: int) -> None:
        postings[job_id] = postings[job_id] | {"title": postings[job_id]["title"] + ", fixed"}
        counts = upsert_postings(session, [postings[job_id]], source=source, now=utcnow() - DAY)
        assert [o.action for o in counts.outcomes] == ["updated"]

    return edit


def test_a_crawled_job_edited_since_is_not_announced_again(client, add_jobs, edited_yesterday):
    [job_id] = add_jobs(title="Research Engineer", now=utcnow() - 30 * DAY)
    edited_yesterday(job_id)
    assert section_titles(client) == []


def test_the_apis_since_still_returns_a_job_edited_since(client, add_jobs, edited_yesterday):
    """A sync client needs the change, though the newsletter announced the job long ago."""
    [job_id] = add_jobs(title="Research Engineer", now=utcnow() - 30 * DAY)
    edited_yesterday(job_id)
    assert api_titles(client) == ["Research Engineer, fixed"]


def test_a_job_first_published_three_days_ago_is_announced(client, add_jobs):
    add_jobs(title="Fresh Role", now=utcnow() - 3 * DAY)
    add_jobs(title="Last Month's Role", now=utcnow() - 30 * DAY)
    assert section_titles(client) == ["Fresh Role"]


def test_a_sponsor_posting_approved_this_week_is_announced_though_submitted_before(
    client, session, monkeypatch
):
    """Announced when it goes on the board, not when it was sent: nine days in review
    would otherwise keep it out of every issue."""
    sponsor, _ = sponsors.create(session, "Orbital Labs", "jobs@orbital.example")
    posting = raw_posting(title="Applied Scientist", company="Orbital Labs")
    counts = upsert_postings(session, [posting], sponsor=sponsor, now=utcnow() - 9 * DAY)
    job = session.get(Job, counts.outcomes[0].job_id)
    assert section_titles(client) == []  # waiting for review: on no board, in no issue
    yesterday = utcnow() - DAY
    monkeypatch.setattr(lifecycle, "utcnow", lambda: yesterday)
    sponsor_postings.publish(session, job)  # the moderator's Approve
    session.commit()
    assert section_titles(client) == ["Applied Scientist"]


def test_a_job_that_closed_and_returned_is_not_announced_again(
    client, session, source, postings, add_jobs
):
    [job_id] = add_jobs(title="Returning Role", now=utcnow() - 20 * DAY)
    lifecycle.close(session.get(Job, job_id), now=utcnow() - 10 * DAY)
    session.commit()
    counts = upsert_postings(session, [postings[job_id]], source=source, now=utcnow() - DAY)
    assert [o.action for o in counts.outcomes] == ["updated"]
    assert session.get(Job, job_id, populate_existing=True).status == "published"
    assert section_titles(client) == []


def test_the_cli_section_counts_from_first_publication_too(cli, add_jobs, edited_yesterday):
    [old] = add_jobs(title="Research Engineer", now=utcnow() - 30 * DAY)
    add_jobs(title="Fresh Role", now=utcnow() - 3 * DAY)
    edited_yesterday(old)
    result = cli("newsletter", "--since", "7d")
    assert result.exit_code == 0
    assert [match["title"] for match in lines(result.output)] == ["Fresh Role"]
