"""Properties every normalizer keeps on arbitrary input."""

from hypothesis import given
from hypothesis import strategies as st

from models.normalize import (
    canonical_apply_target,
    canonical_url,
    clean_text,
    company_slug,
    extract_tags,
    html_to_text,
    normalize_key,
    parse_employment_type,
    parse_location,
    parse_remote,
    parse_salary,
    parse_seniority,
    sanitize_html,
    slugify,
)

salary_like = st.from_regex(
    r"[$€£₹]?\s?\d{1,7}([.,']\d{3})?\s?[kKmM]?"
    r"(\s?[-\u2013]\s?[$€£]?\d{1,7}[kK]?)?( per (year|hour))?",
    fullmatch=True,
)
url_like = st.from_regex(
    r"(https?|HTTP|ftp)://[A-Za-z0-9.-]{1,20}(:\d{1,5})?(/[A-Za-z0-9%._~-]{0,10}){0,3}"
    r"(\?([a-z_]{1,8}=[A-Za-z0-9%]{0,5}&?){0,4})?(#[a-z/!]{0,6})?",
    fullmatch=True,
)


@given(st.text())
def test_text_normalizers_never_raise(text):
    parse_salary(text)
    parse_remote(text, text)
    parse_location(text, country=text)
    parse_employment_type(text)
    parse_seniority(text, text)
    extract_tags(text, extra=[text])
    canonical_url(text)
    canonical_apply_target(text)
    sanitize_html(text)
    html_to_text(text)
    clean_text(text, 20)
    normalize_key(text)
    slugify(text)
    company_slug(text)


@given(st.one_of(st.text(), salary_like))
def test_salary_min_never_exceeds_max(text):
    salary = parse_salary(text)
    if salary.min is not None and salary.max is not None:
        assert salary.min <= salary.max


@given(st.one_of(st.floats(allow_nan=True), st.integers()), st.one_of(st.floats(), st.integers()))
def test_structured_salary_min_never_exceeds_max(minimum, maximum):
    salary = parse_salary(minimum=minimum, maximum=maximum, currency="USD")
    if salary.min is not None and salary.max is not None:
        assert salary.min <= salary.max


@given(st.one_of(st.text(), url_like))
def test_canonical_url_is_idempotent(url):
    once = canonical_url(url)
    if once is not None:
        assert canonical_url(once) == once


@given(st.one_of(st.text(), url_like))
def test_canonical_apply_target_is_idempotent(url):
    once = canonical_apply_target(url)
    if once is not None:
        assert canonical_apply_target(once) == once


@given(st.text())
def test_clean_text_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


@given(st.text())
def test_sanitized_html_has_no_script(text):
    cleaned = sanitize_html(f"<p>{text}</p><script>alert(1)</script>").lower()
    assert "<script" not in cleaned
