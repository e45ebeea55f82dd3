"""Every board filter on SQLite and PostgreSQL: what it keeps, what it drops, and bad values."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.board.conftest import listed_slugs

# (query string, posting that matches, posting that does not)
FILTERS = [
    (
        {"q": "qdrant"},
        {"description_html": "<p>You will tune our Qdrant retrieval pipelines.</p>"},
        {"description_html": "<p>You will tune our Postgres pipelines.</p>"},
    ),
    ({"q": "pipeline"}, {"description_html": "<p>Own the training pipelines.</p>"}, {}),
    ({"q": "Zephyr"}, {"company": "Zephyr Robotics"}, {}),
    ({"location": "berlin"}, {"location": "Berlin, Germany"}, {"location": "London, UK"}),
    ({"country": "de"}, {"location": "Berlin, Germany"}, {"location": "London, UK"}),
    # A country by name or common alias, as seekers type it: "UK" is not ISO's code (GB).
    ({"country": "Germany"}, {"location": "Berlin, Germany"}, {"location": "London, UK"}),
    ({"country": "UK"}, {"location": "London, UK"}, {"location": "Berlin, Germany"}),
    ({"country": "united states"}, {"location": "Austin, TX"}, {"location": "London, UK"}),
    ({"remote": "remote"}, {"remote": "remote"}, {"remote": "onsite"}),
    ({"type": "part_time"}, {"employment_type": "Part-time"}, {"employment_type": "Full-time"}),
    ({"seniority": "staff"}, {"title": "Staff ML Engineer"}, {"title": "Junior ML Engineer"}),
    ({"tag": "rust"}, {"tags": ["Rust"]}, {"tags": ["Go"]}),
    ({"tag": "C++"}, {"tags": ["cpp"]}, {"tags": ["c"]}),
    ({"tag": "RLHF"}, {"tags": ["RLHF"]}, {"tags": ["Go"]}),
    ({"location": "   ", "tag": "rust"}, {"tags": ["Rust"]}, {"tags": ["Go"]}),
    ({"company": "Beta Labs"}, {"company": "Beta Labs"}, {"company": "Gamma AI"}),
    ({"company": "beta-labs"}, {"company": "Beta Labs"}, {"company": "Gamma AI"}),
    ({"salary_min": "150000"}, {"salary": "$160k-$200k a year"}, {"salary": "$60k-$80k a year"}),
    ({"salary_min": "150000"}, {"salary": "$80 - $100 per hour"}, {"salary": "$30 per hour"}),
    ({"salary_min": "90000"}, {"salary": "From $100,000 a year"}, {"salary": "From $60k a year"}),
    ({"salary_min": "100000"}, {"salary": "$2,000 a week"}, {"salary": "$1,000 a week"}),
    # Pay in other currencies is compared in US dollars: £90k is about $120k, ¥6M about $40k.
    ({"salary_min": "100000"}, {"salary": "£80k - £90k a year"}, {"salary": "¥5M - ¥6M a year"}),
    # A floor in pounds: a job paying exactly it passes, $110k (about £82k) does not.
    (
        {"salary_min": "90000", "salary_currency": "gbp"},
        {"salary": "£90,000 a year"},
        {"salary": "$110,000 a year"},
    ),
    # A floor's cap is in dollars: ¥12,000,000 (about $80,000) is a floor, not a typo.
    (
        {"salary_min": "12000000", "salary_currency": "JPY"},
        {"salary": "¥13,000,000 a year"},
        {"salary": "¥11,000,000 a year"},
    ),
]


@pytest.mark.parametrize(("query", "wanted", "other"), FILTERS)
def test_each_filter_keeps_matching_jobs_and_drops_the_rest(client, post, query, wanted, other):
    hit = post(**wanted)
    miss = post(**other)
    response = client.get("/", query_string=query)
    assert response.status_code == 200
    slugs = listed_slugs(response.get_data(as_text=True))
    assert hit.slug in slugs
    assert miss.slug not in slugs


TEXTS = ["python", "python rust", "haskell", "learning machine", "machine learning"]


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("python -rust", {"python"}),
        ("python or haskell", {"python", "python rust", "haskell"}),
        ('"learning machine"', {"learning machine"}),
        ("rust python", {"python rust"}),
        ("the python", {"python", "python rust"}),
        ("It", set(TEXTS)),
        ('"the" -of', set(TEXTS)),
        ("-python", {"haskell", "learning machine", "machine learning"}),
        ("-python -haskell", {"learning machine", "machine learning"}),
    ],
)
def test_search_words_read_as_a_web_search_on_both_databases(client, post, q, found):
    """Quotes make a phrase, `or` an alternative, `-` an exclusion, as on PostgreSQL; stop
    words are no terms, so a query of nothing else is no search."""
    jobs = {text: post(description_html=f"<p>We write {text} code.</p>") for text in TEXTS}
    slugs = set(listed_slugs(client.get("/", query_string={"q": q}).get_data(as_text=True)))
    assert slugs == {jobs[text].slug for text in found}


def test_a_search_of_exclusions_only_can_be_ranked_by_relevance(client, post):
    kept = post(description_html="<p>Haskell</p>")
    post(description_html="<p>Go</p>")
    response = client.get("/", query_string={"q": "-go", "sort": "relevance"})
    assert response.status_code == 200
    assert set(listed_slugs(response.get_data(as_text=True))) == {kept.slug}


def test_a_search_of_common_words_only_says_why_it_lists_every_job(client, post):
    post()
    html = client.get("/", query_string={"q": "it"}).get_data(as_text=True)
    assert "1 job: “it” has no word specific enough to search for" in html


def test_posted_within_counts_days_back_from_now(client, post):
    fresh = post(age=timedelta(days=2))
    old = post(age=timedelta(days=40))
    slugs = listed_slugs(client.get("/?posted_within=7").get_data(as_text=True))
    assert slugs == [fresh.slug]
    assert old.slug not in slugs


def test_repeated_tags_must_all_be_present(client, post):
    both = post(tags=["rust", "haskell"])
    post(tags=["rust"])
    slugs = listed_slugs(client.get("/?tag=rust&tag=haskell").get_data(as_text=True))
    assert slugs == [both.slug]


def test_blank_controls_mean_any(client, post):
    job = post()
    response = client.get("/?q=&location=&remote=&tag=&tag=&salary_min=&sort=newest")
    assert response.status_code == 200
    assert listed_slugs(response.get_data(as_text=True)) == [job.slug]


def test_salary_sort_puts_the_best_paid_first_and_unknown_pay_last(client, post):
    unknown = post(salary=None)
    low = post(salary="£40k - £50k per year")
    high = post(salary="£7,000 - £9,000 per month")
    floor = post(salary="From £60,000 a year")
    slugs = listed_slugs(client.get("/?sort=salary").get_data(as_text=True))
    assert slugs == [high.slug, floor.slug, low.slug, unknown.slug]


def test_salary_sort_compares_pay_in_different_currencies_in_dollars(client, post):
    """¥15,000,000 is about $100,000: it sorts below $150,000 and £100,000 (about $133,000)."""
    yen = post(salary="¥15,000,000 a year")
    dollars = post(salary="$150,000 a year")
    pounds = post(salary="£100,000 a year")
    slugs = listed_slugs(client.get("/?sort=salary").get_data(as_text=True))
    assert slugs == [dollars.slug, pounds.slug, yen.slug]


def test_the_salary_currency_menu_keeps_the_chosen_currency(client, post):
    post()
    page = client.get("/?salary_min=50000&salary_currency=eur").get_data(as_text=True)
    assert '<option value="EUR" selected>EUR</option>' in page


def test_board_and_api_list_the_same_jobs_for_the_same_filters(client, post):
    for n in range(6):
        post(remote="remote" if n % 2 else "onsite", tags=["llm"], age=timedelta(hours=n + 1))
    query = {"remote": "remote", "tag": "llm"}
    board = listed_slugs(client.get("/", query_string=query).get_data(as_text=True))
    api = client.get("/api/v1/jobs", query_string=query).get_json()["items"]
    assert board == [item["url"].rsplit("/", 1)[1] for item in api]
    assert len(board) == 3


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("salary_min=lots", "Not a valid integer."),
        ("salary_min=1&salary_currency=XYZ", "Must be one of: USD, EUR, GBP, AED"),
        ("salary_min=10000001", "Must be at most 10,000,000 USD."),
        (
            "salary_min=8000000&salary_currency=gbp",
            "Must be at most 7,500,000 GBP (10,000,000 US dollars).",
        ),
        ("remote=spaceship", "Must be one of: remote, hybrid, onsite."),
        ("type=gig", "Must be one of"),
        ("country=XX", "Not a country: use its name or ISO 3166 two-letter code"),
        ("&".join(f"tag=t{n}" for n in range(11)), "At most 10 tags."),
        ("country=Narnia", "Not a country: use its name or ISO 3166 two-letter code"),
        ("company=%21", "Must contain letters or digits."),
        ("posted_within=0", "posted_within"),
        ("sort=random", "sort"),
        ("cursor=bm90LWEtY3Vyc29y", "this page link is broken"),
        ("cursor=%%%", "this page link is broken"),
        ("remote=remote&remote=hybrid", "Given more than once, with different values"),
    ],
)
def test_bad_parameters_answer_400_with_the_reason_on_the_page(client, query, reason):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert reason in page
    assert 'role="alert"' in page


def test_a_filter_given_twice_alike_or_once_blank_is_the_filter(client, post):
    post(title="Remote Role", remote="remote")
    post(title="Onsite Role", remote="onsite")
    for query in ("remote=remote&remote=remote", "remote=&remote=remote"):
        page = client.get(f"/?{query}").get_data(as_text=True)
        assert "Remote Role" in page and "Onsite Role" not in page, query


def test_a_cursor_of_another_sort_is_refused(client, post):
    for _ in range(26):
        post()
    page = client.get("/").get_data(as_text=True)
    cursor = page.split("cursor=", 1)[1].split('"', 1)[0]
    response = client.get(f"/?sort=salary&cursor={cursor}")
    assert response.status_code == 400
    assert "this page link is broken" in response.get_data(as_text=True)


def test_user_text_is_escaped_in_the_form_and_the_count(client, post):
    post()
    page = client.get('/?q="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("query", "option"),
    [
        ("posted_within=7", '<option value="7" selected>In the last week</option>'),
        ("posted_within=14", '<option value="14" selected>In the last 14 days</option>'),
        (
            "posted_within=14&salary_min=x",
            '<option value="14" selected>In the last 14 days</option>',
        ),
    ],
)
def test_the_posted_control_shows_the_period_it_filters_by(client, query, option):
    """A period the menu does not offer (from a shared link) read "Any time" while it filtered,
    and the next change of another filter dropped it; so did fixing another, bad, filter."""
    assert option in client.get(f"/?{query}").get_data(as_text=True)


def test_a_bad_period_is_not_offered(client):
    page = client.get("/?posted_within=400").get_data(as_text=True)
    assert 'value="400"' not in page


def test_a_bad_filter_can_be_dropped_alone(client):
    """Its page offered only "Start again with all jobs", dropping the good filters too."""
    page = client.get("/?remote=remote&salary_min=lots&tag=rust").get_data(as_text=True)
    assert '<a href="/?remote=remote&amp;tag=rust">Search without it</a>' in page


@pytest.mark.parametrize("query", ["location=M%FCnchen", "q=caf%E9", "tag=caf%E9"])
def test_a_filter_that_is_not_utf8_answers_400_saying_so(client, post, query):
    """A Latin-1 browser's "M%FCnchen" reached the filter as the text "M%FCnchen": an empty
    board instead of the reason the API and the CLI give for the same bytes."""
    post(location="München, Germany", tags=["café"])
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert "Not valid UTF-8 text." in response.get_data(as_text=True)
