"""Each spider against recorded-shape payloads, crawled for real in the child process.

Every test crawls one source through `scraper.runner.crawl` (Scrapy in a child
process, against the local fake ATS) and asserts what was STORED: the normalized
job fields, the kept raw payload, what was skipped.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from models.tables import Listing
from scraper.runner import crawl
from tests.scraper.conftest import FIXTURES, jobs_of


def crawl_one(db_url: str, source_id: int) -> dict:
    """Crawl one source; it must succeed. Returns its counts."""
    [summary] = crawl([source_id], database_url=db_url)
    assert summary.status == "succeeded", summary.errors
    return summary.counts


def asked(ats, parameter: str) -> list[str]:
    """The values of a query parameter in the requests the fake ATS got, in order."""
    queries = (parse_qs(urlsplit(path).query) for path, _ in ats.requests)
    return [query[parameter][0] for query in queries if parameter in query]


def salary(job) -> tuple:
    return (job.salary_min, job.salary_max, job.salary_currency, job.salary_period)


def test_greenhouse_content_is_unescaped_then_sanitized(add_source, db_url, session) -> None:
    source = add_source("greenhouse", "/greenhouse/v1/boards/acme/jobs?content=true", "Acme AI")
    assert crawl_one(db_url, source)["created"] == 3
    jobs = jobs_of(session, source)
    evals = jobs["4001001"]
    assert (
        "<p>Build <strong>LLM</strong> evaluation pipelines in PyTorch.</p>"
        in evals.description_html
    )
    assert "&amp; learn from researchers" in evals.description_html
    for trap in ("<script", "alert", "onerror", "&lt;"):
        assert trap not in evals.description_html
    assert "<script" not in evals.description_text and "LLM evaluation" in evals.description_text


def test_greenhouse_keeps_gh_jid_strips_tracking_and_reads_pay_in_cents(
    add_source, db_url, session
) -> None:
    source = add_source("greenhouse", "/greenhouse/v1/boards/acme/jobs?content=true", "Acme AI")
    crawl_one(db_url, source)
    jobs = jobs_of(session, source)
    evals = jobs["4001001"]
    assert evals.apply_url == "https://boards.greenhouse.io/acme/jobs/4001001?gh_jid=4001001"
    assert evals.company.name == "Acme AI"
    assert evals.posted_at == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    assert salary(evals) == (Decimal(180000), Decimal(240000), "USD", "year")
    assert salary(jobs["4001003"]) == (Decimal(45), Decimal(60), "USD", "hour")
    assert salary(jobs["4001002"]) == (None, None, None, None)
    assert (jobs["4001002"].remote, jobs["4001002"].remote_note) == (
        "remote",
        "UK time +/- 2 hours",
    )
    assert jobs["4001003"].employment_type == "contract"


@pytest.mark.parametrize(
    ("kind", "path", "company", "parameter"),
    [
        ("greenhouse", "/greenhouse/v1/boards/acme/jobs", "Acme AI", "content=true"),
        ("lever", "/lever/v0/postings/mistral", "Mistral AI", "mode=json"),
        ("ashby", "/ashby/posting-api/job-board/openai", "OpenAI", "includeCompensation=true"),
        ("workable", "/workable/api/v1/widget/accounts/huggingface", "HF", "details=true"),
    ],
)
def test_a_board_added_without_the_parameter_its_payload_needs_is_asked_with_it(
    add_source, db_url, ats, kind, path, company, parameter
) -> None:
    """Greenhouse sends no descriptions without content=true, Ashby no pay without
    includeCompensation=true...: a source added by the bare API URL must still get them."""
    source = add_source(kind, path, company)
    crawl_one(db_url, source)
    name, value = parameter.split("=")
    assert asked(ats, name) and set(asked(ats, name)) == {value}


def test_a_greenhouse_board_added_without_content_true_stores_its_descriptions(
    add_source, db_url, session, ats
) -> None:
    path = "/greenhouse/v1/boards/acme/jobs"
    board = json.loads((FIXTURES / "greenhouse/v1/boards/acme/jobs.json").read_text())
    ats.replace_json(path, {"jobs": [{**job, "content": None} for job in board["jobs"]]})
    ats.replace_json(f"{path}?content=true", board)
    source = add_source("greenhouse", path, "Acme AI")
    crawl_one(db_url, source)
    assert "<strong>LLM</strong>" in jobs_of(session, source)["4001001"].description_html


def test_a_board_that_sends_json_in_its_declared_latin_1_is_read_in_it(
    add_source, db_url, session, ats
) -> None:
    board = json.loads((FIXTURES / "greenhouse/v1/boards/acme/jobs.json").read_text())
    board["jobs"][0]["title"] = "Ingénieur ML"
    ats.replace(
        "/greenhouse/v1/boards/acme/jobs",
        json.dumps(board, ensure_ascii=False).encode("latin-1"),
        content_type="application/json; charset=iso-8859-1",
    )
    source = add_source("greenhouse", "/greenhouse/v1/boards/acme/jobs?content=true", "Acme AI")
    assert crawl_one(db_url, source)["created"] == 3
    assert "Ingénieur ML" in {job.title for job in jobs_of(session, source).values()}


def test_a_number_too_long_to_read_costs_only_its_field(add_source, db_url, session, ats) -> None:
    path = "/greenhouse/v1/boards/acme/jobs"
    board = (FIXTURES / "greenhouse/v1/boards/acme/jobs.json").read_text()
    ats.replace(
        path, board.replace('"internal_job_id": 3001001', '"internal_job_id": ' + "9" * 5000)
    )
    source = add_source("greenhouse", f"{path}?content=true", "Acme AI")
    assert crawl_one(db_url, source)["created"] == 3
    payload = session.scalar(sa.select(Listing.payload).where(Listing.external_id == "4001001"))
    assert payload["internal_job_id"] is None


def test_a_board_answering_the_wrong_kind_of_json_is_named_in_json_terms(
    add_source, db_url, ats
) -> None:
    path = "/greenhouse/v1/boards/acme/jobs"
    ats.replace(path, "null")
    source = add_source("greenhouse", f"{path}?content=true", "Acme AI")
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "failed"
    assert (
        summary.errors[0]
        == f"unexpected payload from {ats.url(path)}?content=true: null, not an object"
    )


def test_lever_pages_by_skip_and_limit_as_a_named_crawler(
    add_source, db_url, session, ats, monkeypatch
) -> None:
    monkeypatch.setenv("JOBBOARD_BASE_URL", "https://jobs.newsletter.example")
    source = add_source("lever", "/lever/v0/postings/mistral?mode=json&limit=2", "Mistral AI")
    assert crawl_one(db_url, source)["created"] == 3
    assert [path for path, _ in ats.requests] == [
        "/lever/v0/postings/mistral?mode=json&limit=2&skip=0",
        "/lever/v0/postings/mistral?mode=json&limit=2&skip=2",
    ]
    agents = {agent for _, agent in ats.requests}
    assert agents == {"jobboard/0.1 (job board crawler; +https://jobs.newsletter.example)"}


def test_lever_pages_on_from_what_a_page_held_when_the_api_caps_its_size(
    add_source, db_url, session, ats
) -> None:
    """Asked for 3 a page, the API gives 2: the next page starts after those 2, not at 3."""
    postings = json.loads((FIXTURES / "lever/v0/postings/mistral.json").read_text())
    more = [{**postings[2], "id": f"0b1c2d3e-0009-4a5b-8c9d-00000000000{n}"} for n in (4, 5)]
    ats.max_page_size = 2
    ats.replace_json("/lever/v0/postings/mistral", postings + more, paged=True)
    source = add_source("lever", "/lever/v0/postings/mistral?mode=json&limit=3", "Mistral AI")
    assert crawl_one(db_url, source)["created"] == 5
    assert asked(ats, "skip") == ["0", "2", "4"]


def test_lever_asks_past_a_short_first_page_until_an_empty_one(add_source, db_url, ats) -> None:
    """A first page short of `limit` may be all the API gives a page: only an empty one ends."""
    source = add_source("lever", "/lever/v0/postings/mistral?mode=json", "Mistral AI")
    assert crawl_one(db_url, source)["created"] == 3
    assert asked(ats, "skip") == ["0", "3"]


def test_lever_maps_workplace_salary_and_keeps_the_raw_item(add_source, db_url, session) -> None:
    source = add_source("lever", "/lever/v0/postings/mistral?mode=json", "Mistral AI")
    crawl_one(db_url, source)
    jobs = jobs_of(session, source)
    paris = jobs["0b1c2d3e-0001-4a5b-8c9d-000000000001"]
    assert (paris.remote, paris.country, paris.employment_type) == ("onsite", "FR", "full_time")
    assert salary(paris) == (Decimal(90000), Decimal(130000), "EUR", "year")
    assert paris.posted_at == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert paris.apply_url == (
        "https://jobs.lever.co/mistral/0b1c2d3e-0001-4a5b-8c9d-000000000001/apply"
    )
    assert "<h3>What you will do &lt;now&gt;</h3>" in paris.description_html
    assert "<li>Write CUDA kernels</li>" in paris.description_html
    london = jobs["0b1c2d3e-0002-4a5b-8c9d-000000000002"]
    assert (london.remote, london.employment_type) == ("hybrid", "contract")
    assert salary(london) == (Decimal(600), Decimal(750), "GBP", "day")
    europe = jobs["0b1c2d3e-0003-4a5b-8c9d-000000000003"]
    assert (europe.remote, europe.remote_note) == ("remote", "Europe")
    raw = session.scalar(
        sa.select(Listing.payload).where(
            Listing.source_id == source,
            Listing.external_id == "0b1c2d3e-0002-4a5b-8c9d-000000000002",
        )
    )
    assert raw["salaryRange"] == {
        "currency": "GBP",
        "interval": "per-day-wage",
        "min": 600,
        "max": 750,
    }
    assert raw["workplaceType"] == "hybrid"


def test_ashby_skips_unlisted_postings_and_reads_compensation(add_source, db_url, session) -> None:
    source = add_source(
        "ashby", "/ashby/posting-api/job-board/openai?includeCompensation=true", "OpenAI"
    )
    assert crawl_one(db_url, source)["scraped"] == 2
    jobs = jobs_of(session, source)
    assert "7d3f2a10-aaaa-4bbb-8ccc-000000000003" not in jobs  # isListed: false
    safety = jobs["7d3f2a10-aaaa-4bbb-8ccc-000000000001"]
    assert salary(safety) == (Decimal(95000), Decimal(125000), "GBP", "year")
    assert (safety.remote, safety.country, safety.employment_type) == ("hybrid", "GB", "full_time")
    assert safety.apply_url.endswith("-000000000001/application")
    solutions = jobs["7d3f2a10-aaaa-4bbb-8ccc-000000000002"]
    assert (solutions.remote, solutions.remote_note, solutions.country) == ("remote", "US", "US")
    assert salary(solutions) == (None, None, None, None)


def test_ashby_reads_yes_no_fields_sent_as_text(add_source, db_url, session, ats) -> None:
    path = "/ashby/posting-api/job-board/openai"
    board = json.loads((FIXTURES / "ashby/posting-api/job-board/openai.json").read_text())
    london, unlisted, *rest = board["jobs"]
    london |= {"isRemote": "False", "workplaceType": None}
    unlisted["isListed"] = "false"
    ats.replace_json(path, {**board, "jobs": [london, unlisted, *rest]})
    source = add_source("ashby", path, "OpenAI")
    crawl_one(db_url, source)
    jobs = jobs_of(session, source)
    assert unlisted["id"] not in jobs
    assert jobs[london["id"]].remote is None


def test_workable_maps_locations_and_telecommuting(add_source, db_url, session) -> None:
    source = add_source(
        "workable", "/workable/api/v1/widget/accounts/huggingface?details=true", "Hugging Face"
    )
    crawl_one(db_url, source)
    jobs = jobs_of(session, source)
    engineer = jobs["A1B2C3D4E5"]
    assert engineer.country == "FR"
    assert (engineer.remote, engineer.employment_type) == ("remote", "full_time")
    assert engineer.apply_url == "https://apply.workable.com/j/A1B2C3D4E5/apply"
    assert "<ul><li>Python</li></ul>" in engineer.description_html
    advocate = jobs["F6G7H8I9J0"]
    assert (advocate.remote, advocate.employment_type, advocate.seniority) == (
        None,
        "part_time",
        "junior",
    )


def test_smartrecruiters_pages_by_offset_and_reads_each_posting(
    add_source, db_url, session, ats
) -> None:
    source = add_source(
        "smartrecruiters", "/smartrecruiters/v1/companies/Synthesia/postings?limit=2", "Synthesia"
    )
    assert crawl_one(db_url, source)["created"] == 3
    listing_pages = [p for p, _ in ats.requests if p.startswith("/smartrecruiters/") and "?" in p]
    assert listing_pages == [
        "/smartrecruiters/v1/companies/Synthesia/postings?limit=2&offset=0",
        "/smartrecruiters/v1/companies/Synthesia/postings?limit=2&offset=2",
    ]
    jobs = jobs_of(session, source)
    researcher = jobs["744000050000001"]
    assert (researcher.country, researcher.seniority, researcher.employment_type) == (
        "GB",
        "senior",
        "full_time",
    )
    assert "<h3>Qualifications &lt;&amp; more&gt;</h3><ul><li>PhD</li></ul>" in (
        researcher.description_html
    )
    assert researcher.apply_url.endswith("-senior-video-generation-researcher?oga=true&trid=abc")
    assert (jobs["744000050000002"].employment_type, jobs["744000050000002"].seniority) == (
        "internship",
        "intern",
    )
    assert jobs["744000050000003"].remote == "remote"


def test_smartrecruiters_pages_on_from_what_a_page_held_when_the_api_caps_its_size(
    add_source, db_url, session, ats
) -> None:
    """Asked for 3 a page, the API gives 2: the next offset follows those 2, not 3."""
    path = "/smartrecruiters/v1/companies/Synthesia/postings"
    listing = json.loads((FIXTURES / path.lstrip("/") / "index.json").read_text())
    detail = json.loads((FIXTURES / path.lstrip("/") / "744000050000003.json").read_text())
    for posting_id in ("744000050000004", "744000050000005"):
        listing["content"].append({**listing["content"][2], "id": posting_id})
        ats.replace_json(f"{path}/{posting_id}", {**detail, "id": posting_id})
    ats.max_page_size = 2
    ats.replace_json(path, {**listing, "totalFound": 5}, paged=True)
    source = add_source("smartrecruiters", f"{path}?limit=3", "Synthesia")
    assert crawl_one(db_url, source)["created"] == 5
    assert asked(ats, "offset") == ["0", "2", "4"]


def test_smartrecruiters_without_a_total_pages_until_an_empty_page(
    add_source, db_url, session, ats
) -> None:
    path = "/smartrecruiters/v1/companies/Synthesia/postings"
    listing = json.loads((FIXTURES / path.lstrip("/") / "index.json").read_text())
    del listing["totalFound"]
    ats.replace_json(path, listing, paged=True)
    source = add_source("smartrecruiters", f"{path}?limit=2", "Synthesia")
    assert crawl_one(db_url, source)["created"] == 3
    assert asked(ats, "offset") == ["0", "2", "3"]


def test_recruitee_reads_its_dates_and_monthly_pay(add_source, db_url, session) -> None:
    source = add_source("recruitee", "/recruitee/api/offers/", "DeepL")
    crawl_one(db_url, source)
    jobs = jobs_of(session, source)
    scientist = jobs["1450001"]
    assert salary(scientist) == (Decimal(9000), Decimal(11500), "CHF", "month")
    assert scientist.salary_annual_max == 172500  # CHF 138,000 a year, at 0.8 francs a dollar
    assert scientist.posted_at == datetime(2026, 11, 8, 9, 12, 44, tzinfo=UTC)
    assert (scientist.remote, scientist.country, scientist.seniority) == ("hybrid", "CH", "mid")
    assert scientist.apply_url == "https://deepl.recruitee.com/o/applied-research-scientist/c/new"
    student = jobs["1450002"]
    assert (student.remote, student.employment_type) == ("onsite", "part_time")
    assert salary(student) == (None, None, None, None)


def test_jsonld_follows_the_item_list_and_skips_expired_postings(
    add_source, db_url, session, ats
) -> None:
    source = add_source("jsonld", "/jsonld/careers/", "Kite Labs")
    counts = crawl_one(db_url, source)
    assert counts["created"] == 2
    jobs = jobs_of(session, source)
    assert set(jobs) == {"KL-17", "KL-21"}  # KL-3's validThrough is in 2020
    prompt = jobs["KL-17"]
    assert salary(prompt) == (Decimal(4000), Decimal(6000), "JPY", "hour")
    assert (prompt.country, prompt.employment_type) == ("JP", "contract")
    assert prompt.apply_url == "https://kitelabs.example/careers/prompt-engineer"
    assert prompt.company.website == "https://kitelabs.example/"
    platform = jobs["KL-21"]
    assert (platform.remote, platform.remote_note) == ("remote", "Canada")
    assert salary(platform) == (Decimal(150000), Decimal(185000), "CAD", "year")
    assert platform.description_html == "<p>Run our <b>Kubernetes</b> GPU fleet.</p>"
    assert "/robots.txt" in [path for path, _ in ats.requests]


def test_jsonld_obeys_robots_txt(add_source, db_url, session, ats) -> None:
    ats.replace(
        "/robots.txt", "User-agent: *\nDisallow: /jsonld/blocked/\n", content_type="text/plain"
    )
    source = add_source("jsonld", "/jsonld/blocked/", "Kite Labs")
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "failed"
    assert "robots.txt" in summary.errors[0]
    assert jobs_of(session, source) == {}
    assert "/jsonld/blocked/" not in [path for path, _ in ats.requests]


def test_jsonld_postings_without_an_id_or_url_on_one_page_are_each_kept(
    add_source, db_url, session, ats
) -> None:
    postings = [
        {
            "@type": "JobPosting",
            "title": title,
            "description": f"<p>{title} at Kite Labs.</p>",
            "datePosted": "2026-11-20",
            "hiringOrganization": {"@type": "Organization", "name": "Kite Labs"},
            "jobLocation": {"@type": "Place", "address": {"addressLocality": "Osaka"}},
        }
        for title in ("Research Scientist", "ML Engineer", "Data Engineer")
    ]
    page = (
        '<html><head><script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@graph": postings})
        + "</script></head><body>Jobs</body></html>"
    )
    ats.replace("/jsonld/no-ids/", page, content_type="text/html")
    source = add_source("jsonld", "/jsonld/no-ids/", "Kite Labs")
    assert crawl_one(db_url, source)["created"] == 3
    titles = {job.title for job in jobs_of(session, source).values()}
    assert titles == {"Research Scientist", "ML Engineer", "Data Engineer"}
    assert crawl_one(db_url, source)["unchanged"] == 3


def kite_posting(number: int, title: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": "Kite Labs", "value": f"KL-{number}"},
        "title": title,
        "description": f"<p>{title} at Kite Labs.</p>",
        "datePosted": "2026-11-20",
        "hiringOrganization": {"@type": "Organization", "name": "Kite Labs"},
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Osaka"}},
    }


def jsonld_page(*scripts: str) -> str:
    blocks = "".join(f'<script type="application/ld+json">{script}</script>' for script in scripts)
    return f"<html><head>{blocks}</head><body>Jobs</body></html>"


def item_list_page(*entries: dict) -> str:
    """A careers page whose one JSON-LD block is an ItemList of these entries, in order."""
    items = [
        {"@type": "ListItem", "position": n, **entry} for n, entry in enumerate(entries, start=1)
    ]
    item_list = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": items}
    return jsonld_page(json.dumps(item_list))


def serve_two_posting_pages(ats, folder: str) -> None:
    """prompt-engineer.html (KL-17) and ml-engineer.html (KL-21) in the folder, for ItemLists."""
    for name, posting in [
        ("prompt-engineer.html", kite_posting(17, "Prompt Engineer")),
        ("ml-engineer.html", kite_posting(21, "ML Engineer")),
    ]:
        ats.replace(folder + name, jsonld_page(json.dumps(posting)), content_type="text/html")


def test_jsonld_a_malformed_script_costs_only_itself(add_source, db_url, session, ats) -> None:
    """A site's broken breadcrumbs block must not hide the postings in the page's other blocks."""
    breadcrumbs = '{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemList'
    page = jsonld_page(
        breadcrumbs,
        json.dumps(kite_posting(17, "Prompt Engineer")),
        json.dumps(kite_posting(21, "ML Engineer")),
    )
    ats.replace("/jsonld/broken-block/", page, content_type="text/html")
    source = add_source("jsonld", "/jsonld/broken-block/", "Kite Labs")
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "partial"
    assert summary.errors[0].startswith(f"malformed JSON-LD on {ats.url('/jsonld/broken-block/')}")
    assert set(jobs_of(session, source)) == {"KL-17", "KL-21"}


def test_jsonld_a_block_wrapped_as_old_pages_do_is_read(add_source, db_url, session, ats) -> None:
    """A byte order mark from a template file, an HTML comment or a CDATA section around the
    JSON: browsers and search engines read these blocks, so the crawl must not lose them."""
    page = jsonld_page(
        "\ufeff" + json.dumps(kite_posting(1, "Prompt Engineer")),
        "<!--\n" + json.dumps(kite_posting(2, "ML Engineer")) + "\n-->",
        "//<![CDATA[\n" + json.dumps(kite_posting(3, "Data Engineer")) + ";\n//]]>",
        "<![CDATA[" + json.dumps(kite_posting(4, "Research Engineer")) + "]]>",
    )
    ats.replace("/jsonld/wrapped/", page, content_type="text/html")
    source = add_source("jsonld", "/jsonld/wrapped/", "Kite Labs")
    assert crawl_one(db_url, source)["created"] == 4
    assert set(jobs_of(session, source)) == {"KL-1", "KL-2", "KL-3", "KL-4"}


def test_jsonld_a_page_whose_only_script_is_malformed_is_one_error(
    add_source, db_url, session, ats
) -> None:
    page = jsonld_page('{"@context": "https://schema.org", "@type": "JobPosting", "title": ')
    ats.replace("/jsonld/only-broken/", page, content_type="text/html")
    source = add_source("jsonld", "/jsonld/only-broken/", "Kite Labs")
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "failed"
    assert len(summary.errors) == 1 and summary.errors[0].startswith("malformed JSON-LD on ")


def test_jsonld_an_empty_script_holds_nothing(add_source, db_url, session, ats) -> None:
    page = jsonld_page("", json.dumps(kite_posting(17, "Prompt Engineer")), "\n  ")
    ats.replace("/jsonld/empty-block/", page, content_type="text/html")
    source = add_source("jsonld", "/jsonld/empty-block/", "Kite Labs")
    assert crawl_one(db_url, source)["created"] == 1
    assert set(jobs_of(session, source)) == {"KL-17"}


def test_jsonld_an_item_list_naming_its_own_page_or_a_page_twice_fetches_each_once(
    add_source, db_url, session, ats
) -> None:
    """A careers page whose ItemList starts with the page itself ("All openings")."""
    page = item_list_page(
        {"url": ats.url("/jsonld/careers/openings.html")},
        {"url": "ml-platform.html"},
        {"url": "ml-platform.html#apply"},
    )
    ats.replace("/jsonld/careers/openings.html", page, content_type="text/html")
    source = add_source("jsonld", "/jsonld/careers/openings.html", "Kite Labs")
    assert crawl_one(db_url, source)["created"] == 1
    assert set(jobs_of(session, source)) == {"KL-21"}
    paths = [path for path, _ in ats.requests]
    assert paths.count("/jsonld/careers/openings.html") == 1
    assert paths.count("/jsonld/careers/ml-platform.html") == 1


def test_jsonld_a_careers_page_listing_no_openings_is_an_empty_board(
    add_source, db_url, session, ats
) -> None:
    """An ItemList with no entries is a board with no openings, judged as an API's empty board
    is (not a page without JSON-LD): clean while the source holds nothing, else partial."""
    ats.replace("/jsonld/none/", item_list_page(), content_type="text/html")
    source = add_source("jsonld", "/jsonld/none/", "Kite Labs")
    assert crawl_one(db_url, source)["scraped"] == 0
    serve_two_posting_pages(ats, "/jsonld/none/")
    ats.replace(
        "/jsonld/none/", item_list_page({"url": "ml-engineer.html"}), content_type="text/html"
    )
    assert crawl_one(db_url, source)["created"] == 1
    ats.replace("/jsonld/none/", item_list_page(), content_type="text/html")
    [summary] = crawl([source], database_url=db_url)
    assert (summary.status, summary.errors) == (
        "partial",
        ["the board listed no postings while 1 listings are open; closing nothing"],
    )


def test_jsonld_an_item_list_past_the_page_cap_is_read_in_part_and_closes_nothing(
    add_source, db_url, session, ats, crawl_settings
) -> None:
    crawl_settings(JOBBOARD_MAX_LINKED_PAGES=1)
    page = item_list_page({"url": "prompt-engineer.html"}, {"url": "ml-engineer.html"})
    ats.replace("/jsonld/capped/", page, content_type="text/html")
    serve_two_posting_pages(ats, "/jsonld/capped/")
    source = add_source("jsonld", "/jsonld/capped/", "Kite Labs")
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "partial"
    listing = ats.url("/jsonld/capped/")
    assert summary.errors == [f"{listing} links 2 posting pages: read the first 1"]
    assert set(jobs_of(session, source)) == {"KL-17"}
    assert "/jsonld/capped/ml-engineer.html" not in [path for path, _ in ats.requests]


def test_jsonld_an_item_list_may_link_by_item_url_or_id_and_skips_mail_links(
    add_source, db_url, session, ats
) -> None:
    page = item_list_page(
        {"url": "mailto:jobs@kitelabs.example"},
        {"item": "prompt-engineer.html"},
        {"item": {"@id": "ml-engineer.html"}},
    )
    ats.replace("/jsonld/refs/", page, content_type="text/html")
    serve_two_posting_pages(ats, "/jsonld/refs/")
    source = add_source("jsonld", "/jsonld/refs/", "Kite Labs")
    assert crawl_one(db_url, source)["created"] == 2
    assert set(jobs_of(session, source)) == {"KL-17", "KL-21"}


def serve_posting_pages(ats, folder: str, postings: dict[str, dict]) -> str:
    """A careers page at `folder` whose ItemList links each named page holding its posting."""
    for name, posting in postings.items():
        ats.replace(folder + name, jsonld_page(json.dumps(posting)), content_type="text/html")
    page = item_list_page(*({"url": name} for name in postings))
    ats.replace(folder, page, content_type="text/html")
    return folder


def test_jsonld_posting_pages_whose_url_names_the_careers_page_are_each_kept(
    add_source, db_url, session, ats
) -> None:
    """A site template that gives every posting the careers page as its url: each posting
    is keyed by its own page, instead of all sharing one key and one job."""
    postings = {}
    for name, title in [("ml.html", "ML Engineer"), ("data.html", "Data Engineer")]:
        posting = kite_posting(0, title) | {"url": ats.url("/jsonld/shared-url/")}
        del posting["identifier"]
        postings[name] = posting
    source = add_source("jsonld", serve_posting_pages(ats, "/jsonld/shared-url/", postings), "Kite")
    assert crawl_one(db_url, source)["created"] == 2
    jobs = jobs_of(session, source)
    assert {key: job.title for key, job in jobs.items()} == {
        ats.url("/jsonld/shared-url/ml.html"): "ML Engineer",
        ats.url("/jsonld/shared-url/data.html"): "Data Engineer",
    }
    assert crawl_one(db_url, source)["unchanged"] == 2


def test_jsonld_different_postings_sharing_one_identifier_are_noted_not_merged(
    add_source, db_url, session, ats
) -> None:
    """A template bug giving every posting page one identifier: the second posting under it
    is noted, so the run closes nothing, instead of silently replacing the first one."""
    postings = {"ml.html": kite_posting(1, "ML Engineer"), "data.html": kite_posting(1, "Data")}
    source = add_source("jsonld", serve_posting_pages(ats, "/jsonld/shared-id/", postings), "Kite")
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "partial"
    [error] = summary.errors
    assert "shares the key 'KL-1' with another posting, on " in error
    assert len(jobs_of(session, source)) == 1


def test_jsonld_one_posting_linked_twice_is_no_conflict(add_source, db_url, session, ats) -> None:
    posting = kite_posting(1, "ML Engineer")
    pages = {"ml.html": posting, "ml.html?lang=en": posting}
    source = add_source("jsonld", serve_posting_pages(ats, "/jsonld/twice/", pages), "Kite")
    assert crawl_one(db_url, source)["created"] == 1


def test_jsonld_a_salary_written_as_text_is_read_not_rejected(add_source, db_url, session, ats):
    posting = kite_posting(17, "Prompt Engineer")
    posting["baseSalary"] = {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": "100k",
            "maxValue": "$150,000",
            "unitText": "YEAR",
        },
    }
    ats.replace("/jsonld/pay/", jsonld_page(json.dumps(posting)), content_type="text/html")
    source = add_source("jsonld", "/jsonld/pay/", "Kite Labs")
    assert crawl_one(db_url, source)["created"] == 1
    assert salary(jobs_of(session, source)["KL-17"]) == (100_000, 150_000, "USD", "year")


def test_jsonld_pay_employer_and_address_given_as_arrays_are_read(add_source, db_url, session, ats):
    """JSON-LD lets any property repeat: `baseSalary: [MonetaryAmount]` is still the pay,
    `hiringOrganization: [Organization]` the employer and `address: [PostalAddress]` the place
    (the first of each, as for `jobLocation`)."""
    posting = kite_posting(17, "Prompt Engineer")
    pay = {"@type": "QuantitativeValue", "minValue": 4000, "maxValue": 6000, "unitText": "HOUR"}
    posting["baseSalary"] = [{"@type": "MonetaryAmount", "currency": "JPY", "value": pay}]
    posting["hiringOrganization"] = [posting["hiringOrganization"] | {"sameAs": "https://kite.ex/"}]
    posting["jobLocation"] = [{"@type": "Place", "address": [{"addressLocality": "Tokyo"}]}]
    ats.replace("/jsonld/repeated/", jsonld_page(json.dumps(posting)), content_type="text/html")
    source = add_source("jsonld", "/jsonld/repeated/", "Kite Labs")
    crawl_one(db_url, source)
    job = jobs_of(session, source)["KL-17"]
    assert salary(job) == (4000, 6000, "JPY", "hour")
    assert job.company.website == "https://kite.ex/"
    assert (job.location, job.country) == ("Tokyo", "JP")


def test_jsonld_a_region_named_as_its_city_is_said_once(add_source, db_url, session, ats):
    """Berlin, Hamburg and Vienna are their own regions: pages give "Berlin" twice."""
    posting = kite_posting(17, "Prompt Engineer")
    berlin = {"addressLocality": "Berlin", "addressRegion": "Berlin", "addressCountry": "DE"}
    posting["jobLocation"] = {"@type": "Place", "address": berlin}
    ats.replace("/jsonld/berlin/", jsonld_page(json.dumps(posting)), content_type="text/html")
    source = add_source("jsonld", "/jsonld/berlin/", "Kite Labs")
    crawl_one(db_url, source)
    job = jobs_of(session, source)["KL-17"]
    assert (job.location, job.country) == ("Berlin, DE", "DE")


def test_jsonld_an_identifier_given_as_an_array_keys_its_posting(
    add_source, db_url, session, ats
) -> None:
    """JSON-LD lets any property repeat: `identifier: [PropertyValue]` is still the posting's id."""
    posting = kite_posting(17, "Prompt Engineer")
    posting["identifier"] = [posting["identifier"]]
    posting["url"] = ["https://kitelabs.example/careers/prompt-engineer"]
    ats.replace("/jsonld/arrays/", jsonld_page(json.dumps(posting)), content_type="text/html")
    source = add_source("jsonld", "/jsonld/arrays/", "Kite Labs")
    crawl_one(db_url, source)
    jobs = jobs_of(session, source)
    assert set(jobs) == {"KL-17"}
    assert jobs["KL-17"].apply_url == "https://kitelabs.example/careers/prompt-engineer"


def test_jsonld_a_relative_posting_url_is_resolved_against_its_page(
    add_source, db_url, session, ats
) -> None:
    posting = kite_posting(17, "R&D Engineer")
    posting["url"] = "/careers/rd-1"
    posting["hiringOrganization"]["logo"] = "../img/logo.png"
    ats.replace("/jsonld/relative/", jsonld_page(json.dumps(posting)), content_type="text/html")
    source = add_source("jsonld", "/jsonld/relative/", "Kite Labs")
    assert crawl_one(db_url, source)["created"] == 1
    job = jobs_of(session, source)["KL-17"]
    assert job.apply_url == ats.url("/careers/rd-1")
    assert session.scalar(sa.select(Listing.url)) == ats.url("/careers/rd-1")
    assert job.company.logo_url == ats.url("/jsonld/img/logo.png")


def test_jsonld_a_relative_posting_url_follows_the_pages_base_href(
    add_source, db_url, session, ats
) -> None:
    posting = kite_posting(17, "R&D Engineer") | {"url": "rd-1"}
    page = jsonld_page(json.dumps(posting)).replace(
        "<head>", '<head><base href="https://kitelabs.example/careers/">'
    )
    ats.replace("/jsonld/based/", page, content_type="text/html")
    source = add_source("jsonld", "/jsonld/based/", "Kite Labs")
    crawl_one(db_url, source)
    assert jobs_of(session, source)["KL-17"].apply_url == "https://kitelabs.example/careers/rd-1"


def titles_found(client, **query: str) -> set[str]:
    """The titles of the jobs the API lists for this query, as a seeker filters."""
    items = client.get("/api/v1/jobs", query_string=query).get_json()["items"]
    return {item["title"] for item in items}


def test_lever_stores_every_place_a_posting_is_offered_in(
    add_source, db_url, session, client
) -> None:
    """`categories.allLocations` after the primary place: a seeker filtering for the second
    town found no job, as only the first was kept. The country stays the ATS's own."""
    source = add_source("lever", "/lever/v0/postings/mistral?mode=json", "Mistral AI")
    crawl_one(db_url, source)
    inference = jobs_of(session, source)["0b1c2d3e-0002-4a5b-8c9d-000000000002"]
    assert (inference.location, inference.country) == ("London; New York, NY", "GB")
    assert titles_found(client, location="new york") == {"Inference Engineer"}
    assert titles_found(client, location="london") == {"Inference Engineer"}
    assert "Inference Engineer" in titles_found(client, country="GB")


def test_ashby_stores_the_secondary_locations_after_the_primary_one(
    add_source, db_url, session, client
) -> None:
    source = add_source("ashby", "/ashby/posting-api/job-board/openai", "OpenAI")
    crawl_one(db_url, source)
    safety = jobs_of(session, source)["7d3f2a10-aaaa-4bbb-8ccc-000000000001"]
    assert safety.location == "London, UK; New York, NY; San Francisco"
    assert safety.country == "GB"  # the primary place's address, as the ATS gives it
    title = "Member of Technical Staff, Safety Systems"
    for town in ("london", "new york", "san francisco"):
        assert titles_found(client, location=town) == {title}
    assert titles_found(client, country="GB") == {title}


def test_jsonld_stores_each_place_of_a_job_location_list(
    add_source, db_url, session, client
) -> None:
    source = add_source("jsonld", "/jsonld/careers/", "Kite Labs")
    crawl_one(db_url, source)
    prompt = jobs_of(session, source)["KL-17"]
    assert (prompt.location, prompt.country) == ("Tokyo, JP; Singapore, SG", "JP")
    for town in ("tokyo", "singapore"):
        assert titles_found(client, location=town) == {"Prompt Engineer"}
    assert titles_found(client, country="JP") == {"Prompt Engineer"}


def test_workable_stores_every_shown_location_of_a_job(add_source, db_url, session) -> None:
    """A location the company marks hidden stays off the job, as off its own page."""
    source = add_source("workable", "/workable/api/v1/widget/accounts/huggingface", "HF")
    crawl_one(db_url, source)
    engineer = jobs_of(session, source)["A1B2C3D4E5"]
    assert engineer.location == "Paris, Île-de-France, France; London, England, United Kingdom"
    assert engineer.country == "FR"


def test_recruitee_stores_every_location_of_an_offer_once(add_source, db_url, session) -> None:
    source = add_source("recruitee", "/recruitee/api/offers/", "DeepL")
    crawl_one(db_url, source)
    jobs = jobs_of(session, source)
    scientist, student = jobs["1450001"], jobs["1450002"]
    assert (scientist.location, scientist.country) == ("Zürich, Switzerland; Berlin, Germany", "CH")
    assert (student.location, student.country) == ("Cologne, Germany", "DE")


def test_a_posting_offered_in_thirty_places_shows_the_first_whole_and_counts_the_rest(
    add_source, db_url, session, ats
) -> None:
    """Thirty places joined are longer than a location may be: the posting is still stored,
    its location ending in whole places and "+N more", never half a town's name."""
    postings = json.loads((FIXTURES / "lever/v0/postings/mistral.json").read_text())
    towns = [f"Springfield {n}, United States" for n in range(30)]
    postings[1]["categories"] |= {"location": towns[0], "allLocations": towns}
    ats.replace_json("/lever/v0/postings/mistral", postings, paged=True)
    source = add_source("lever", "/lever/v0/postings/mistral?mode=json", "Mistral AI")
    assert crawl_one(db_url, source)["created"] == 3
    location = jobs_of(session, source)["0b1c2d3e-0002-4a5b-8c9d-000000000002"].location
    shown = location.split("; ")
    assert shown[:-1] == towns[: len(shown) - 1]
    assert shown[-1] == f"+{30 - len(shown) + 1} more"
