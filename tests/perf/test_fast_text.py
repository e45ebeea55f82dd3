"""Fast paths of the normalizers give exactly what the general functions give."""

import html
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.dataset import postings
from models.normalize import clean_text, html_to_text, sanitize_html, sanitized_to_text

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


JOINERS = "\u200c\u200d"


def reference_clean_text(text: str, max_length: int | None = None) -> str | None:
    """clean_text as first written: character references decoded, then character by
    character, then whitespace regexes; the joiners kept from the first pass, then dropped
    where no word goes on both sides."""
    text = html.unescape(text)
    visible = "".join(
        " " if char.isspace() else char
        for char in text
        if char in JOINERS
        or not (unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") and not char.isspace())
    )
    joined = re.sub(rf"(^|\s)[{JOINERS}]+|[{JOINERS}]+(?=\s|$)", r"\1", visible)
    cleaned = re.sub(r"\s+", " ", joined).strip()
    if max_length is not None and len(cleaned) > max_length:
        cleaned = re.sub(rf"[\s{JOINERS}]+$", "", cleaned[:max_length])
    return cleaned or None


def reference_tidy(text: str) -> str:
    """html_to_text's whitespace rules as first written, with regexes."""
    spaced = re.sub(r"[^\S\n]+", " ", text.replace("\xa0", " "))
    return re.sub(r"\s*\n\s*", "\n", spaced).strip()


SPACES = list("ab é\n\t\r\x0b\x0c\x1c\x1f\x00\x07\x7f\x85\xa0\u2028\u2003\u200b\ufeff")
SPACEY = st.text(alphabet=st.sampled_from(SPACES))
SPACEY_JOINED = st.text(alphabet=st.sampled_from([*SPACES, *JOINERS, "\u202e"]))
REFERENCES = ["&amp;", "&amp;lt;", "&nbsp;", "&#8211;", "&#x202e;", "&#8205;", "&#0;", "&", ";"]
ESCAPED = st.lists(st.sampled_from([*SPACES, *JOINERS, *REFERENCES])).map("".join)


@settings(max_examples=500, deadline=None)
@given(SPACEY_JOINED | ESCAPED, st.none() | st.integers(0, 12))
def test_clean_text_equals_its_first_version(text, max_length):
    assert clean_text(text, max_length) == reference_clean_text(text, max_length)


@settings(max_examples=500, deadline=None)
@given(SPACEY)
def test_html_text_whitespace_rules_equal_their_first_version(text):
    assert html_to_text(f"<p>{html.escape(text)}</p>") == reference_tidy(text)
