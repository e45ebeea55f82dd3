"""`jobboard crawl` and `jobboard runs`: the child-process crawl from the command line,
run bookkeeping that survives dead crawlers and concurrent crawls."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from models.tables import CrawlRun, Job, RunStatus
from models.types import utcnow
from scraper.runner import crawl

GREENHOUSE = "/greenhouse/v1/boards/acme/jobs?content=true"


def open_run(sessions, source_id: int, *, heartbeat_age: timedelta) -> int:
    """A run left `running` by a crawler whose last heartbeat was `heartbeat_age` ago."""
    beat = utcnow() - heartbeat_age
    with sessions() as session:
        run = CrawlRun(source_id=source_id, started_at=beat, heartbeat_at=beat)
        session.add(run)
        session.commit()
        return run.id


def run_row(sessions, run_id: int) -> CrawlRun:
    with sessions() as session:
        return session.get(CrawlRun, run_id)


def test_crawl_prints_one_line_per_source_and_fails_on_a_failed_source(cli, add_source) -> None:
    good = add_source("greenhouse", GREENHOUSE, "Acme AI")
    bad = add_source("lever", "/status/404/v0/postings/gone?mode=json", "Gone AI")
    result = cli("crawl", str(good), str(bad))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        f"source {good} Acme AI (greenhouse): succeeded [run 1] "
        "scraped 3, created 3, updated 0, unchanged 0, closed 0, rejected 0"
    )
    assert lines[1].startswith(f"source {bad} Gone AI (lever): failed [run 2] scraped 0")
    assert lines[2].strip().startswith("HTTP 404 from http://127.0.0.1:")


def test_crawl_all_crawls_enabled_sources_and_exits_0(cli, add_source, sessions) -> None:
    add_source("greenhouse", GREENHOUSE, "Acme AI")
    add_source("recruitee", "/recruitee/api/offers/", "DeepL")
    result = cli("crawl", "--all")
    assert result.exit_code == 0, result.output
    assert [line.split(":")[1].split()[0] for line in result.output.splitlines()] == [
        "succeeded",
        "succeeded",
    ]
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 5


def test_crawl_needs_ids_or_all_and_known_ids(cli, add_source) -> None:
    assert "give SOURCE_IDS or --all" in cli("crawl").output
    add_source("greenhouse", GREENHOUSE, "Acme AI")
    unknown = cli("crawl", "1", "42")
    assert unknown.exit_code == 1
    assert "no source with id 42" in unknown.output


def test_runs_fails_runs_whose_crawler_died(cli, add_source, sessions) -> None:
    source = add_source("greenhouse", GREENHOUSE, "Acme AI")
    dead = open_run(sessions, source, heartbeat_age=timedelta(hours=2))
    alive = open_run(sessions, add_source("recruitee", "/x", "X"), heartbeat_age=timedelta(0))
    result = cli("runs")
    assert result.exit_code == 0
    assert "1 run(s) without a heartbeat marked failed" in result.output
    assert f"run {dead:>5}" in result.output
    assert "crawler died: no heartbeat since" in result.output
    assert run_row(sessions, dead).status == RunStatus.FAILED
    assert run_row(sessions, dead).finished_at is not None
    assert run_row(sessions, alive).status == RunStatus.RUNNING


def test_a_new_crawl_fails_the_stale_run_and_takes_over(add_source, db_url, sessions) -> None:
    source = add_source("greenhouse", GREENHOUSE, "Acme AI")
    dead = open_run(sessions, source, heartbeat_age=timedelta(hours=1))
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == RunStatus.SUCCEEDED
    assert summary.run_id != dead
    assert run_row(sessions, dead).status == RunStatus.FAILED


def test_a_source_being_crawled_is_skipped_not_crawled_twice(
    cli, add_source, sessions, ats
) -> None:
    source = add_source("greenhouse", GREENHOUSE, "Acme AI")
    live = open_run(sessions, source, heartbeat_age=timedelta(seconds=5))
    result = cli("crawl", str(source))
    assert result.exit_code == 0
    assert f"source {source} Acme AI (greenhouse): skipped [run {live}]" in result.output
    assert f"already being crawled by run #{live}" in result.output
    assert ats.requests == []
    assert run_row(sessions, live).status == RunStatus.RUNNING


def test_concurrent_crawls_of_one_source_make_one_set_of_jobs(add_source, db_url, sessions) -> None:
    source = add_source("smartrecruiters", "/smartrecruiters/v1/companies/Synthesia/postings", "S")
    results: list = []
    threads = [
        threading.Thread(target=lambda: results.extend(crawl([source], database_url=db_url)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(summary.status for summary in results) in (
        ["skipped", "succeeded"],
        ["succeeded", "succeeded"],  # the second started after the first had finished
    )
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 3
        runs = session.scalars(sa.select(CrawlRun.status)).all()
    assert RunStatus.RUNNING not in runs


@pytest.mark.parametrize("value", ["not json", "[1]", '"DOWNLOAD_TIMEOUT"'])
def test_bad_crawl_settings_are_one_message_and_open_no_run(cli, add_source, session, value):
    source = add_source("greenhouse", GREENHOUSE, "Acme AI")
    result = cli("crawl", str(source), env={"JOBBOARD_CRAWL_SETTINGS": value})
    assert result.exit_code == 1 and "JOBBOARD_CRAWL_SETTINGS" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(CrawlRun)) == 0


@pytest.mark.parametrize(
    "setting",
    [
        {"DOWNLOAD_TIMEOUT": "abc"},
        {"ROBOTSTXT_OBEY": "maybe"},
        {"DEFAULT_REQUEST_HEADERS": 5},
        {"RETRY_HTTP_CODES": "x"},  # a list whose element Scrapy cannot read as it starts
        {"ITEM_PIPELINES": {"scraper.pipelines.Gone": 300}},
    ],
)
def test_a_crawl_setting_scrapy_cannot_read_fails_the_run_naming_it(
    cli, add_source, sessions, ats, setting
):
    source = add_source("greenhouse", GREENHOUSE, "Acme AI")
    result = cli("crawl", str(source), env={"JOBBOARD_CRAWL_SETTINGS": json.dumps(setting)})
    (name,) = setting
    assert result.exit_code == 1
    assert f"JOBBOARD_CRAWL_SETTINGS: {name} must be" in result.output
    with sessions() as session:
        run = session.scalars(sa.select(CrawlRun)).one()
    assert run.status == RunStatus.FAILED and f"{name} must be" in run.errors[0]
    assert ats.requests == []
