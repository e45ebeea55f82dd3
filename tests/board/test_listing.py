"""The board's list: order, keyset pages of 25, relevance ranking, and htmx partial answers."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from models import lifecycle, queries
from models.types import utcnow
from tests.board.conftest import listed_slugs

_NEXT = re.compile(r'<a rel="next" href="([^"]+)">')


def next_link(page: str) -> str | None:
    found = _NEXT.search(page)
    return html.unescape(found.group(1)) if found else None


def test_featured_jobs_come_first_then_the_newest(client, session, post):
    old_featured = post(age=timedelta(days=9))
    newest = post(age=timedelta(hours=1))
    older = post(age=timedelta(days=3))
    lifecycle.feature_until(old_featured, utcnow() + timedelta(days=7))
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert listed_slugs(page) == [old_featured.slug, newest.slug, older.slug]
    assert "Featured" in page


def test_pages_hold_25_jobs_and_cover_every_job_once(client, post):
    jobs = [post(age=timedelta(minutes=n % 7)) for n in range(53)]
    seen, url, pages = [], "/", 0
    while url:
        page = client.get(url).get_data(as_text=True)
        slugs = listed_slugs(page)
        assert len(slugs) == (25 if pages < 2 else 3)
        seen += slugs
        url, pages = next_link(page), pages + 1
    assert pages == 3
    assert sorted(seen) == sorted(job.slug for job in jobs)


def test_next_pages_keep_the_filters_and_link_back_to_the_first(client, post):
    for _ in range(27):
        post(remote="remote")
    post(remote="onsite")
    second = client.get(next_link(client.get("/?remote=remote").get_data(as_text=True)))
    page = second.get_data(as_text=True)
    assert len(listed_slugs(page)) == 2
    assert 'href="/?remote=remote">First page</a>' in page


def test_a_word_of_the_description_finds_the_job(client, post):
    job = post(title="Research Engineer", description_html="<p>Experience with Triton kernels.</p>")
    post(title="Designer", description_html="<p>Figma.</p>")
    page = client.get("/?q=triton").get_data(as_text=True)
    assert listed_slugs(page) == [job.slug]
    assert "1 job matching “triton”" in page


def test_relevance_ranks_title_matches_above_description_matches(client, post):
    in_description = post(
        title="Platform Engineer",
        description_html="<p>We also do some retrieval work.</p>",
        age=timedelta(hours=1),
    )
    in_title = post(
        title="Retrieval Engineer",
        description_html="<p>Retrieval systems: retrieval evaluation and retrieval quality.</p>",
        age=timedelta(days=5),
    )
    slugs = listed_slugs(client.get("/?q=retrieval&sort=relevance").get_data(as_text=True))
    assert slugs == [in_title.slug, in_description.slug]


def test_relevance_pages_cover_every_match_once(client, post):
    for n in range(30):
        post(description_html=f"<p>{'agents ' * (n % 5 + 1)}and evals.</p>")
    post(description_html="<p>Nothing to see.</p>")
    seen, url = [], "/?q=agents&sort=relevance"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += listed_slugs(page)
        url = next_link(page)
    assert len(seen) == len(set(seen)) == 30


def test_relevance_without_words_falls_back_to_newest(client, post):
    older = post(age=timedelta(days=2))
    newer = post(age=timedelta(hours=2))
    slugs = listed_slugs(client.get("/?sort=relevance").get_data(as_text=True))
    assert slugs == [newer.slug, older.slug]


def test_relevance_says_when_only_the_newest_matches_are_ranked(client, post, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 2)
    for _ in range(3):
        post(description_html="<p>Diffusion models.</p>")
    page = client.get("/?q=diffusion&sort=relevance").get_data(as_text=True)
    assert len(listed_slugs(page)) == 2
    assert "the newest 2 are ranked by best match and counted beside the filters" in page


def test_a_search_matching_more_than_it_counts_says_so_and_still_lists_every_match(
    client, post, monkeypatch
):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 2)
    for _ in range(3):
        post(description_html="<p>Diffusion models.</p>")
    page = client.get("/?q=diffusion").get_data(as_text=True)
    assert "2+ jobs matching “diffusion”; the newest 2 are counted beside the filters" in page
    assert len(listed_slugs(page)) == 3


def test_a_search_within_what_it_counts_shows_the_exact_total(client, post, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 3)
    for _ in range(3):
        post(description_html="<p>Diffusion models.</p>")
    page = client.get("/?q=diffusion").get_data(as_text=True)
    assert "3 jobs matching “diffusion”" in page
    assert "counted beside the filters" not in page


def test_without_search_words_every_match_is_counted(client, post, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 2)
    for _ in range(3):
        post(remote="remote")
    assert "3 jobs" in client.get("/?remote=remote").get_data(as_text=True)


def test_htmx_gets_only_the_results_with_count_and_facets_out_of_band(client, post):
    job = post(remote="remote")
    response = client.get("/?remote=remote", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page
    assert listed_slugs(page) == [job.slug]
    assert '<p id="result-count" hx-swap-oob="innerHTML">' in page
    assert '<nav id="facets" class="facets" aria-label="Narrow down" hx-swap-oob="true">' in page
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, post):
    post()
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get("/", headers=headers).get_data(as_text=True)


def test_htmx_bad_filter_gets_the_reason_in_the_results(client):
    response = client.get("/?salary_min=lots", headers={"HX-Request": "true"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<html" not in page
    assert "Not a valid integer." in page


def test_an_empty_page_offers_to_drop_each_filter_it_has(client, post):
    """Its one way out dropped every filter at once; often only one of them is too many."""
    post(remote="remote", tags=["rust"])
    query = "q=xylophone&remote=remote&salary_min=90000&tag=rust"
    page = client.get(f"/?{query}").get_data(as_text=True)
    ways_out = re.findall(r'<li><a href="([^"]+)">Remove (.+?)</a></li>', page)
    assert [(html.unescape(url), html.unescape(text)) for url, text in ways_out] == [
        ("/?remote=remote&salary_min=90000&tag=rust", "Search: “xylophone”"),
        ("/?q=xylophone&salary_min=90000&tag=rust", "Work setup: Remote"),
        ("/?q=xylophone&remote=remote&tag=rust", "Minimum yearly salary: 90,000 USD"),
        ("/?q=xylophone&remote=remote&salary_min=90000", "Tags: rust"),
    ]


def test_dropping_a_salary_floor_drops_its_currency_with_it(client, post):
    post(salary="£40k a year")
    page = client.get("/?salary_min=90000&salary_currency=gbp&remote=onsite").get_data(as_text=True)
    ways_out = re.findall(r'<li><a href="([^"]+)">Remove (.+?)</a></li>', page)
    assert [(html.unescape(url), html.unescape(text)) for url, text in ways_out] == [
        ("/?salary_min=90000&salary_currency=GBP", "Work setup: On-site"),
        ("/?remote=onsite", "Minimum yearly salary: 90,000 GBP"),
    ]


def test_a_search_that_finds_nothing_suggests_how_to_search_otherwise(client, post):
    post(title="Machine Learning Engineer")
    page = client.get("/?q=machien+lerning").get_data(as_text=True)
    assert "No job mentions all of “machien lerning”: check the spelling" in page
    assert "check the spelling" not in client.get("/?remote=onsite").get_data(as_text=True)


_RESPELT = re.compile(r'Did you mean <a href="([^"]+)">([^<]+)</a>\?')


def test_a_misspelt_search_that_finds_nothing_offers_the_spelling_that_finds_jobs(client, post):
    post(title="Machine Learning Engineer", remote="remote")
    page = client.get("/?q=machien+lerning&remote=remote").get_data(as_text=True)
    url, words = _RESPELT.search(page).groups()
    assert (html.unescape(url), words) == ("/?q=machine+learning&remote=remote", "machine learning")
    assert "Machine Learning Engineer" in client.get(html.unescape(url)).get_data(as_text=True)


def test_no_respelling_is_offered_that_finds_nothing_either(client, post):
    post(title="Machine Learning Engineer", remote="remote")
    assert "Did you mean" not in client.get("/?q=machien+lerning&remote=onsite").get_data(
        as_text=True
    )
    assert "Did you mean" not in client.get("/?q=qwertyuiop").get_data(as_text=True)


def test_the_board_leads_sponsors_to_the_posting_form(client):
    """No page linked to /post: a sponsor had to know the address."""
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/post" class="post-job">Post a job</a>' in page


def test_pages_name_the_feeds_and_a_filtered_board_its_filtered_feeds(client, post):
    """Feed readers find a site's feeds by its pages' rel=alternate links."""
    post(tags=["rust"])
    home = client.get("/").get_data(as_text=True)
    assert 'type="application/atom+xml" title="AI jobs (Atom)" href="/feed.atom">' in home
    assert 'type="application/feed+json" title="AI jobs (JSON Feed)" href="/feed.json">' in home
    filtered = client.get("/?remote=remote&tag=rust&sort=salary").get_data(as_text=True)
    assert 'href="/feed.atom?remote=remote&amp;tag=rust">' in filtered
    assert client.get("/feed.atom?remote=remote&tag=rust").status_code == 200
