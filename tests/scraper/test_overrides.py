"""JOBBOARD_CRAWL_SETTINGS read as Scrapy will read it, before any crawl starts."""

from __future__ import annotations

import json

import pytest
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from scraper.overrides import BadOverrides, apply


def applied(monkeypatch: pytest.MonkeyPatch, **overrides: object) -> Settings:
    """The project settings with these overrides, as the crawler builds them."""
    monkeypatch.setenv("JOBBOARD_CRAWL_SETTINGS", json.dumps(overrides))
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    apply(settings, Settings())
    return settings


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("RETRY_HTTP_CODES", "x", "a list of HTTP status codes (whole numbers 100 to 599)"),
        ("RETRY_HTTP_CODES", [500, "x"], "a list of HTTP status codes"),
        ("RETRY_HTTP_CODES", [500, None], "a list of HTTP status codes"),
        ("RETRY_HTTP_CODES", [500, 600], "a list of HTTP status codes"),
        ("RETRY_HTTP_CODES", [True], "a list of HTTP status codes"),
        ("HTTPERROR_ALLOWED_CODES", ["404x"], "a list of HTTP status codes"),
        ("TELNETCONSOLE_PORT", ["x"], "a list of whole numbers"),
        ("RETRY_EXCEPTIONS", ["TimeoutError"], "a list of import paths of classes"),
        ("METAREFRESH_IGNORE_TAGS", [None], "a list of strings"),
        ("SPIDER_MODULES", [1.5], "a list of strings"),
        ("ITEM_PIPELINES", {"scraper.pipelines.IngestPipeline": "first"}, "a JSON object of"),
        ("ITEM_PIPELINES", {"scraper.pipelines.Nope": 300}, "a JSON object of"),
        ("DOWNLOADER_MIDDLEWARES", {"x": 300}, "a JSON object of class paths"),
        ("EXTENSIONS", "x", "a JSON object of class paths to numbers or null"),
        ("SCHEDULER", "no.such.Scheduler", "the import path of a class"),
        ("TWISTED_DNS_RESOLVER", 5, "the import path of a class"),
        ("ASYNCIO_EVENT_LOOP", "uvloop_typo.Loop", "the import path of a class, or null"),
        ("DOWNLOAD_HANDLERS", {"s3": "no.such.Handler"}, "a JSON object of URL schemes"),
        ("REFERRER_POLICY", "sometimes", "a referrer policy name or class path"),
        ("LOG_LEVEL", "LOUD", "a logging level"),
        ("LOG_LEVEL", "info", "a logging level"),
        ("LOG_FORMAT", "x", "a logging format"),
        ("RETRY_TIMES", float("inf"), "a finite number"),
        ("DOWNLOAD_TIMEOUT", -1, "a finite number of 0 or more"),
        ("CONCURRENT_REQUESTS_PER_DOMAIN", 0, "a finite number of 1 or more"),
        ("REACTOR_THREADPOOL_MAXSIZE", -1, "a finite number of 1 or more"),
        ("DOWNLOAD_DELAY", "NaN", "a finite number"),
        ("CONCURRENT_REQUESTS", "many", "a finite number"),
    ],
)
def test_a_value_scrapy_would_crash_on_is_named_with_what_it_must_be(
    monkeypatch, name, value, expected
):
    with pytest.raises(BadOverrides) as error:
        applied(monkeypatch, **{name: value})
    assert str(error.value).startswith(f"JOBBOARD_CRAWL_SETTINGS: {name} must be {expected}")
    assert f"not {value!r}" in str(error.value)


def test_a_class_path_that_cannot_be_imported_says_why(monkeypatch):
    with pytest.raises(BadOverrides, match=r"\(cannot import it: No module named 'no'\)$"):
        applied(monkeypatch, SCHEDULER="no.such.Scheduler")


def test_credentials_for_no_domain_are_refused_before_scrapy_refuses_to_start(monkeypatch):
    with pytest.raises(BadOverrides, match="HTTPAUTH_USER and HTTPAUTH_PASS need HTTPAUTH_DOMAIN"):
        applied(monkeypatch, HTTPAUTH_USER="bot", HTTPAUTH_PASS="secret")
    settings = applied(monkeypatch, HTTPAUTH_USER="bot", HTTPAUTH_DOMAIN="boards.example")
    assert settings.get("HTTPAUTH_USER") == "bot"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RETRY_HTTP_CODES", [500, "503"]),
        ("RETRY_HTTP_CODES", "500,503"),
        ("HTTPERROR_ALLOWED_CODES", [404]),
        ("RETRY_EXCEPTIONS", ["builtins.TimeoutError"]),
        ("ITEM_PIPELINES", {"scraper.pipelines.IngestPipeline": 300, "x.Gone": None}),
        ("SCHEDULER", "scrapy.core.scheduler.Scheduler"),
        ("ASYNCIO_EVENT_LOOP", None),
        ("DOWNLOAD_HANDLERS", {"s3": None}),
        ("REFERRER_POLICY", "no-referrer"),
        ("LOG_LEVEL", "WARNING"),
        ("LOG_LEVEL", 30),
        ("LOG_FORMAT", "%(levelname)s: %(message)s"),
        ("USER_AGENT", "jobboard-test"),
        ("RETRY_PRIORITY_ADJUST", -2),
        ("DOWNLOAD_DELAY", 0),
    ],
)
def test_a_value_scrapy_reads_is_set(monkeypatch, name, value):
    settings = applied(monkeypatch, **{name: value})
    assert settings.getpriority(name) == SETTINGS_PRIORITIES["cmdline"]


@pytest.mark.parametrize(("value", "number"), [("1e3", 1000), ("2.5", 2.5), (3, 3), ("7", 7)])
def test_a_number_given_as_text_is_handed_on_as_a_number(monkeypatch, value, number):
    """Scrapy reads RETRY_TIMES with int(), which "1e3" crashed; as a number it reads it."""
    settings = applied(monkeypatch, RETRY_TIMES=value)
    assert settings.get("RETRY_TIMES") == number
    assert settings.getint("RETRY_TIMES") == int(number)
