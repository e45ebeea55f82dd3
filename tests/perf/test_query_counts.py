"""Every page costs a fixed number of queries, whatever its size: no N+1 anywhere."""

from __future__ import annotations

import pytest

from models.tables import Job

BOARD_VIEWS = [
    {},
    {"q": "engineer"},
    {"q": "engineer", "sort": "relevance"},
    {"sort": "salary"},
    {"remote": "remote", "tag": ["python", "llm"]},
]


@pytest.mark.parametrize("query", BOARD_VIEWS)
def test_a_board_page_counting_in_sql_costs_five_queries_whatever_it_shows(
    app, client, add_jobs, count_queries, query
):
    app.config["FACET_INDEX"] = "off"  # with a current facet index: two (test_facet_index)
    add_jobs(1, description_html="<p>Python LLM engineer</p>", remote="remote")
    with count_queries() as few:
        assert client.get("/", query_string=query).status_code == 200
    add_jobs(40, description_html="<p>Python LLM engineer</p>", remote="remote")
    with count_queries() as many:
        assert client.get("/", query_string=query).status_code == 200
    assert len(few) == len(many) == 5  # catalog version, page, total, column facets, tag facet


def test_the_second_board_page_costs_the_same_as_the_first(app, client, add_jobs, count_queries):
    app.config["FACET_INDEX"] = "off"
    add_jobs(60)
    first = client.get("/")
    cursor = first.get_data(as_text=True).split("cursor=")[1].split('"')[0].split("&")[0]
    with count_queries() as sql:
        assert client.get("/", query_string={"cursor": cursor}).status_code == 200
    assert len(sql) == 5


def test_a_job_page_costs_the_same_queries_whatever_the_board_holds(
    client, session, add_jobs, count_queries
):
    first, second = (session.get(Job, i).slug for i in add_jobs(2, tags=["python", "llm"]))
    with count_queries() as few:
        assert client.get(f"/jobs/{first}").status_code == 200
    add_jobs(30, tags=["python", "llm", "rust"])
    with count_queries() as many:
        assert client.get(f"/jobs/{second}").status_code == 200
    # the catalog version, the job with its company, then writing the view: its job, its counter
    assert len(few) == len(many) == 4, few


def test_one_job_of_the_api_costs_one_query(client, add_jobs, count_queries):
    (job_id,) = add_jobs(1, tags=["python", "llm"])
    with count_queries() as sql:
        assert client.get(f"/api/v1/jobs/{job_id}").status_code == 200
    assert len(sql) == 1


CONDITIONAL = ["/api/v1/jobs", "/feed.json", "/feed.atom", "/newsletter/jobs.md"]


@pytest.mark.parametrize("path", CONDITIONAL)
def test_a_repeated_answer_costs_only_the_catalog_version_and_is_the_same(
    client, add_jobs, count_queries, path
):
    add_jobs(30)
    first = client.get(path)
    with count_queries() as sql:
        again = client.get(path)
    assert len(sql) == 1  # the catalog version; the body remembered for it is served again
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.content_type == first.content_type


@pytest.mark.parametrize("path", CONDITIONAL)
def test_a_changed_job_is_never_served_from_the_old_answer(client, add_jobs, edit, path):
    ids = add_jobs(3)
    before = client.get(path)
    edit(ids[0], title="Principal Prompt Cartographer")
    after = client.get(path)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert b"Principal Prompt Cartographer" in after.data
