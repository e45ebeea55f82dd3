"""The respelling offered for a search that found nothing: the nearest words seekers search for."""

from __future__ import annotations

import pytest

from models.search_suggest import respelled


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
