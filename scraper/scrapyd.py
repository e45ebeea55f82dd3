"""Crawls on scrapyd, for when one machine is not enough: JOBBOARD_SCRAPYD_URL turns it on.

Nothing else changes: the runner still takes the source locks and opens the runs;
each run becomes one scrapyd job of its source kind's spider, started with the same
spider arguments as a local crawl (source id, run id, URL, company) plus this crawl's
JOBBOARD_CRAWL_SETTINGS as Scrapy settings, so the spider records its run exactly as it
does locally. The runner holds the locks until every job has finished, and cancels
the jobs on a timeout or a stop request. The scrapyd node needs the project deployed
(`scrapyd-deploy`, see scrapy.cfg), jobboard's dependencies installed and DATABASE_URL set.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

import requests

from models.tables import CrawlRun
from scraper.crawl import spider_arguments
from scraper.overrides import overrides

PROJECT_ENV = "JOBBOARD_SCRAPYD_PROJECT"
POLL_SECONDS = 1.0
REQUEST_TIMEOUT = 10.0  # a hung scrapyd must not hang the clock
FINISHED = "finished"


class ScrapydError(RuntimeError):
    """scrapyd did not answer "ok"."""


def project() -> str:
    return os.environ.get(PROJECT_ENV, "jobboard")


def job_arguments(run: CrawlRun) -> list[tuple[str, str]]:
    """schedule.json fields: project, spider, the spider's arguments, each overridden setting."""
    spider = [(name, str(value)) for name, value in spider_arguments(run).items()]
    settings = [
        ("setting", f"{name}={value if isinstance(value, str) else json.dumps(value)}")
        for name, value in overrides().items()
    ]
    return [("project", project()), ("spider", run.source.kind), *spider, *settings]


class Scrapyd:
    """The calls of scrapyd's JSON API the runner needs, each with a timeout."""

    def __init__(self, server: str) -> None:
        self.server = server.rstrip("/")
        self.http = requests.Session()

    def schedule(self, run: CrawlRun) -> str:
        return self._call("POST", "schedule", job_arguments(run))["jobid"]

    def state(self, job: str) -> str:
        return self._call("GET", "status", [("project", project()), ("job", job)])["currstate"]

    def cancel(self, job: str) -> None:
        self._call("POST", "cancel", [("project", project()), ("job", job)])

    def _call(self, method: str, endpoint: str, fields: list[tuple[str, str]]) -> dict:
        where = {"params" if method == "GET" else "data": fields}
        reply = self.http.request(
            method, f"{self.server}/{endpoint}.json", timeout=REQUEST_TIMEOUT, **where
        )
        try:
            body = reply.json()
        except ValueError as exc:
            raise ScrapydError(f"HTTP {reply.status_code} from {endpoint}.json") from exc
        if body.get("status") != "ok":
            raise ScrapydError(f"{endpoint}.json said: {body.get('message', body)}")
        return body


def crawl(server: str, runs: list[CrawlRun], cut_short: Callable[[], str | None]) -> str | None:
    """Run each run as a scrapyd job and wait for all; returns why they did not end normally."""
    scrapyd = Scrapyd(server)
    try:
        jobs = [scrapyd.schedule(run) for run in runs]
        while not all(scrapyd.state(job) == FINISHED for job in jobs):
            if (reason := cut_short()) is not None:
                for job in jobs:
                    scrapyd.cancel(job)
                return reason
            time.sleep(POLL_SECONDS)
    except (requests.RequestException, ScrapydError) as exc:
        return f"scrapyd at {server} failed: {exc}"[:500]
    return None
