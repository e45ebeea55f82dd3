"""The in-memory facet index: the same totals and facets as SQL, for its catalog version only."""

from __future__ import annotations

import html
import itertools
import re
import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from api.facet_indexes import LiveFacetIndex
from models import board, freshness, lifecycle, newsletter, pagination, queries
from models.facet_index import FacetIndex
from models.queries import JobFilters
from models.tables import Company, Job
from models.types import utcnow

REMOTE = ["remote", "hybrid", "onsite"]
TYPES = ["Full-time", "Contract", "Part-time", "Internship"]
TITLES = ["Senior ML Engineer", "Junior Data Scientist", "Staff Researcher", "Engineering Manager"]
LOCATIONS = ["Berlin, Germany", "London, UK", "Paris, France", "Munich, Germany", "Toronto, Canada"]
TAG_SETS = [["python"], ["python", "pytorch"], ["rust"], [], ["llm", "python"], ["pytorch", "llm"]]
SALARIES = ["€80k - €100k per year", "$150,000 - $210,000", None, "£60k"]
COMPANIES = ["Acme AI", "Borealis Labs", "Cortex"]
DESCRIPTIONS = ["Diffusion models.", "Diffusion and compilers.", "Compilers for accelerators."]
TEAM = " A small team."  # a word in every description


@pytest.fixture
def catalog(session, add_jobs) -> None:
    """Forty jobs that differ in every filtered column, one featured and one closed."""
    now = utcnow()
    for n in range(40):
        add_jobs(
            title=f"{TITLES[n % 4]} {n}",
            remote=REMOTE[n % 3],
            employment_type=TYPES[n % 4 if n % 7 else 0],
            location=LOCATIONS[n % 5],
            tags=TAG_SETS[n % 6],
            salary=SALARIES[n % 4],
            company=COMPANIES[n % 3],
            description_html=f"<p>{DESCRIPTIONS[n % 3]}{TEAM}</p>",
            posted_at=(now - timedelta(days=n)).isoformat(),
        )
    first, second = session.scalars(sa.select(Job).order_by(Job.id).limit(2))
    lifecycle.feature_until(first, now + timedelta(days=7))
    lifecycle.close(second)
    # Half the jobs went on the board a month ago: the newsletter's `since` leaves them out.
    session.execute(
        sa.update(Job).where(Job.id % 2 == 0).values(published_at=now - timedelta(days=30))
    )
    session.commit()


SEARCHES = [
    JobFilters(q="diffusion"),
    JobFilters(q="diffusion", sort="relevance"),
    JobFilters(q="compilers", remote="remote"),
    JobFilters(q="diffusion", remote="hybrid", employment_type="full_time"),
    JobFilters(q="diffusion", tags=("python",), location="berlin"),
    JobFilters(q="nothing-matches-this"),
    JobFilters(q="team"),
    JobFilters(q="team", remote="hybrid", tags=("python",)),
]


def filter_cases(session) -> list[JobFilters]:
    company = session.scalar(sa.select(Company.slug).where(Company.name == "Borealis Labs"))
    week_ago = utcnow() - timedelta(days=7)
    return [
        JobFilters(),
        JobFilters(remote="remote"),
        JobFilters(employment_type="contract"),
        JobFilters(seniority="senior"),
        JobFilters(country="de"),
        JobFilters(location="berl"),
        JobFilters(location="LONDON, uk"),
        JobFilters(location="50%_off"),
        JobFilters(tags=("python",)),
        JobFilters(tags=("python", "pytorch")),
        JobFilters(tags=("absent",)),
        JobFilters(company=company),
        JobFilters(company="no-such-company"),
        JobFilters(salary_min=100_000),
        JobFilters(salary_min=75_000, salary_currency="EUR"),
        JobFilters(salary_min=80_000, salary_currency="GBP", sort="salary"),
        JobFilters(posted_within=10),
        JobFilters(since=week_ago),
        newsletter.section_filters(JobFilters(since=week_ago)),
        newsletter.section_filters(JobFilters(since=week_ago, remote="hybrid")),
        JobFilters(featured=True),
        JobFilters(featured=False),
        JobFilters(remote="nowhere"),
        JobFilters(remote="remote", country="DE", employment_type="full_time"),
        JobFilters(remote="hybrid", seniority="junior", tags=("python",), posted_within=30),
        JobFilters(country="GB", location="london", salary_min=50_000, sort="salary"),
    ]


def test_the_index_counts_every_filter_as_sql_does(session, catalog):
    index, now = FacetIndex.load(session), utcnow()
    for filters in filter_cases(session):
        assert index.count(filters, now) == pagination.count(session, filters, now=now), filters


def test_the_index_gives_every_facet_as_sql_does(session, catalog):
    index, now = FacetIndex.load(session), utcnow()
    for filters in filter_cases(session):
        expected = queries.facet_counts(session, filters, now=now)
        assert index.facets(filters, now) == expected, filters


def test_the_index_knows_the_catalog_version_it_was_loaded_at(session, catalog):
    assert FacetIndex.load(session).version == freshness.catalog_version(session)


def test_an_empty_catalog_has_an_index_that_counts_nothing(session):
    index = FacetIndex.load(session)
    assert index.count(JobFilters(tags=("python",), remote="remote"), utcnow()) == 0
    assert index.facets(JobFilters(), utcnow()) == queries.facet_counts(session, JobFilters())


@pytest.mark.parametrize("cap", [1000, 4, 1], ids=["under the cap", "past the cap", "cap of 1"])
def test_a_search_is_counted_from_its_candidates_as_sql_counts_it(
    session, catalog, monkeypatch, cap
):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", cap)
    index, now = FacetIndex.load(session), utcnow()
    for filters in SEARCHES:
        from_index = board.counts(session, filters, now=now, index=index)
        from_sql = board.counts(session, filters, now=now)
        assert (from_index.total, from_index.facets) == (from_sql.total, from_sql.facets), filters


@pytest.mark.parametrize("cap", [2, 4, 9])
@pytest.mark.parametrize("order", [1, -1], ids=["wider first", "narrower first"])
def test_searches_for_the_same_words_count_as_sql_counts_them_in_any_order(
    session, catalog, monkeypatch, cap, order
):
    """Each settles some jobs for the next (`FacetIndex.ledger`), over filters and windows."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", cap)
    index, now = FacetIndex.load(session), utcnow()
    searches = [
        JobFilters(q="models"),
        JobFilters(q="models", posted_within=20),
        JobFilters(q="models", remote="remote"),
        JobFilters(q="models", remote="hybrid", employment_type="full_time"),
        JobFilters(q="models", tags=("python",)),
    ]
    for filters in searches[::order]:
        from_index = board.counts(session, filters, now=now, index=index)
        from_sql = board.counts(session, filters, now=now)
        assert (from_index.total, from_index.facets) == (from_sql.total, from_sql.facets), filters


def add_a_job_a_day(add_jobs, *, word_every: int, remote_every: int) -> datetime:
    """Sixty jobs, posted a day apart up to now (returned): "diffusion" in every
    `word_every`-th, counting from the newest, and every `remote_every`-th remote."""
    now = utcnow()
    for age in range(60):
        add_jobs(
            description_html="<p>Compilers.</p>" if age % word_every else "<p>Diffusion.</p>",
            remote="onsite" if age % remote_every else "remote",
            posted_at=(now - timedelta(days=age)).isoformat(),
        )
    return now


def test_a_narrower_search_still_finds_matches_older_than_its_wider_search_settled(
    session, add_jobs, monkeypatch
):
    """The wider search settled its 30 newest jobs; two of the narrower search's four
    matches are older than those."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 4)
    now = add_a_job_a_day(add_jobs, word_every=5, remote_every=3)
    index = FacetIndex.load(session)
    board.counts(session, JobFilters(q="diffusion"), now=now, index=index)
    narrower = board.counts(
        session, JobFilters(q="diffusion", remote="remote"), now=now, index=index
    )
    assert narrower.total == 4


@pytest.mark.parametrize("cap", [1000, 4], ids=["under the cap", "past the cap"])
def test_relevance_pages_rank_the_index_s_candidates_as_sql_ranks_its_own(
    session, catalog, monkeypatch, cap
):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", cap)
    index, now = FacetIndex.load(session), utcnow()
    for filters in SEARCHES:
        ranked = replace(filters, sort="relevance")
        assert pages_of(session, ranked, now, index) == pages_of(session, ranked, now), ranked


@pytest.mark.parametrize("cap", [1000, 4, 1], ids=["under the cap", "past the cap", "cap of 1"])
def test_newest_pages_list_the_index_s_candidates_as_sql_walks_its_own(
    session, catalog, monkeypatch, cap
):
    """Featured jobs first, then the candidates; past them the page walks in SQL."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", cap)
    index, now = FacetIndex.load(session), utcnow()
    featured = [JobFilters(q="team", featured=True), JobFilters(q="team", featured=False)]
    for filters in [*SEARCHES, *featured]:
        newest = replace(filters, sort="newest")
        assert pages_of(session, newest, now, index) == pages_of(session, newest, now), newest


def test_a_search_page_from_candidates_stays_full_when_one_of_them_closes_meanwhile(
    session, add_jobs
):
    add_jobs(8, description_html="<p>Diffusion models.</p>")
    index, now, search = FacetIndex.load(session), utcnow(), JobFilters(q="diffusion")
    counted = board.counts(session, search, now=now, index=index)
    lifecycle.close(session.get(Job, counted.candidates[0]))
    session.commit()
    page = board.page_of(session, search, counted, limit=3, now=now, index=index)
    assert len(page.items) == 3 and page.next_cursor is not None
    assert counted.candidates[0] not in [job.id for job in page.items]


def pages_of(session, filters, now, index=None) -> list[tuple[list[int], str | None]]:
    """Every page of a board listing, three jobs at a time: (job ids, next cursor) each."""
    pages, cursor = [], None
    while True:
        page = board.search(session, filters, limit=3, cursor=cursor, now=now, index=index).page
        pages.append(([job.id for job in page.items], page.next_cursor))
        if not (cursor := page.next_cursor):
            return pages


def live(app, mode: str) -> LiveFacetIndex:
    return LiveFacetIndex(app.extensions["jobboard.sessions"], mode)


def test_inline_mode_loads_the_index_of_the_version_asked_for(app, session, add_jobs):
    add_jobs(2)
    version = freshness.catalog_version(session)
    index = live(app, "inline").at(version)
    assert (index.version, index.size) == (version, 2)


def test_an_index_is_not_used_once_the_catalog_moved_on(app, session, add_jobs):
    add_jobs(1)
    indexes = live(app, "inline")
    old = indexes.at(freshness.catalog_version(session))
    add_jobs(1)
    new = indexes.at(freshness.catalog_version(session))
    assert (old.size, new.size) == (1, 2)
    assert indexes.at(old.version) is None


def test_background_mode_answers_none_until_its_thread_has_loaded(app, session, add_jobs):
    add_jobs(3)
    version = freshness.catalog_version(session)
    indexes = live(app, "background")
    assert indexes.at(version) is None  # the request counts in SQL; a load has started
    for _ in itertools.repeat(None, 200):
        if (index := indexes.at(version)) is not None:
            break
        time.sleep(0.01)
    assert index is not None and index.size == 3


def test_off_mode_never_loads(app, session, add_jobs):
    add_jobs(1)
    assert live(app, "off").at(freshness.catalog_version(session)) is None


def test_an_unknown_mode_is_refused(app):
    with pytest.raises(ValueError, match="FACET_INDEX must be one of"):
        live(app, "sometimes")


def test_a_board_page_from_a_current_index_costs_two_queries(client, add_jobs, count_queries):
    add_jobs(5, tags=["python", "llm"], remote="remote")
    client.get("/")  # loads the index of this catalog
    with count_queries() as sql:
        page = client.get("/?remote=remote&tag=python").get_data(as_text=True)
    assert len(sql) == 2, sql  # the catalog version and the page; total and facets from memory
    assert "5 jobs" in page


def test_a_common_word_is_checked_on_the_newest_ids_in_one_query(
    client, add_jobs, count_queries, monkeypatch
):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 4)
    add_jobs(12, description_html="<p>Diffusion models.</p>", remote="remote")
    client.get("/")
    with count_queries() as sql:
        client.get("/?q=diffusion&remote=remote")
    assert len(sql) == 3  # the catalog version, the page, and which of the newest ids match


def test_a_word_too_rare_among_the_newest_ids_is_looked_up_in_sql(
    client, add_jobs, count_queries, monkeypatch
):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 4)
    now = utcnow()
    for age in range(12):
        words = "Quantum chemistry." if age > 9 else "Diffusion models."
        add_jobs(
            description_html=f"<p>{words}</p>", posted_at=(now - timedelta(days=age)).isoformat()
        )
    client.get("/")
    with count_queries() as sql:
        page = client.get("/?q=quantum").get_data(as_text=True)
    assert len(sql) == 4  # ... and the newest matches, from SQL's full-text index
    assert "2 jobs" in page


def test_a_word_a_few_short_among_the_newest_ids_asks_about_a_few_more_not_sql(
    client, add_jobs, count_queries, monkeypatch
):
    """The first query asks about the newest 21 ids for 20 candidates; 19 match, so the next
    four ids are asked about rather than SQL's full-text index walked."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 19)
    now = utcnow()
    for age in range(30):
        words = "Compilers." if age in (3, 7) else "Diffusion models."
        add_jobs(
            description_html=f"<p>{words}</p>", posted_at=(now - timedelta(days=age)).isoformat()
        )
    client.get("/")
    with count_queries() as sql:
        page = client.get("/?q=diffusion").get_data(as_text=True)
    assert len(sql) == 4  # the catalog version, the page, the newest 21 ids, and four more
    assert "19+ jobs" in page


def test_a_word_in_a_share_of_the_newest_ids_is_fetched_from_where_its_candidates_begin(
    client, add_jobs, count_queries, monkeypatch
):
    """A quarter of the newest ids match, too few to settle the search: judging from that
    share where its ten candidates begin, one query fetches every match posted since, in no
    order (PostgreSQL ANDs its full-text and posted_at indexes), rather than walking."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 9)
    now = utcnow()
    for age in range(60):
        words = "Diffusion models." if age % 4 == 0 else "Compilers."
        add_jobs(
            description_html=f"<p>{words}</p>", posted_at=(now - timedelta(days=age)).isoformat()
        )
    client.get("/")
    with count_queries() as sql:
        page = client.get("/?q=diffusion").get_data(as_text=True)
    assert len(sql) == 4  # the catalog version, the page, the newest ten ids, and the rest
    assert [statement for statement in sql if "jobs.posted_at >=" in statement]
    assert "9+ jobs" in page


def test_a_narrowed_search_and_its_wider_one_fetch_their_matches_in_one_query(
    client, add_jobs, count_queries, monkeypatch
):
    """A quarter of each search's newest ids match: both judge where their ten candidates
    begin, and one query fetches every match of the words posted since either's start (the
    remote jobs' reaching further back), rather than one each."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 9)
    now = utcnow()
    for age in range(120):
        add_jobs(
            description_html="<p>Diffusion models.</p>" if age % 4 == 0 else "<p>Compilers.</p>",
            remote="remote" if age % 3 == 0 else "onsite",
            posted_at=(now - timedelta(days=age)).isoformat(),
        )
    client.get("/")
    with count_queries() as sql:
        page = client.get("/?q=diffusion&remote=remote").get_data(as_text=True)
    assert len(sql) == 4, sql  # the catalog version, the page, the newest ids, the rest
    assert len([statement for statement in sql if "jobs.posted_at >=" in statement]) == 1
    assert "9+ jobs" in page


def test_a_word_rarer_further_back_than_among_the_newest_ids_is_still_counted_in_full(
    session, add_jobs, monkeypatch
):
    """Three of the newest five ids match, then none for weeks: the matches fetched from where
    the candidates seemed to begin are too few, and SQL finds the older ones."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 4)
    now = utcnow()
    for age in range(30):
        words = "Diffusion models." if age in (0, 1, 2, 20, 25) else "Compilers."
        add_jobs(
            description_html=f"<p>{words}</p>", posted_at=(now - timedelta(days=age)).isoformat()
        )
    index, search = FacetIndex.load(session), JobFilters(q="diffusion")
    from_index, from_sql = (
        board.counts(session, search, now=now, index=index),
        board.counts(session, search, now=now),
    )
    assert from_index.total == 5
    assert (from_index.total, from_index.facets) == (from_sql.total, from_sql.facets)


def test_a_search_s_next_page_counts_from_the_candidates_its_first_page_found(
    app, client, add_jobs, count_queries, monkeypatch
):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 4)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    add_jobs(12, description_html="<p>Diffusion models.</p>")
    client.get("/")
    first = client.get("/?q=diffusion&sort=relevance").get_data(as_text=True)
    following = html.unescape(re.search(r'href="([^"]*cursor=[^"]*)"', first).group(1))
    with count_queries() as sql:
        page = client.get(following).get_data(as_text=True)
    assert len(sql) == 2, sql  # the catalog version and the page: no search for candidates
    assert "4+ jobs" in page


def test_a_search_narrowed_by_a_column_asks_sql_only_about_the_narrower_search(
    client, add_jobs, count_queries, monkeypatch
):
    """Its column facets count the wider search's candidates, found by the search before:
    here a walk, since the newest jobs are onsite and none of them match."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 4)
    now = utcnow()
    for age in range(20):
        remote, words = ("remote", "Diffusion models.") if age >= 10 else ("onsite", "Compilers.")
        add_jobs(
            description_html=f"<p>{words}</p>",
            remote=remote,
            posted_at=(now - timedelta(days=age)).isoformat(),
        )
    client.get("/")
    client.get("/?q=diffusion")
    with count_queries() as sql:
        page = client.get("/?q=diffusion&remote=remote").get_data(as_text=True)
    assert len(sql) == 3, sql  # the catalog version, the page, the remote jobs' newest ids
    assert "4+ jobs" in page


def test_a_newest_search_page_reads_the_rows_of_its_candidates_only(
    client, add_jobs, count_queries
):
    """Not a walk down posted_at testing every job for the words (100k jobs, a word in 15%
    of them: ~17 ms): the counting found the newest matches already."""
    add_jobs(5, description_html="<p>Diffusion models.</p>")
    add_jobs(5, description_html="<p>Compilers.</p>")
    client.get("/")
    with count_queries() as sql:
        page = client.get("/?q=diffusion").get_data(as_text=True)
    (page_statement,) = [statement for statement in sql if "UNION ALL" in statement]
    assert re.search(r"jobs\.id IN \((?!SELECT)", page_statement)  # a list of ids
    assert "5 jobs" in page


def test_a_search_relative_to_now_counts_the_jobs_in_its_window_when_asked(session, add_jobs):
    """Jobs leave "posted within a week" as time passes, with no change to the catalog."""
    now = utcnow()
    for age in (6, 1):
        posted = (now - timedelta(days=age)).isoformat()
        add_jobs(description_html="<p>Diffusion models.</p>", posted_at=posted)
    index, search = FacetIndex.load(session), JobFilters(q="diffusion", posted_within=7)
    assert board.counts(session, search, now=now, index=index).total == 2
    assert board.counts(session, search, now=now + timedelta(days=2), index=index).total == 1


def test_a_search_narrowed_within_the_jobs_its_wider_search_settled_asks_sql_nothing(
    client, add_jobs, count_queries, monkeypatch
):
    """The wider search settled whether its words match each of the 40 newest jobs; the
    20 remote ones among them hold the narrower search's 10 candidates."""
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 9)
    add_a_job_a_day(add_jobs, word_every=4, remote_every=2)
    client.get("/")
    client.get("/?q=diffusion")
    with count_queries() as sql:
        page = client.get("/?q=diffusion&remote=remote").get_data(as_text=True)
    assert len(sql) == 2, sql  # the catalog version and the page
    assert "9+ jobs" in page


def test_a_search_from_a_current_index_costs_three_queries(client, add_jobs, count_queries):
    add_jobs(5, description_html="<p>Reinforcement learning.</p>")
    client.get("/")
    with count_queries() as sql:
        page = client.get("/?q=reinforcement&tag=llm").get_data(as_text=True)
    assert len(sql) == 3  # the catalog version, the page, and the ids of the search's candidates
    assert "5 jobs" in page
