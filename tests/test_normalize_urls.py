"""Canonical URLs and apply targets."""

import pytest

from models.normalize import TRACKING_PARAMS, canonical_apply_target, canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://boards.greenhouse.io/acme/jobs/123?gh_jid=123&gh_src=abc",
            "https://boards.greenhouse.io/acme/jobs/123?gh_jid=123",
        ),
        (
            "https://jobs.lever.co/acme/42?lever-source=LinkedIn&lever-origin=applied",
            "https://jobs.lever.co/acme/42",
        ),
        (
            "https://x.com/j?utm_source=nl&utm_medium=email&utm_campaign=w1&id=7",
            "https://x.com/j?id=7",
        ),
        ("https://x.com/j?UTM_SOURCE=nl&id=7", "https://x.com/j?id=7"),
        ("https://x.com/j?fbclid=abc", "https://x.com/j"),
        ("https://x.com/j?gclid=1&msclkid=2&igshid=3", "https://x.com/j"),
        ("https://x.com/j?mc_cid=1&mc_eid=2&mc_other=3", "https://x.com/j"),
        ("https://x.com/j?_hsenc=1&_hsmi=2", "https://x.com/j"),
        ("https://x.com/j?ref=hn&src=tw&source=feed", "https://x.com/j"),
        ("https://x.com/j?b=2&a=1", "https://x.com/j?b=2&a=1"),
        ("https://x.com/j?q=a%2Fb&utm_term=x", "https://x.com/j?q=a%2Fb"),
        ("https://x.com/j?a=1&&b=2", "https://x.com/j?a=1&b=2"),
        ("https://x.com/j?a=&b", "https://x.com/j?a=&b"),
    ],
)
def test_drops_tracking_parameters_and_keeps_the_rest_in_order(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Boards.Greenhouse.IO/acme", "https://boards.greenhouse.io/acme"),
        ("https://x.com:443/j", "https://x.com/j"),
        ("http://x.com:80/j", "http://x.com/j"),
        ("http://x.com:8080/j", "http://x.com:8080/j"),
        ("https://x.com:80/j", "https://x.com:80/j"),
        ("https://x.com", "https://x.com/"),
        ("https://x.com/j#apply", "https://x.com/j"),
        ("https://x.com/careers/#/job/42", "https://x.com/careers/#/job/42"),
        ("  https://x.com/j  \n", "https://x.com/j"),
        ("https://user:secret@x.com/j", "https://x.com/j"),
        ("https://x.com./j", "https://x.com/j"),
        ("https://[::1]:443/j", "https://[::1]/j"),
        ("https://x.com/a b", "https://x.com/a%20b"),
        ("https://x.com/Path/Case", "https://x.com/Path/Case"),
        ("https://x.com/j/", "https://x.com/j/"),
    ],
)
def test_normalizes_scheme_host_port_and_fragment(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "   ",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "mailto:jobs@example.com",
        "ftp://x.com/file",
        "/jobs/42",
        "jobs/42",
        "//x.com/jobs",
        "https://",
        "http:/x.com",
        "https://exa mple.com/",
        "https://x.com\\@evil.com/",
        "https://[::1/",
        "https://x.com:99999/",
        "https://x.com/\x00",
        "not a url",
        42,
    ],
)
def test_rejects_anything_but_absolute_http_urls(url):
    assert canonical_url(url) is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("mailto:jobs@example.com", "mailto:jobs@example.com"),
        ("MAILTO:Jobs@Example.COM", "mailto:Jobs@example.com"),
        ("mailto:jobs@example.com?subject=Hello", "mailto:jobs@example.com"),
        ("mailto:jobs%40example.com", "mailto:jobs@example.com"),
        ("jobs@example.com", "mailto:jobs@example.com"),
        (" careers+ml@acme.co.uk ", "mailto:careers+ml@acme.co.uk"),
        ("https://x.com/apply?utm_source=a", "https://x.com/apply"),
        ("https://x.com/u/@handle", "https://x.com/u/@handle"),
        ("mailto:", None),
        ("mailto:not-an-address", None),
        ("mailto:a@b", None),
        ("jobs@", None),
        ("@example.com", None),
        ("javascript:alert(1)", None),
        ("mailto:\x1bcjobs@example.com", None),  # ESC c resets a terminal listing it
        ("jo\x07bs@example.com", None),
        ("mailto:jobs%0A@example.com", None),
        (None, None),
        ("", None),
    ],
)
def test_apply_target_accepts_http_and_mailto(target, expected):
    assert canonical_apply_target(target) == expected


@pytest.mark.parametrize(
    "name", ["gh_src", "lever-source", "lever-origin", "fbclid", "gclid", "ref"]
)
def test_known_tracking_parameters_are_listed(name):
    assert name in TRACKING_PARAMS


def test_keeps_greenhouse_job_id():
    assert "gh_jid" not in TRACKING_PARAMS
