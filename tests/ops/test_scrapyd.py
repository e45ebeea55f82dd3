"""Crawls on scrapyd: the project egg deployed by scrapyd-deploy to a local scrapyd, crawled there.

The crawl-run row and the stored jobs must be the same as those of a local crawl: the
runner opens the run either way and the spider records it either way.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from packaging.requirements import Requirement

from models.tables import CrawlRun, Job, Listing
from scraper.runner import crawl
from scraper.spiders import SPIDERS
from tests.conftest import truncate_all
from tests.ops.conftest import GREENHOUSE, ROOT, free_port, store_source, wait_http

PROJECT = (
    "pyproject.toml",
    "setup.py",
    "scrapy.cfg",
    "README.md",
    "api",
    "models",
    "scraper",
    "scheduler",
)


@pytest.fixture
def scrapyd(tmp_path: Path, processes, pg_url: str) -> str:
    """A scrapyd on a free port, its eggs, logs and queue under tmp_path; returns its URL."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\n"
        f"eggs_dir = {home}/eggs\nlogs_dir = {home}/logs\ndbs_dir = {home}/dbs\n"
    )
    server = processes(
        sys.executable, "-m", "scrapyd", env={"DATABASE_URL": pg_url}, name="scrapyd", cwd=home
    )
    url = f"http://127.0.0.1:{port}/"
    wait_http(url + "daemonstatus.json", process=server)
    return url


def deploy(scrapyd: str, tmp_path: Path) -> dict:
    """`scrapyd-deploy` from a copy of the project (its egg build writes build files)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, project / name)
    result = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy"],
        cwd=project,
        env={**os.environ, "JOBBOARD_SCRAPYD_URL": scrapyd},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def snapshot(pg_url: str) -> tuple:
    """The crawl's record without ids and times: the run's verdict and every stored job."""
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        [run] = conn.execute(
            sa.select(
                CrawlRun.status,
                CrawlRun.finish_reason,
                CrawlRun.scraped,
                CrawlRun.created,
                CrawlRun.updated,
                CrawlRun.unchanged,
                CrawlRun.closed,
                CrawlRun.rejected,
                CrawlRun.errors,
            )
        ).all()
        jobs = conn.execute(
            sa.select(
                Job.title, Job.status, Job.apply_url, Job.fingerprint, Job.content_hash
            ).order_by(Job.title)
        ).all()
        listings = conn.execute(
            sa.select(
                Listing.external_id, Listing.url, Listing.payload, Listing.payload_hash
            ).order_by(Listing.external_id)
        ).all()
    engine.dispose()
    return tuple(run), jobs, listings


def test_a_crawl_on_scrapyd_records_the_same_run_and_jobs_as_a_local_crawl(
    scrapyd, tmp_path, pg_url, pg_sessions_of, ats, monkeypatch
) -> None:
    deployed = deploy(scrapyd, tmp_path)
    assert (deployed["status"], deployed["project"]) == ("ok", "jobboard")
    assert deployed["spiders"] == len(SPIDERS)

    source = store_source(pg_sessions_of, ats.url(GREENHOUSE))
    monkeypatch.setenv("JOBBOARD_SCRAPYD_URL", scrapyd)
    [remote] = crawl([source], database_url=pg_url, timeout=60)
    assert remote.status == "succeeded", remote.errors
    jobs = requests.get(scrapyd + "listjobs.json", params={"project": "jobboard"}).json()
    assert [job["spider"] for job in jobs["finished"]] == ["greenhouse"]
    on_scrapyd = snapshot(pg_url)

    truncate_all(pg_url)
    assert store_source(pg_sessions_of, ats.url(GREENHOUSE)) == source
    monkeypatch.delenv("JOBBOARD_SCRAPYD_URL")
    [local] = crawl([source], database_url=pg_url, timeout=60)
    assert local.status == "succeeded"
    assert snapshot(pg_url) == on_scrapyd
    assert len(on_scrapyd[1]) == 3


@pytest.mark.parametrize("extra", ["scrapyd", "test"])
def test_the_extras_that_deploy_to_scrapyd_install_a_setuptools_that_builds_the_egg(
    extra: str,
) -> None:
    """scrapyd-deploy runs setup.py with the installed setuptools, not pip's isolated one: a
    fresh Python 3.11 venv's (65) refuses pyproject's `license = "MIT"`, which 77 reads."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    [setuptools] = [
        requirement
        for requirement in map(Requirement, project["optional-dependencies"][extra])
        if requirement.name == "setuptools"
    ]
    allowed = [
        v for v in ("65.5.0", "76.1.0", "77.0.3", "80.10.2", "81.0.0") if v in setuptools.specifier
    ]
    assert allowed == ["77.0.3", "80.10.2"]
