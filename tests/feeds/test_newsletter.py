"""GET /newsletter/jobs.md|html and `jobboard newsletter`: selection, order, format, CLI."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from models import lifecycle, newsletter
from models.ingest import upsert_postings
from models.tables import Job, Source
from models.types import utcnow
from tests.factories import raw_posting

LINE = re.compile(
    r"^\[\*\*(?P<title>.+) @ (?P<company>.+)\*\*(?: \((?P<details>[^()]+)\))?\]"
    r"\((?P<link>(?P<base>https?://[^/]+)/j/(?P<code>[\w-]+)\?via=newsletter)\)$"
)


def lines(text: str) -> list[re.Match]:
    """Each non-blank line of the section, matched against the format (None if it does not)."""
    return [LINE.match(line) for line in text.splitlines() if line.strip()]


def test_section_is_featured_first_then_newest_one_line_a_job(client, session, add_jobs, feature):
    older = add_jobs(1, title="Applied Scientist", posted_at="2026-11-01T09:00:00Z")
    newer = add_jobs(
        1,
        title="Senior Software Engineer",
        company="Captur",
        location=None,
        remote="remote",
        remote_note="UK time +/- 2 hours",
    )
    oldest = add_jobs(1, title="Data Engineer", posted_at="2026-10-01T09:00:00Z")
    feature(oldest[0])
    response = client.get("/newsletter/jobs.md")
    assert response.mimetype == "text/markdown"
    matches = lines(response.get_data(as_text=True))
    assert all(matches)
    assert [m["title"] for m in matches] == [
        "Data Engineer",
        "Senior Software Engineer",
        "Applied Scientist",
    ]
    assert matches[1]["details"] == "Remote, UK time +/- 2 hours"
    codes = {job_id: session.get(Job, job_id).code for job_id in oldest + newer + older}
    assert [m["code"] for m in matches] == [codes[i] for i in oldest + newer + older]
    assert {m["base"] for m in matches} == {"http://jobs.test"}


def test_since_span_keeps_only_recent_jobs(client, add_jobs):
    add_jobs(2, now=utcnow() - timedelta(days=10))
    add_jobs(1, title="Fresh Role")
    matches = lines(client.get("/newsletter/jobs.md?since=7d").get_data(as_text=True))
    assert [m["title"] for m in matches] == ["Fresh Role"]


def test_a_job_featured_now_is_in_every_issue_while_its_placement_runs(client, session, add_jobs):
    """Its sponsor paid for the placement, not for the one issue after it was featured."""
    ten_days_ago = utcnow() - timedelta(days=10)
    [featured] = add_jobs(1, title="Featured Role", now=ten_days_ago)
    add_jobs(1, title="Old Role", now=ten_days_ago)
    job = session.get(Job, featured)
    lifecycle.feature_until(job, utcnow() + timedelta(days=20), now=ten_days_ago)
    session.commit()
    matches = lines(client.get("/newsletter/jobs.md?since=7d").get_data(as_text=True))
    assert [m["title"] for m in matches] == ["Featured Role"]
    api = client.get("/api/v1/jobs?since=" + (utcnow() - timedelta(days=7)).isoformat("T")[:19])
    assert api.get_json()["items"] == []  # the API's since still means changed since


def test_a_span_counts_back_from_each_request_not_from_the_first(
    app, client, add_jobs, monkeypatch
):
    app.config["ANSWER_REUSE_SECONDS"] = 0  # every request asks again, as past the reuse bound
    add_jobs(1, now=utcnow() - timedelta(hours=2))
    assert len(lines(client.get("/newsletter/jobs.md?since=3h").get_data(as_text=True))) == 1
    two_hours_on = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(newsletter, "utcnow", lambda: two_hours_on)
    assert lines(client.get("/newsletter/jobs.md?since=3h").get_data(as_text=True)) == []


def test_a_tag_spelled_as_ingest_knows_it_narrows_the_section_as_in_the_api(client, add_jobs):
    add_jobs(2, tags=["C++"])
    add_jobs(1, tags=["Robotics"])
    section = client.get("/newsletter/jobs.md?tag=C%2B%2B").get_data(as_text=True)
    api = client.get("/api/v1/jobs?tag=C%2B%2B").get_json()["items"]
    assert len(lines(section)) == len(api) == 2


def test_tag_and_limit_narrow_the_section(client, add_jobs):
    add_jobs(3, tags=["Computer Vision"])
    add_jobs(2, tags=["Robotics"])
    text = client.get("/newsletter/jobs.md?tag=computer-vision&limit=2").get_data(as_text=True)
    assert len(lines(text)) == 2


def test_the_boards_filters_narrow_the_section(client, add_jobs):
    """A section of remote jobs only: an editor's filter must not be ignored in silence."""
    add_jobs(1, title="Remote Role", remote="remote", location="Remote - Europe")
    add_jobs(1, title="Office Role", remote="onsite", location="Paris, France")
    section = client.get("/newsletter/jobs.md?remote=remote").get_data(as_text=True)
    assert [m["title"] for m in lines(section)] == ["Remote Role"]
    searched = client.get("/newsletter/jobs.md?q=office").get_data(as_text=True)
    assert [m["title"] for m in lines(searched)] == ["Office Role"]
    bad = client.get("/newsletter/jobs.md?remote=spaceship")
    assert bad.status_code == 422 and "remote" in bad.get_json()["errors"]["query"]


def test_an_opening_listed_by_two_sources_appears_once(client, session, source):
    other = Source(kind="lever", url="https://jobs.example.com/acme", company="Acme")
    session.add(other)
    session.commit()
    posting = raw_posting(title="Research Engineer")
    upsert_postings(session, [posting], source=source)
    upsert_postings(session, [posting | {"external_id": "lever-1"}], source=other)
    assert len(lines(client.get("/newsletter/jobs.md").get_data(as_text=True))) == 1


def test_html_section_is_a_list_of_the_same_tracked_links(client, add_jobs):
    add_jobs(2)
    md = client.get("/newsletter/jobs.md").get_data(as_text=True)
    response = client.get("/newsletter/jobs.html")
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert html.startswith("<ul>") and html.count("<li>") == 2
    assert re.findall(r'href="([^"]+)"', html) == [m["link"] for m in lines(md)]


def test_section_answers_304_until_a_job_changes(client, add_jobs, edit):
    ids = add_jobs(2)
    etag = client.get("/newsletter/jobs.md?since=7d").headers["ETag"]
    assert (
        client.get("/newsletter/jobs.md?since=7d", headers={"If-None-Match": etag}).status_code
        == 304
    )
    edit(ids[1])
    assert (
        client.get("/newsletter/jobs.md?since=7d", headers={"If-None-Match": etag}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=last+week", "since"),
        ("since=0001-01-01T00:00:00%2B01:00", "since"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(client, query, field):
    response = client.get(f"/newsletter/jobs.md?{query}")
    assert response.status_code == 422
    assert field in response.json["errors"]["query"]


@pytest.mark.parametrize("path", ["/newsletter/jobs.md", "/newsletter/jobs.html"])
@pytest.mark.parametrize(
    "query", ["limit=", "tag=", "since=", "tag=llm&tag=", "limit=+&since=&tag="]
)
def test_empty_parameters_mean_any_as_in_the_api_and_feeds(client, add_jobs, path, query):
    add_jobs(2, tags=["LLM"])
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == client.get(path).get_data(as_text=True)


def test_cli_prints_the_section_with_the_configured_base_url(cli, add_jobs, monkeypatch):
    monkeypatch.setenv("JOBBOARD_BASE_URL", "https://ai-jobs.example/")
    add_jobs(1, title="Old Role", now=utcnow() - timedelta(days=30))
    add_jobs(2, tags=["Robotics"])
    add_jobs(1, title="Vision Role", tags=["Computer Vision"])
    result = cli("newsletter", "--since", "7d", "--limit", "5", "--tag", "robotics")
    matches = lines(result.output)
    assert result.exit_code == 0 and len(matches) == 2 and all(matches)
    assert {m["base"] for m in matches} == {"https://ai-jobs.example"}


def test_cli_html_format(cli, add_jobs):
    add_jobs(1, title="Robotics <Engineer>")
    result = cli("newsletter", "--format", "html")
    assert "<strong>Robotics &lt;Engineer&gt; @ Acme AI</strong>" in result.output


def test_cli_refuses_a_bad_since(cli):
    result = cli("newsletter", "--since", "a while")
    assert result.exit_code == 2 and "--since" in result.output


def test_cli_says_a_well_written_time_out_of_range_is_out_of_range(cli):
    result = cli("newsletter", "--since", "0001-01-01T00:00:00+01:00")
    assert result.exit_code == 2
    assert "--since: Use a time between the years 1 and 9999" in result.output


def test_cli_takes_the_boards_filters_as_the_endpoint_does(cli, client, add_jobs, monkeypatch):
    monkeypatch.setenv("JOBBOARD_BASE_URL", "http://jobs.test")
    add_jobs(1, title="Remote Role", remote="remote", location="Remote - Europe")
    add_jobs(1, title="Office Role", remote="onsite", location="Paris, France")
    result = cli("newsletter", "--remote", "remote", "--since", "7d")
    assert [m["title"] for m in lines(result.stdout)] == ["Remote Role"]
    web = client.get("/newsletter/jobs.md?remote=remote&since=7d").get_data(as_text=True)
    assert result.stdout == web
    searched = cli("newsletter", "--q", "office", "--country", "fr")
    assert [m["title"] for m in lines(searched.stdout)] == ["Office Role"]


def test_cli_compares_a_salary_floor_in_the_currency_it_names(cli, add_jobs):
    add_jobs(1, title="London Role", salary="£95,000 a year")
    add_jobs(1, title="Boston Role", salary="$110,000 a year")  # about £82,500
    result = cli("newsletter", "--salary-min", "90000", "--salary-currency", "gbp")
    assert [m["title"] for m in lines(result.stdout)] == ["London Role"]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--remote", "spaceship"),
        ("--type", "gig"),
        ("--salary-min", "lots"),
        ("--salary-currency", "XYZ"),
        ("--posted-within", "0"),
        ("--country", "Narnia"),
        ("--limit", "101"),
    ],
)
def test_cli_refuses_a_bad_filter_naming_its_option(cli, option, value):
    result = cli("newsletter", option, value)
    assert result.exit_code == 2 and f"{option}: " in result.output


@pytest.mark.parametrize("option", ["--location", "--q", "--company", "--tag"])
def test_cli_refuses_a_value_that_is_not_utf8_naming_its_option(cli, add_jobs, option):
    """Bytes that are no UTF-8 (a Latin-1 terminal's "M\\xfcnchen") reach Python as lone
    surrogates, which no database can take and no search can read."""
    add_jobs(1)
    result = cli("newsletter", option, "M\udcfcnchen")
    assert result.exit_code == 2
    assert f"{option}: Not valid UTF-8 text." in result.stderr


def test_cli_says_on_stderr_when_no_job_matches(cli, add_jobs):
    add_jobs(1, tags=["Robotics"])
    result = cli("newsletter", "--tag", "quantum")
    assert result.exit_code == 0 and lines(result.stdout) == []
    assert "no published job matches" in result.stderr
