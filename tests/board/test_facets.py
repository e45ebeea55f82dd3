"""Facet counts beside the filters: each computed with the other filters applied, at fixed cost.

Every rule holds both for SQL (`queries.facet_counts`) and for the in-memory facet index
the board uses while it matches the catalog (`FacetIndex`, fed a search's candidates).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from models import board, lifecycle, queries
from models.facet_index import FacetIndex
from models.queries import JobFilters
from models.types import utcnow

FacetsOf = Callable[..., dict[str, dict[str, int]]]


def sql_facets(session, **filters) -> dict[str, dict[str, int]]:
    counted = board.counts(session, JobFilters(**filters), now=utcnow())
    return {name: dict(rows) for name, rows in counted.facets.items()}


def index_facets(session, **filters) -> dict[str, dict[str, int]]:
    index = FacetIndex.load(session)
    counted = board.counts(session, JobFilters(**filters), now=utcnow(), index=index)
    return {name: dict(rows) for name, rows in counted.facets.items()}


@pytest.fixture(params=[sql_facets, index_facets], ids=["sql", "index"])
def facets(request, session) -> FacetsOf:
    return lambda **filters: request.param(session, **filters)


def add_mix(post) -> None:
    """Two remote and one on-site job in Germany, one remote in the UK."""
    post(remote="remote", location="Berlin, Germany", tags=["rust"])
    post(remote="remote", location="Munich, Germany", tags=["rust", "haskell"])
    post(remote="onsite", location="Hamburg, Germany", tags=["go"])
    post(remote="remote", location="London, UK", tags=["rust"])


def test_each_facet_ignores_its_own_filter_but_applies_the_others(facets, post):
    add_mix(post)
    counts = facets(remote="remote", country="DE")
    assert counts["remote"] == {"remote": 2, "onsite": 1}
    assert counts["country"] == {"DE": 2, "GB": 1}
    assert counts["type"] == {"full_time": 2}


def test_tag_counts_narrow_within_every_filter(facets, post):
    add_mix(post)
    counts = facets(country="DE", tags=("rust",))
    assert counts["tag"]["rust"] == 2
    assert counts["tag"]["haskell"] == 1
    assert "go" not in counts["tag"]


def test_search_words_narrow_every_facet(facets, post):
    post(remote="remote", description_html="<p>Reinforcement learning.</p>")
    post(remote="onsite", description_html="<p>Compilers.</p>")
    assert facets(q="reinforcement")["remote"] == {"remote": 1}


def test_only_published_jobs_are_counted(session, facets, post):
    add_mix(post)
    lifecycle.close(post(remote="hybrid"))
    session.commit()
    assert "hybrid" not in facets()["remote"]


def test_the_board_shows_facet_links_with_counts(client, post):
    add_mix(post)
    page = client.get("/?country=DE").get_data(as_text=True)
    assert 'href="/?country=DE&amp;remote=remote">Remote <span class="n">2' in page
    assert 'href="/?country=DE&amp;tag=rust">rust <span class="n">2' in page
    chosen = 'aria-current="true" href="/">Germany <span class="remove">(remove)</span>'
    assert f'{chosen} <span class="n">3' in page


def test_facet_counts_say_job_or_jobs_to_screen_readers(client, post):
    add_mix(post)
    page = client.get("/").get_data(as_text=True)
    assert 'haskell <span class="n">1<span class="visually-hidden"> job</span>' in page
    assert 'rust <span class="n">3<span class="visually-hidden"> jobs</span>' in page
    assert 'Germany <span class="n">3<span class="visually-hidden"> jobs</span>' in page


def test_a_board_page_costs_the_same_queries_whatever_its_size(app, client, post, count_queries):
    app.config["FACET_INDEX"] = "off"
    post(tags=["rust"])
    with count_queries() as small:
        client.get("/?tag=rust")
    for _ in range(30):
        post(tags=["rust", "go"], location="Paris, France")
    with count_queries() as large:
        client.get("/?tag=rust")
    assert len(small) == len(large) == 5  # catalog version, page, total, two facet queries


def test_with_three_choices_each_facet_keeps_the_other_two(facets, post):
    post(remote="remote", location="Berlin, Germany", employment_type="Contract")
    post(remote="remote", location="Munich, Germany", employment_type="Full-time")
    post(remote="onsite", location="Hamburg, Germany", employment_type="Contract")
    post(remote="remote", location="London, UK", employment_type="Contract")
    post(remote="onsite", location="Leeds, UK", employment_type="Full-time")  # misses all three
    counts = facets(remote="remote", country="DE", employment_type="contract")
    assert counts["remote"] == {"remote": 1, "onsite": 1}
    assert counts["country"] == {"DE": 1, "GB": 1}
    assert counts["type"] == {"contract": 1, "full_time": 1}
    assert sum(counts["seniority"].values()) == 1  # the one job with all three


def test_a_search_counts_facets_among_its_newest_candidates_only(facets, post, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 2)
    post(remote="onsite", tags=["go"], age=timedelta(days=3), description_html="<p>Diffusion.</p>")
    post(
        remote="remote", tags=["rust"], age=timedelta(days=2), description_html="<p>Diffusion.</p>"
    )
    post(
        remote="remote", tags=["rust"], age=timedelta(days=1), description_html="<p>Diffusion.</p>"
    )
    counts = facets(q="diffusion")
    assert counts["remote"] == {"remote": 2}
    assert counts["tag"] == {"rust": 2}


def test_no_narrow_down_heading_stands_over_no_facets(client, post):
    """With no job found there is nothing to narrow down; the heading stood alone."""
    post()
    page = client.get("/?q=xylophone").get_data(as_text=True)
    assert 'id="facets"' in page  # htmx answers still have their place
    assert "Narrow down</h2>" not in page
