"""Fast paths of the normalizers give exactly what the general functions give."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.dataset import postings
from models.normalize import html_to_text, sanitize_html, sanitized_to_text

FRAGMENTS = [
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    "<li>",
    "<ul>",
    "</ul>",
    "<b>",
    "</b>",
    '<a href="https://x.example/?a=>b&amp;c=1" title="x>y">',
    "</a>",
    "<script>alert(1)</script>",
    "<style>p{}</style>",
    "<!-- note -->",
    "<h2>",
    "<table><tr><td>",
    "&amp;",
    "&lt;p&gt;",
    "&nbsp;",
    "&eacute;",
    "&#x27;",
    "\xa0",
    "\n",
    "  ",
    "text",
    "Zürich",
    "a < b > c",
    "<div>",
    "</div>",
    "<img src=x onerror=alert(1)>",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25))
def test_sanitized_to_text_equals_html_to_text_of_sanitized_html(fragments):
    sanitized = sanitize_html("".join(fragments))
    assert sanitized_to_text(sanitized) == html_to_text(sanitized)


@pytest.mark.parametrize("raw", list(postings(50, seed=3)), ids=lambda raw: raw["external_id"])
def test_sanitized_to_text_on_realistic_descriptions(raw):
    sanitized = sanitize_html(raw["description_html"])
    assert sanitized_to_text(sanitized) == html_to_text(sanitized)
