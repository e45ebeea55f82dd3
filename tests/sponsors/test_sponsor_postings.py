"""Sponsor postings go through the one ingest path: checked, sanitized, deduplicated, moderated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from models import board, lifecycle, reread, sponsors
from models import sponsor_postings as postings
from models.ingest import upsert_postings
from models.tables import Company, Job, JobStatus, Listing, Source, Sponsor
from models.types import utcnow
from tests.factories import raw_posting
from tests.sponsors.factories import sponsor_fields
from tests.sponsors.htmlcheck import dangers


@pytest.fixture
def sponsor(session):
    sponsor, _ = sponsors.create(session, "Orbital Labs", "jobs@orbital.example")
    session.commit()
    return sponsor


@pytest.fixture
def trusted(session):
    sponsor, _ = sponsors.create(session, "Nimbus", "jobs@nimbus.example", trusted=True)
    session.commit()
    return sponsor


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_an_untrusted_sponsors_posting_waits_for_review(session, sponsor):
    posted = postings.submit(session, sponsor, sponsor_fields())
    assert posted.job.status == JobStatus.PENDING and posted.job.origin == "sponsor"
    assert posted.listing.sponsor_id == sponsor.id


def test_a_trusted_sponsors_posting_is_published_at_once(session, trusted):
    assert postings.submit(session, trusted, sponsor_fields()).job.status == JobStatus.PUBLISHED


def test_the_posting_is_normalized_and_its_markdown_sanitized(session, trusted):
    fields = sponsor_fields(
        description="Hi <script>alert(1)</script> [x](javascript:alert(1)) **bold**"
    )
    job = postings.submit(session, trusted, fields).job
    assert "<strong>bold</strong>" in job.description_html
    assert dangers(job.description_html) == []
    assert "utm_source" not in job.apply_url and "ref=" not in job.apply_url
    assert (job.salary_min, job.salary_currency, job.remote) == (120000, "EUR", "hybrid")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"company": "!!!"}, "company"),
        ({"apply_url": "javascript:alert(1)"}, "apply_url"),
        ({"apply_url": "ftp://orbital.example/jobs"}, "apply_url"),
        ({"company_website": "javascript:alert(1)"}, "company_website"),
        ({"company_logo_url": "data:image/svg+xml,<svg onload=alert(1)>"}, "company_logo_url"),
        ({"salary_min": 200000, "salary_max": 100000}, "salary_max"),
        ({"salary_min": "lots"}, "salary_min"),
        ({"description": "x" * 300_000}, "description"),
        ({"salary_currency": "XYZ"}, "salary_currency"),
        ({"valid_through": "2020-01-01T00:00:00Z"}, "valid_through"),
    ],
)
def test_an_invalid_posting_names_its_field_and_stores_nothing(session, sponsor, overrides, field):
    with pytest.raises(postings.InvalidPosting) as raised:
        postings.submit(session, sponsor, sponsor_fields(**overrides))
    assert field in raised.value.messages
    session.rollback()
    assert count(session, Job) == 0 and count(session, Listing) == 0


def test_an_edit_updates_the_same_job_under_the_same_listing(session, trusted):
    posted = postings.submit(session, trusted, sponsor_fields(salary_max=150000))
    edited = postings.update(session, posted.listing, {"salary_max": 170000, "remote_note": None})
    assert edited.job.id == posted.job.id and edited.listing.id == posted.listing.id
    assert edited.job.salary_max == 170000 and edited.job.remote_note is None
    assert count(session, Job) == 1


def test_an_untrusted_sponsors_edit_of_a_live_job_goes_back_to_review(session, sponsor):
    posted = postings.submit(session, sponsor, sponsor_fields())
    lifecycle.publish(posted.job)
    session.commit()
    edited = postings.update(session, posted.listing, {"description": "Now with spam."})
    assert edited.job.status == JobStatus.PENDING


def test_a_live_job_sent_back_to_review_keeps_its_first_publication_date(
    session, sponsor, monkeypatch
):
    """Approved again after an edit, it is the same opening: no second announcement."""
    posted = postings.submit(session, sponsor, sponsor_fields())
    postings.publish(session, posted.job)
    session.commit()
    first = posted.job.published_at
    edited = postings.update(session, posted.listing, {"description": "Now remote-friendly."})
    assert (edited.job.status, edited.job.published_at) == (JobStatus.PENDING, first)
    later = utcnow() + timedelta(days=2)
    monkeypatch.setattr(lifecycle, "utcnow", lambda: later)
    postings.publish(session, edited.job)
    session.commit()
    assert (edited.job.status, edited.job.published_at) == (JobStatus.PUBLISHED, first)


def test_a_closed_posting_cannot_be_edited_back_to_life(session, sponsor):
    posted = postings.submit(session, sponsor, sponsor_fields())
    postings.close(posted.job)
    session.commit()
    with pytest.raises(postings.PostingConflict):
        postings.update(session, posted.listing, {"title": "Reopened"})
    assert session.get(Job, posted.job.id).status == JobStatus.CLOSED


@pytest.fixture
def scraped(session):
    """A published scraped job of Orbital Labs, whose website the crawl found; its raw posting."""
    source = Source(kind="greenhouse", url="https://boards.example/orbital", company="Orbital")
    session.add(source)
    session.commit()
    raw = raw_posting(
        title="Research Engineer",
        company="Orbital Labs",
        location="Berlin, Germany",
        company_website="https://orbital.example",
    )
    upsert_postings(session, [raw], source=source)
    return source, raw


def company_website(session) -> str | None:
    session.expire_all()
    return session.scalar(sa.select(Company.website).where(Company.slug == "orbital-labs"))


def test_a_trusted_sponsors_posting_joins_the_scraped_job_and_its_fields_win(
    session, trusted, scraped
):
    source, raw = scraped
    fields = sponsor_fields(title="Research Engineer", location="Berlin, Germany")
    posted = postings.submit(session, trusted, fields | {"remote_note": "Sponsor's note"})
    assert count(session, Job) == 1 and count(session, Listing) == 2
    assert posted.job.remote_note == "Sponsor's note" and posted.job.origin == "sponsor"
    upsert_postings(session, [raw | {"remote_note": "Scraped note"}], source=source)
    assert session.get(Job, posted.job.id, populate_existing=True).remote_note == "Sponsor's note"


def test_an_untrusted_sponsor_cannot_take_over_a_scraped_job(session, sponsor, scraped):
    job = session.scalar(sa.select(Job))
    fields = sponsor_fields(title="Research Engineer", location="Berlin, Germany")
    with pytest.raises(postings.PostingConflict, match="on the board already"):
        postings.submit(session, sponsor, fields | {"apply_url": "https://elsewhere.example/a"})
    session.rollback()
    assert count(session, Listing) == 1
    kept = session.get(Job, job.id, populate_existing=True)
    assert (kept.status, kept.origin, kept.apply_url) == (
        JobStatus.PUBLISHED,
        "scraped",
        job.apply_url,
    )


def test_a_crawled_opening_held_by_a_rejected_posting_is_listed_after_the_next_crawl(
    session, sponsor
):
    """A crawl's listing of an opening someone posted first waits with that posting; when a
    moderator rejects the posting, the next crawl puts the opening on the board by itself."""
    posted = postings.submit(
        session, sponsor, sponsor_fields(title="Research Engineer", location="Berlin, Germany")
    )
    session.commit()
    source = Source(kind="lever", url="https://api.lever.example/v0/postings/orbital", company="O")
    session.add(source)
    session.commit()
    raw = raw_posting(title="Research Engineer", company="Orbital Labs", location="Berlin, Germany")
    upsert_postings(session, [raw], source=source)
    assert count(session, Job) == 1
    lifecycle.reject(posted.job)
    session.commit()
    upsert_postings(session, [raw], source=source)
    listed = session.scalars(sa.select(Job).where(Job.status == JobStatus.PUBLISHED)).all()
    assert [(job.origin, job.title) for job in listed] == [("scraped", "Research Engineer")]
    listing = session.scalar(sa.select(Listing).where(Listing.source_id == source.id))
    assert listing.job_id == listed[0].id


def _withdrawn(session, job: Job) -> None:
    postings.close(job)


def _past_its_date(session, job: Job) -> None:
    lifecycle.expire_stale(session, now=utcnow() + timedelta(days=3))


@pytest.mark.parametrize("end", [_withdrawn, _past_its_date])
def test_a_crawled_opening_held_by_a_sponsors_ended_posting_is_listed_after_the_next_crawl(
    session, trusted, scraped, end
):
    """A trusted sponsor's posting takes over the crawled copy of its opening; when the
    sponsor withdraws it, or it expires, while the company's own board still lists the
    opening, the next crawl puts the opening back on the board by itself."""
    source, raw = scraped
    fields = sponsor_fields(title="Research Engineer", location="Berlin, Germany")
    fields["valid_through"] = (date.today() + timedelta(days=1)).isoformat()
    posted = postings.submit(session, trusted, fields)
    session.commit()
    assert count(session, Job) == 1
    end(session, posted.job)
    session.commit()
    upsert_postings(session, [raw], source=source)
    listed = session.scalars(sa.select(Job).where(Job.status == JobStatus.PUBLISHED)).all()
    assert [(job.origin, job.title) for job in listed] == [("scraped", "Research Engineer")]
    assert session.get(Job, posted.job.id).status in JobStatus.ENDED


def test_a_posting_that_expired_before_review_has_no_public_page(session, sponsor):
    fields = sponsor_fields(valid_through=(date.today() + timedelta(days=1)).isoformat())
    job = postings.submit(session, sponsor, fields).job
    session.commit()
    lifecycle.expire_stale(session, now=utcnow() + timedelta(days=3))
    session.commit()
    assert session.get(Job, job.id, populate_existing=True).status == JobStatus.EXPIRED
    assert board.seekable_job(session, slug=job.slug) is None


def test_a_sponsor_posting_stored_under_older_rules_is_read_again_as_it_was_sent(session, sponsor):
    """No crawl re-sends a sponsor's posting: the upkeep reads it again after an upgrade,
    keeping its moderation and its last sighting."""
    posted = postings.submit(session, sponsor, sponsor_fields(title="Staff ML Engineer"))
    lifecycle.publish(posted.job)
    session.commit()
    seen = posted.job.last_seen_at
    # As an older release stored it: its reading of the title, its hashes.
    session.execute(sa.update(Job).values(seniority="junior", content_hash="0" * 40))
    session.execute(sa.update(Listing).values(payload_hash="0" * 40))
    session.commit()
    assert reread.reread_sponsor_postings(session, now=utcnow() + timedelta(days=9)) == 1
    job = session.get(Job, posted.job.id, populate_existing=True)
    assert (job.seniority, job.status, job.last_seen_at) == ("staff", "published", seen)
    assert reread.reread_sponsor_postings(session) == 0


def test_a_sponsor_posting_the_current_rules_refuse_is_read_again_once_and_kept(session, sponsor):
    posted = postings.submit(session, sponsor, sponsor_fields())
    session.commit()
    listing = posted.listing
    # An older release took 120,000 to 150,000 "an hour"; this one refuses such pay.
    listing.payload = listing.payload | {"salary_period": "hour"}
    listing.payload_hash = "0" * 40
    session.commit()
    assert reread.reread_sponsor_postings(session) == 1
    job = session.get(Job, posted.job.id, populate_existing=True)
    assert (job.status, job.salary_max, job.salary_period) == ("pending", 150000, "year")
    assert reread.reread_sponsor_postings(session) == 0


def test_a_second_form_posting_of_a_job_does_not_join_the_first(session):
    fields = sponsor_fields()
    first, _ = postings.submit_from_form(session, "hiring@orbital.example", fields)
    lifecycle.publish(first.job)
    session.commit()
    changed = fields | {"apply_url": "https://elsewhere.example/apply"}
    with pytest.raises(postings.PostingConflict, match="manage link"):
        postings.submit_from_form(session, "Hiring@Orbital.example", changed)
    session.rollback()
    job = session.get(Job, first.job.id, populate_existing=True)
    assert job.status == JobStatus.PUBLISHED and "elsewhere" not in job.apply_url
    assert count(session, Listing) == 1


def test_an_unreviewed_posting_changes_no_companys_website_until_it_is_approved(
    session, sponsor, scraped
):
    moved = "https://orbital-labs.example/"
    posted = postings.submit(session, sponsor, sponsor_fields(company_website=moved))
    assert company_website(session) == "https://orbital.example/"
    postings.publish(session, posted.job)
    session.commit()
    assert company_website(session) == moved


def test_a_new_company_of_an_unreviewed_posting_has_no_website_until_approved(session, sponsor):
    posted = postings.submit(session, sponsor, sponsor_fields())
    assert company_website(session) is None
    postings.publish(session, posted.job)
    session.commit()
    assert company_website(session) == "https://orbital.example/"


def test_a_trusted_sponsors_company_website_replaces_the_scraped_one(session, trusted, scraped):
    postings.submit(
        session, trusted, sponsor_fields(company_website="https://orbital-labs.example")
    )
    assert company_website(session) == "https://orbital-labs.example/"


def test_an_edit_keeps_the_date_the_job_was_posted(session, trusted):
    posted = postings.submit(session, trusted, sponsor_fields())
    first = posted.job.posted_at
    edited = postings.update(session, posted.listing, {"remote_note": "Anywhere in the EU"})
    assert edited.job.posted_at == first


def test_a_posting_cannot_take_over_another_sponsors_job(session, sponsor, trusted):
    fields = sponsor_fields()
    postings.submit(session, trusted, fields)
    with pytest.raises(postings.PostingConflict):
        postings.submit(session, sponsor, fields | {"description": "hijacked"})
    assert count(session, Listing) == 1


def test_a_manage_token_finds_its_listing_and_a_new_one_replaces_it(session, sponsor):
    listing = postings.submit(session, sponsor, sponsor_fields()).listing
    old = sponsors.issue_manage_token(listing)
    new = sponsors.issue_manage_token(listing)
    session.commit()
    assert sponsors.listing_by_manage_token(session, new) is listing
    assert sponsors.listing_by_manage_token(session, old) is None
    assert new not in (listing.manage_token_hash or "")


def test_own_jobs_lists_only_the_sponsors_postings(session, sponsor, trusted):
    mine = postings.submit(session, sponsor, sponsor_fields()).job
    postings.submit(session, trusted, sponsor_fields())
    assert session.scalars(postings.own_jobs(sponsor.id)).all() == [mine]
    assert session.scalar(sa.select(sa.func.count()).select_from(Sponsor)) == 2
