"""The respelling offered for a search that found nothing: the nearest words the board knows."""

from __future__ import annotations

import pytest

from models import board
from models.facet_index import FacetIndex
from models.ingest import upsert_postings
from models.queries import JobFilters
from models.search_suggest import respelled
from models.tables import Source
from tests.factories import raw_posting


@pytest.fixture
def source(session):
    source = Source(kind="lever", url="https://api.lever.example/v0/postings/acme", company="A")
    session.add(source)
    session.commit()
    return source


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [
        ("machien lerning", "machine learning"),
        ("pytroch", "pytorch"),
        ("kuberntes engineer", "kubernetes engineer"),
        ("berln or munich", "berlin or munich"),
        ('"reserch scientist" -internshp', '"research scientist" -internship'),
    ],
)
def test_misspelt_words_are_respelt_keeping_the_query_syntax(q, suggestion):
    assert respelled(q) == suggestion


@pytest.mark.parametrize(
    "q", ["rust", "python berlin", "llms", "zurich", "Zürich", "anthropic", "qwertyuiop", ""]
)
def test_known_words_short_words_and_words_near_nothing_are_left_alone(q):
    assert respelled(q) is None


def test_the_catalogs_companies_are_respelt_when_its_index_is_loaded(session, source):
    posting = raw_posting(company="Anthropic", title="Research Engineer")
    upsert_postings(session, [posting], source=source)
    misspelt = JobFilters(q="antrhopic")
    assert board.respelling(session, misspelt, index=FacetIndex.load(session)) == "anthropic"
    assert board.respelling(session, misspelt) is None  # the catalog's words come with its index


def test_a_respelling_is_offered_only_when_it_finds_jobs_with_the_same_filters(session, source):
    upsert_postings(session, [raw_posting(title="Machine Learning Engineer")], source=source)
    assert board.respelling(session, JobFilters(q="machien lerning")) == "machine learning"
    assert board.respelling(session, JobFilters(q="machien lerning", country="FR")) is None


def test_a_word_the_catalog_holds_is_no_typo_and_is_left_alone(session, source):
    upsert_postings(session, [raw_posting(title="Research Engineer")], source=source)
    upsert_postings(session, [raw_posting(title="Search Quality Analyst")], source=source)
    # "search" is one letter from "research", but jobs use the word: it is spelt right.
    assert board.respelling(session, JobFilters(q="search engineer")) is None
    assert board.respelling(session, JobFilters(q="reserch engineer")) == "research engineer"
