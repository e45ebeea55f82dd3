"""Settings read from the environment: a value that cannot mean anything names its variable."""

from __future__ import annotations

import pytest

from models import config
from tests.conftest import set_env


@pytest.mark.parametrize("value", ["abc", "1e3", "2.5", "0", "-1", "3651", "99999999999"])
def test_stale_days_out_of_range_or_not_a_whole_number_is_a_config_error(monkeypatch, value):
    monkeypatch.setenv("JOBBOARD_STALE_DAYS", value)
    with pytest.raises(config.ConfigError, match=r"^JOBBOARD_STALE_DAYS must be a whole number"):
        config.stale_days()


@pytest.mark.parametrize(
    ("value", "days"), [(None, 45), ("", 45), ("1", 1), (" 30 ", 30), ("3650", 3650)]
)
def test_stale_days_is_a_whole_number_of_days_from_1_to_3650_unset_meaning_45(
    monkeypatch, value, days
):
    set_env(monkeypatch, "JOBBOARD_STALE_DAYS", value)
    assert config.stale_days() == days


@pytest.mark.parametrize(
    "value",
    [
        "jobs.example.com",
        "/jobs",
        "ftp://x",
        "http://a b",
        "http://a\tb",
        "http://",
        "https:///jobs",
        "http://x:abc",
        "http://x/?ref=mail",
        "http://x/#jobs",
        "http://user:secret@x",
    ],
)
def test_a_base_url_that_is_no_absolute_http_url_with_a_host_is_a_config_error(monkeypatch, value):
    monkeypatch.setenv("JOBBOARD_BASE_URL", value)
    with pytest.raises(config.ConfigError) as raised:
        config.base_url()
    assert str(raised.value) == (
        "JOBBOARD_BASE_URL must be an absolute http(s) URL with a host and no spaces, "
        f"such as https://jobs.example.com, not {value!r}"
    )


@pytest.mark.parametrize(
    ("value", "url"),
    [
        (None, "http://127.0.0.1:8000"),
        ("", "http://127.0.0.1:8000"),
        ("https://jobs.example.com/", "https://jobs.example.com"),
        (" https://example.com/jobs// ", "https://example.com/jobs"),
        ("HTTP://127.0.0.1:8105", "http://127.0.0.1:8105"),
    ],
)
def test_the_base_url_is_an_http_url_without_its_trailing_slash_unset_meaning_local(
    monkeypatch, value, url
):
    set_env(monkeypatch, "JOBBOARD_BASE_URL", value)
    assert config.base_url() == url


@pytest.mark.parametrize("value", ["scrapyd:6800", "127.0.0.1:6800", "ftp://x", "http://a b"])
def test_a_scrapyd_url_that_is_no_absolute_http_url_with_a_host_is_a_config_error(
    monkeypatch, value
):
    monkeypatch.setenv("JOBBOARD_SCRAPYD_URL", value)
    with pytest.raises(config.ConfigError, match=r"^JOBBOARD_SCRAPYD_URL must be an absolute"):
        config.scrapyd_url()


@pytest.mark.parametrize(
    ("value", "url"),
    [(None, None), ("", None), (" ", None), ("http://127.0.0.1:6800/", "http://127.0.0.1:6800")],
)
def test_the_scrapyd_url_is_an_http_url_unset_meaning_crawls_run_here(monkeypatch, value, url):
    set_env(monkeypatch, "JOBBOARD_SCRAPYD_URL", value)
    assert config.scrapyd_url() == url
