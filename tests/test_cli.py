"""The `jobboard` command on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import migrate
from models.tables import CrawlRun, Job, Source


def test_every_command_has_help(cli):
    for command in ("db", "serve", "run", "demo", "scheduler", "expire"):
        result = cli(command, "--help")
        assert result.exit_code == 0, command
        assert "Usage:" in result.output


def test_db_upgrade_is_repeatable(cli):
    assert cli("db", "upgrade").exit_code == 0
    assert cli("db", "upgrade").exit_code == 0


def test_demo_loads_the_bundled_postings_through_ingest(cli, session):
    result = cli("demo")
    assert result.exit_code == 0, result.output
    assert "48 created" in result.output and "0 rejected" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 48
    featured = session.scalar(
        sa.select(sa.func.count()).select_from(Job).where(Job.featured_until.is_not(None))
    )
    assert featured == 4


def test_demo_twice_changes_nothing(cli, session):
    cli("demo")
    before = session.execute(
        sa.select(Job.id, Job.updated_at, Job.content_hash).order_by(Job.id)
    ).all()
    result = cli("demo")
    assert "0 created, 0 updated, 48 unchanged" in result.output
    after = session.execute(
        sa.select(Job.id, Job.updated_at, Job.content_hash).order_by(Job.id)
    ).all()
    assert before == after


@pytest.mark.parametrize(
    "args",
    [("expire",), ("newsletter",), ("demo",), ("sponsors", "list"), ("sources", "list"), ("runs",)],
)
@pytest.mark.parametrize(
    "url",
    ["not-a-url", "mysql://user@127.0.0.1/jobs", "postgresql+psycopg://postgres@127.0.0.1:1/none"],
)
def test_an_unusable_database_url_is_one_line_and_exit_1(cli, url, args):
    result = cli(*args, env={"DATABASE_URL": url})
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_a_database_without_tables_says_to_run_db_upgrade(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = cli("sponsors", "list", env={"DATABASE_URL": url})
    assert result.exit_code == 1 and "run `jobboard db upgrade`" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("sources", "remove", "2147483648"),
        ("crawl", "9223372036854775808"),
        ("sponsors", "trust", "2147483648"),
        ("sponsors", "revoke", "0"),
    ],
)
def test_an_id_no_row_can_have_is_a_usage_error(cli, args):
    result = cli(*args)
    assert result.exit_code == 2 and "is not in the range" in result.output


@pytest.mark.parametrize("timeout", ["0", "-1", "nan", "inf"])
def test_a_crawl_timeout_must_be_a_positive_number_of_seconds(cli, timeout):
    result = cli("crawl", "--timeout", timeout, "1")
    assert result.exit_code == 2 and "--timeout" in result.output


@pytest.mark.parametrize("command", ["serve", "run"])
@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("--workers", "0"), "--workers"),
        (("--bind", "127.0.0.1:99999"), "port from 1 to 65535"),
        (("--bind", "localhost"), "HOST:PORT"),
    ],
)
def test_serving_options_are_checked_before_gunicorn_starts(cli, command, args, reason):
    result = cli(command, *args)
    assert result.exit_code == 2 and reason in result.output


@pytest.fixture
def no_server_starts(monkeypatch):
    """`serve` and `run` must refuse before they migrate or start gunicorn or the clock."""
    from api.commands import serve

    def started(*args, **kwargs):
        raise AssertionError("the server was started")

    monkeypatch.setattr(serve.os, "execv", started)
    monkeypatch.setattr(serve.subprocess, "Popen", started)
    monkeypatch.setattr(serve.migrate, "upgrade", started)
    monkeypatch.setenv("JOBBOARD_BASE_URL", "")  # `run` sets it from --bind: undone after


@pytest.mark.parametrize("command", ["serve", "run"])
def test_serve_and_run_name_a_bad_proxy_hops_in_one_line_before_starting(
    cli, no_server_starts, command
):
    result = cli(command, env={"JOBBOARD_PROXY_HOPS": "-1"})
    assert result.exit_code == 1
    assert result.output == (
        "Error: JOBBOARD_PROXY_HOPS must be a whole number of proxies from 0 to 5, not '-1'\n"
    )


@pytest.mark.parametrize("command", ["serve", "run", "newsletter"])
def test_a_base_url_that_is_no_absolute_http_url_is_one_line_naming_it(
    cli, no_server_starts, command
):
    result = cli(command, env={"JOBBOARD_BASE_URL": "jobs.example.com"})
    assert result.exit_code == 1
    assert result.output.startswith("Error: JOBBOARD_BASE_URL must be an absolute http(s) URL")
    assert result.output.count("\n") == 1


@pytest.mark.parametrize("command", ["serve", "run"])
def test_a_rate_limit_storage_of_no_known_kind_is_one_line_naming_it(
    cli, no_server_starts, command
):
    result = cli(command, env={"RATELIMIT_STORAGE_URI": "bogus://x"})
    assert result.exit_code == 1
    assert result.output.startswith("Error: RATELIMIT_STORAGE_URI must be a storage URI")
    assert result.output.count("\n") == 1


def test_a_web_concurrency_that_is_not_a_number_is_one_line(cli):
    result = cli("serve", "--workers", "1", env={"WEB_CONCURRENCY": "abc"})
    assert result.exit_code == 1 and "WEB_CONCURRENCY must be a whole number" in result.output


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("PORT", "abc", "PORT must be a port number from 1 to 65535, not 'abc'"),
        ("PORT", "0", "PORT must be a port number from 1 to 65535, not '0'"),
        (
            "WEB_CONCURRENCY",
            "abc",
            "WEB_CONCURRENCY must be a whole number of workers from 1 to 64",
        ),
        ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY must be a whole number of workers from 1 to 64"),
    ],
)
def test_serve_names_a_bad_port_or_web_concurrency_in_one_line(
    cli, no_server_starts, name, value, reason
):
    result = cli("serve", env={name: value})
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {reason}") and result.output.count("\n") == 1


def test_db_upgrade_says_the_revision_the_database_is_really_at(cli):
    cli("db", "upgrade")
    result = cli("db", "upgrade", "--revision", "base")  # upgrade cannot go down
    assert result.exit_code == 0 and result.output == f"database at {migrate.current()}\n"


def test_db_upgrade_to_a_revision_that_does_not_exist_says_why(cli):
    result = cli("db", "upgrade", "--revision", "head+5")
    assert result.exit_code == 1
    assert result.output.strip() != "Error: migration failed:"


@pytest.mark.parametrize("value", ["abc", "0", "99999999999"])
def test_expire_with_a_bad_stale_days_names_the_variable_and_its_range(cli, value):
    result = cli("expire", env={"JOBBOARD_STALE_DAYS": value})
    assert result.exit_code == 1
    assert result.output == (
        f"Error: JOBBOARD_STALE_DAYS must be a whole number of days from 1 to 3650, not {value!r}\n"
    )


@pytest.mark.parametrize("command", [("db", "upgrade"), ("serve",)])
def test_jobboard_installed_apart_from_its_checkout_says_how_to_install_it(
    cli, monkeypatch, tmp_path, command
):
    """`pip install .` copies the code only: migrations, templates and gunicorn.conf.py stay."""
    from models import config

    monkeypatch.setattr(config, "ROOT", tmp_path)
    result = cli(*command)
    assert result.exit_code == 1
    assert "runs from its source checkout" in result.output
    assert "pip install --no-deps -e ." in result.output


@pytest.mark.parametrize(
    "variable, value",
    [
        ("JOBBOARD_BASE_URL", "ftp://jobs.example.com"),  # the crawler's User-Agent names it
        ("JOBBOARD_STALE_DAYS", "-5"),  # the ingest dates sightings by it
        ("JOBBOARD_SCRAPYD_URL", "scrapyd:6800"),  # where the runs would be crawled
    ],
)
def test_a_crawl_with_a_bad_setting_names_it_before_opening_any_run(
    cli, monkeypatch, session, variable, value
):
    monkeypatch.setenv(variable, value)
    session.add(Source(kind="lever", url="https://api.lever.example/v0/postings/a", company="A"))
    session.commit()
    result = cli("crawl", "--all")
    assert result.exit_code == 1 and variable in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(CrawlRun)) == 0


@pytest.mark.parametrize("command", [("scheduler",), ("serve",), ("run",)])
def test_a_bad_stale_days_stops_a_long_running_process_at_its_start(cli, monkeypatch, command):
    monkeypatch.setenv("JOBBOARD_STALE_DAYS", "-5")
    monkeypatch.setenv("JOBBOARD_BASE_URL", "http://127.0.0.1:8000")  # `run` would set it
    result = cli(*command)
    assert result.exit_code == 1 and "JOBBOARD_STALE_DAYS" in result.output


@pytest.mark.parametrize("command", [("scheduler",), ("run",)])
@pytest.mark.parametrize(
    "variable, value",
    [
        ("JOBBOARD_CRAWL_SETTINGS", "{bad"),
        ("JOBBOARD_CRAWL_SETTINGS", "[1]"),
        ("JOBBOARD_BASE_URL", "jobs.example.com"),
        ("JOBBOARD_SCRAPYD_URL", "scrapyd:6800"),
    ],
)
def test_a_bad_crawl_setting_stops_the_clock_at_its_start(
    cli, monkeypatch, command, variable, value
):
    """The clock crawls every minute: a setting every crawl refuses is one line at its start,
    not a traceback a minute while no source is ever crawled."""
    import scheduler
    from api.commands import serve

    def started(*args, **kwargs):
        raise AssertionError("started with a setting no crawl can run with")

    monkeypatch.setattr(scheduler, "run", started)
    monkeypatch.setattr(serve.migrate, "upgrade", started)
    monkeypatch.setenv(variable, value)
    result = cli(*command)
    assert result.exit_code == 1 and variable in result.output, result.output
