"""The job page: what it shows, its schema.org JobPosting, and 404/410 for jobs not open."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from api.page_views import PageViews
from models import clicks, lifecycle, sponsor_postings, sponsors
from models.tables import JobStatus
from models.types import utcnow
from tests.board.conftest import jsonld_of
from tests.sponsors.factories import sponsor_fields


def test_the_page_shows_the_job_and_an_apply_link(client, post):
    job = post(
        title="Staff Research Engineer",
        remote="remote",
        remote_note="UK time +/- 2 hours",
        location="Remote, UK",
        salary="£90k - £120k per year",
        tags=["pytorch"],
        description_html="<p>Train <em>models</em>.</p><script>alert(1)</script>",
    )
    page = client.get(f"/jobs/{job.slug}").get_data(as_text=True)
    assert "<h1>Staff Research Engineer</h1>" in page
    assert "Acme AI" in page
    assert "Remote: UK time +/- 2 hours" in page
    assert "£90,000\u2013£120,000 a year" in page
    assert 'href="/?tag=pytorch">pytorch</a>' in page
    assert f'datetime="{job.posted_at.date().isoformat()}"' in page
    assert "<p>Train <em>models</em>.</p>" in page
    assert "alert(1)" not in page
    assert f'href="/j/{job.code}"' in page


@pytest.mark.parametrize(
    ("salary", "shown"),
    [
        ("$50 - $70 per hour", "$50\u2013$70 an hour"),
        ("€5,000 per month", "€5,000 a month"),
        ("£600 - £750 per week", "£600\u2013£750 a week"),
        ("CHF 150k - 180k per year", "CHF\u00a0150,000\u2013CHF\u00a0180,000 a year"),
    ],
)
def test_salary_reads_with_currency_and_period(client, post, salary, shown):
    job = post(salary=salary)
    assert shown in client.get(f"/jobs/{job.slug}").get_data(as_text=True)


def test_jsonld_describes_an_onsite_job_posting(client, post):
    job = post(
        title="ML Engineer",
        location="Berlin, Germany",
        remote="onsite",
        salary="€80k - €100k per year",
        employment_type="Contract",
        valid_through=(utcnow() + timedelta(days=20)).isoformat(),
    )
    data = jsonld_of(client.get(f"/jobs/{job.slug}").get_data(as_text=True))
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "JobPosting"
    assert data["title"] == "ML Engineer"
    assert data["description"] == job.description_html
    assert data["datePosted"] == job.posted_at.isoformat()
    assert data["validThrough"] == job.valid_through.isoformat()
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Acme AI",
        "sameAs": "https://acme.example/",
    }
    assert data["jobLocation"] == {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"},
    }
    assert "jobLocationType" not in data
    assert data["employmentType"] == "CONTRACTOR"
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 80000,
            "maxValue": 100000,
            "unitText": "YEAR",
        },
    }
    assert data["directApply"] is False
    assert data["url"] == f"http://jobs.test/jobs/{job.slug}"


def test_jsonld_of_a_remote_job_names_where_applicants_may_live(client, post):
    job = post(remote="remote", location="Remote, Canada", salary=None)
    data = jsonld_of(client.get(f"/jobs/{job.slug}").get_data(as_text=True))
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "Canada"}
    assert "jobLocation" not in data
    assert "baseSalary" not in data


@pytest.mark.parametrize("location", ["Remote", "Remote - Europe", "Worldwide", None])
def test_jsonld_of_a_remote_job_without_a_known_country_names_no_place(client, post, location):
    """Only a country is a place search engines know: "Remote" or "Europe" is none."""
    job = post(remote="remote", location=location)
    data = jsonld_of(client.get(f"/jobs/{job.slug}").get_data(as_text=True))
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert "applicantLocationRequirements" not in data
    assert "jobLocation" not in data


@pytest.mark.parametrize(
    ("location", "remote", "address"),
    [
        ("Hybrid - Amsterdam", "hybrid", {"addressLocality": "Amsterdam", "addressCountry": "NL"}),
        (
            "On-site - Berlin, Germany",
            "onsite",
            {"addressLocality": "Berlin", "addressCountry": "DE"},
        ),
        ("London (Hybrid)", "hybrid", {"addressLocality": "London", "addressCountry": "GB"}),
        ("Hybrid", "hybrid", None),
    ],
)
def test_jsonld_names_the_office_town_without_the_work_setup(
    client, post, location, remote, address
):
    """Search engines were told the town of "Hybrid - Amsterdam" is "Hybrid - Amsterdam"."""
    job = post(location=location, remote=remote)
    data = jsonld_of(client.get(f"/jobs/{job.slug}").get_data(as_text=True))
    if address is None:
        assert "addressLocality" not in data.get("jobLocation", {}).get("address", {})
    else:
        assert data["jobLocation"]["address"] == {"@type": "PostalAddress"} | address


def test_jsonld_valid_through_defaults_to_when_the_board_would_expire_the_job(client, post):
    job = post()
    data = jsonld_of(client.get(f"/jobs/{job.slug}").get_data(as_text=True))
    assert data["validThrough"] == (job.last_seen_at + timedelta(days=45)).isoformat()


def test_a_title_cannot_break_out_of_the_jsonld_block(client, post):
    job = post(title="Engineer </script><script>alert(1)</script> & <b>co</b>")
    page = client.get(f"/jobs/{job.slug}").get_data(as_text=True)
    assert "</script><script>alert(1)" not in page
    assert page.count("</script>") == 1  # the JSON-LD block itself
    assert jsonld_of(page)["title"] == job.title


@pytest.mark.parametrize("verb", [lifecycle.close, lifecycle.reject])
def test_jobs_seekers_may_not_see_are_404_and_closed_ones_410(client, session, post, verb):
    job = post()
    verb(job)
    session.commit()
    response = client.get(f"/jobs/{job.slug}")
    assert response.status_code == (410 if job.status == JobStatus.CLOSED else 404)


def test_pending_and_unknown_jobs_are_404(client, session, post):
    job = post()
    job.status = JobStatus.PENDING
    session.commit()
    assert client.get(f"/jobs/{job.slug}").status_code == 404
    assert client.get("/jobs/no-such-job").status_code == 404


def test_a_job_page_answers_at_its_own_address_only(client, post):
    """As /api/v1/jobs/<id>: another spelling of the address is a 404, not a second copy."""
    job = post()
    assert client.get(f"/jobs/{job.slug.upper()}").status_code == 404


def test_a_closed_job_answers_410_linking_similar_open_jobs(client, session, post):
    plain = {"description_html": "<p>Join us.</p>"}
    closed = post(title="Rust Engineer", tags=["rust"], **plain)
    similar = post(title="Rust Compiler Engineer", tags=["rust"], company="Other Co", **plain)
    unrelated = post(title="Designer", tags=["figma"], company="Third Co", **plain)
    lifecycle.close(closed)
    session.commit()
    response = client.get(f"/jobs/{closed.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This job is closed" in page
    assert f'href="/jobs/{similar.slug}"' in page
    assert f'href="/jobs/{unrelated.slug}"' not in page
    assert "application/ld+json" not in page


def test_similar_open_jobs_read_as_the_board_cards_do(client, session, post):
    plain = {"description_html": "<p>Join us.</p>", "tags": ["rust"]}
    closed = post(title="Rust Engineer", **plain)
    post(title="Rust Compiler Engineer", location="Remote - Europe", remote="remote", **plain)
    lifecycle.close(closed)
    session.commit()
    card = re.search(
        r'<p class="job-meta">(.*?)</p>', client.get("/").get_data(as_text=True), re.DOTALL
    )
    page = client.get(f"/jobs/{closed.slug}").get_data(as_text=True)
    assert "<span>Remote (Europe)</span>" in card[1]
    assert card[1] in page
    assert "Remote - Europe" not in page


def merged(session, job, into) -> None:
    """Close `job` as the ingest does when a crawl finds it is the opening `into` is."""
    lifecycle.close(job)
    job.merged_into_id = into.id
    session.commit()


def test_a_job_merged_into_another_redirects_to_it_for_good(client, session, post):
    kept, copy = post(title="Rust Engineer"), post(title="Rust Developer")
    merged(session, copy, into=kept)
    response = client.get(f"/jobs/{copy.slug}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/jobs/{kept.slug}")
    assert response.headers["Cache-Control"] == "max-age=86400"  # it may reopen as itself
    api = client.get(f"/api/v1/jobs/{copy.id}")
    assert api.status_code == 404
    assert f"its opening is listed as job {kept.id}" in api.get_json()["message"]


def test_a_gone_job_whose_opening_is_listed_anew_leads_to_the_new_listing(client, session, post):
    """A sponsor's posting ended while the company's own board still lists the opening, and
    a crawl listed it again: the newsletter's links to the ended job still reach it."""
    ended = post(title="Rust Engineer", external_id="sponsored")
    lifecycle.close(ended)
    session.commit()
    relisted = post(title="Rust Engineer", external_id="crawled")
    assert (relisted.id != ended.id, relisted.fingerprint) == (True, ended.fingerprint)
    page = client.get(f"/jobs/{ended.slug}")
    assert page.status_code == 301
    assert page.headers["Location"].endswith(f"/jobs/{relisted.slug}")
    apply = client.get(f"/j/{ended.code}?via=newsletter")
    assert (apply.status_code, apply.headers["Location"]) == (302, relisted.apply_url)
    api = client.get(f"/api/v1/jobs/{ended.id}")
    assert f"its opening is listed as job {relisted.id}" in api.get_json()["message"]


def test_a_gone_job_does_not_lead_to_an_untrusted_posters_copy_of_its_opening(
    client, session, post
):
    """An untrusted sponsor (a form poster is never trusted) may not take over an opening on
    the board, nor, by posting one gone from it, the links to it: a newsletter's apply link
    of a closed crawled job must not send seekers to the poster's address."""
    opening = {"title": "Research Engineer", "company": "Orbital Labs", "location": "Berlin"}
    crawled = post(**opening)
    lifecycle.close(crawled)
    poster, _ = sponsors.create(session, "Orbital Labs", "jobs@elsewhere.example")
    session.commit()
    fields = sponsor_fields(**opening, apply_url="https://elsewhere.example/apply")
    copy = sponsor_postings.publish(session, sponsor_postings.submit(session, poster, fields).job)
    session.commit()
    assert (copy.status, copy.fingerprint) == (JobStatus.PUBLISHED, crawled.fingerprint)
    assert client.get(f"/jobs/{crawled.slug}").status_code == 410
    assert client.get(f"/j/{crawled.code}?via=newsletter").status_code == 410
    assert "listed as job" not in client.get(f"/api/v1/jobs/{crawled.id}").get_json()["message"]


def test_a_job_merged_twice_redirects_to_the_open_one(client, session, post):
    kept, middle, first = post(title="Rust Engineer"), post(title="Rust Dev"), post(title="Rust")
    merged(session, first, into=middle)
    merged(session, middle, into=kept)
    assert client.get(f"/jobs/{first.slug}").headers["Location"].endswith(f"/jobs/{kept.slug}")


def test_a_job_merged_into_one_closed_since_answers_410(client, session, post):
    kept, copy = post(title="Rust Engineer"), post(title="Rust Developer")
    merged(session, copy, into=kept)
    lifecycle.close(kept)
    session.commit()
    assert client.get(f"/jobs/{copy.slug}").status_code == 410


def test_an_expired_job_answers_410(client, session, post):
    job = post(valid_through=(utcnow() - timedelta(days=1)).isoformat())
    lifecycle.expire_stale(session)
    session.commit()
    assert client.get(f"/jobs/{job.slug}").status_code == 410


def test_each_page_view_is_counted_for_the_sponsor_stats(client, sessions, post):
    job = post()
    client.get(f"/jobs/{job.slug}")
    client.get(f"/jobs/{job.slug}")
    client.head(f"/jobs/{job.slug}")
    with sessions() as session:
        assert clicks.totals_by_via(session, job.id) == {"view": 2}


def test_views_that_could_not_be_written_go_in_with_the_next_write(
    app, sessions, post, monkeypatch
):
    job = post()
    views = PageViews(app.extensions["jobboard.sessions"], flush_seconds=0)
    write = clicks.record_views

    def database_down(*_args) -> None:
        raise OperationalError("INSERT INTO clicks", {}, ConnectionError("server closed"))

    monkeypatch.setattr(clicks, "record_views", database_down)
    views.count(job.slug, date.today())
    monkeypatch.setattr(clicks, "record_views", write)
    views.count(job.slug, date.today())
    with sessions() as session:
        assert clicks.totals_by_via(session, job.id) == {"view": 2}


def test_a_view_with_none_after_it_is_written_once_its_delay_has_passed(app, sessions, post):
    job = post()
    views = PageViews(app.extensions["jobboard.sessions"], flush_seconds=0.3)
    views.count(job.slug, date.today())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with sessions() as session:
            if clicks.totals_by_via(session, job.id) == {"view": 1}:
                return
        time.sleep(0.1)
    raise AssertionError("the held view was never written")


@pytest.mark.parametrize(
    ("location", "remote", "card", "facts"),
    [
        ("Remote (UK time +/- 2 hours)", "Remote", ["Remote (UK time +/- 2 hours)"], None),
        ("Remote", "Remote", ["Remote"], None),
        ("Remote - Europe", "remote", ["Remote (Europe)"], None),
        (
            "Washington, DC or Remote (US)",
            "remote",
            ["Washington, DC or Remote (US)", "Remote"],
            "Washington, DC or Remote (US)",
        ),
        ("London, UK", "hybrid", ["London, UK", "Hybrid"], "London, UK"),
        # A location naming the policy beside the place says the place; the policy is beside it.
        ("Europe - Remote", "remote", ["Europe", "Remote"], "Europe"),
        ("London (Hybrid)", "hybrid", ["London", "Hybrid"], "London"),
        # Each of several places without the policy it names.
        ("Remote - US; Remote - Canada", "remote", ["US; Canada", "Remote"], "US; Canada"),
        (
            "Washington, DC or Remote",
            "remote",
            ["Washington, DC or Remote", "Remote"],
            "Washington, DC or Remote",
        ),
    ],
)
def test_the_place_is_said_once_on_the_board_and_the_job_page(
    client, post, location, remote, card, facts
):
    """A remote note read from the location is not repeated beside it, nor "Remote" twice."""
    job = post(location=location, remote=remote)
    board = client.get("/").get_data(as_text=True)
    meta = re.search(r'<p class="job-meta">(.*?)</p>', board, re.DOTALL)[1]
    assert re.findall(r"<span>([^<]*)</span>", meta)[: len(card)] == card
    page = client.get(f"/jobs/{job.slug}").get_data(as_text=True)
    shown = re.search(r"<dt>Location</dt><dd>(.*?)</dd>", page)
    if facts:
        assert shown[1].startswith(facts)
    else:
        assert shown is None or location not in shown[1]


def test_a_location_naming_the_policy_beside_its_own_note_says_remote_once(client, post):
    post(location="Remote - Europe", remote="remote", remote_note="CET +/- 3h")
    board = client.get("/").get_data(as_text=True)
    meta = re.search(r'<p class="job-meta">(.*?)</p>', board, re.DOTALL)[1]
    assert re.findall(r"<span>([^<]*)</span>", meta)[:2] == ["Europe", "Remote (CET +/- 3h)"]


@pytest.mark.parametrize("path", ["job", "/post", "/jobs/no-such-job"])
def test_pages_without_filters_load_no_script(client, post, path):
    """Every page loaded htmx (52 kB) that only the board's filters use: most readers of a job
    page come from the newsletter and never see the board."""
    page = client.get(f"/jobs/{post().slug}" if path == "job" else path).get_data(as_text=True)
    assert "<script src=" not in page


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("Berlin, Germany", "Berlin, Germany"),
        ("Berlin", "Berlin (Germany)"),
        ("New York, NY", "New York, NY (United States)"),
    ],
)
def test_the_country_is_added_to_a_place_only_when_it_does_not_name_it(
    client, post, location, shown
):
    """It read "Berlin, Germany (Germany)": the country twice."""
    job = post(location=location)
    page = client.get(f"/jobs/{job.slug}").get_data(as_text=True)
    assert re.search(r"<dt>Location</dt><dd>(.*?)</dd>", page)[1] == shown


def test_a_job_offered_in_several_places_shows_them_all_and_no_one_country_for_them(client, post):
    """The ATS's country is the primary place's: beside the whole list it read as the
    country of every place ("London, UK; New York, NY (United Kingdom)")."""
    job = post(location="London, UK; New York, NY", country="GB", remote="hybrid")
    page = client.get(f"/jobs/{job.slug}").get_data(as_text=True)
    assert "<dt>Location</dt><dd>London, UK; New York, NY</dd>" in page
    assert "United Kingdom" not in page


def test_jsonld_of_a_job_offered_in_several_places_names_each_place(client, post):
    job = post(location="London, UK; New York, NY; +12 more", country="GB", remote="onsite")
    data = jsonld_of(client.get(f"/jobs/{job.slug}").get_data(as_text=True))
    assert data["jobLocation"] == [
        {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": town, "addressCountry": code},
        }
        for town, code in [("London", "GB"), ("New York", "US")]
    ]
