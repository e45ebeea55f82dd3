"""The crawler child process: `python -m scraper.crawl RUN_ID:TOKEN...`.

`scraper.runner.crawl` opens the runs (one per source) and starts this process,
which crawls every run's source in one Scrapy process (different hosts at once,
the sources of one host one after another) and records each verdict on its run
row. Running in a fresh process means no Twisted reactor is ever restarted.
"""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from collections.abc import Generator
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.internet.defer import Deferred, inlineCallbacks

from models import config, crawl_runs
from models.tables import CrawlRun, RunStatus
from scraper import database, lifeline
from scraper.overrides import BadOverrides, apply
from scraper.spiders import SPIDERS

logger = logging.getLogger(__name__)


def settings(database_url: str) -> Settings:
    """The project settings plus JOBBOARD_CRAWL_SETTINGS overrides and this crawl's database."""
    result = Settings()
    result.setmodule("scraper.settings", priority="project")
    apply(result, Settings())
    result.set("JOBBOARD_DATABASE_URL", database_url, priority="cmdline")
    return result


def running_runs(database_url: str, keys: list[crawl_runs.RunKey]) -> list[CrawlRun]:
    """The given runs that are still open, with their sources."""
    with database.sessions(database_url)() as session:
        return list(
            session.scalars(
                sa.select(CrawlRun)
                .where(crawl_runs.those(keys), CrawlRun.status == RunStatus.RUNNING)
                .order_by(CrawlRun.id)
            )
        )


def spider_arguments(run: CrawlRun) -> dict[str, str | int]:
    """What a spider is started with, here or as scrapyd spider arguments (scraper.scrapyd)."""
    source = run.source
    return {
        "source_id": source.id,
        "run_id": run.id,
        "run_token": run.token,
        "url": source.url,
        "company": source.company,
    }


def by_host(runs: list[CrawlRun]) -> dict[str, list[CrawlRun]]:
    """Runs grouped by the host their source lives on."""
    groups: dict[str, list[CrawlRun]] = defaultdict(list)
    for run in runs:
        groups[urlsplit(run.source.url).netloc.lower()].append(run)
    return groups


@inlineCallbacks
def crawl_in_turn(process: CrawlerProcess, runs: list[CrawlRun]) -> Generator[Deferred, Any, None]:
    """Crawl one host's sources one after another, so per-domain limits hold across sources."""
    for run in runs:
        try:
            yield process.crawl(SPIDERS[run.source.kind], **spider_arguments(run))
        except Exception:  # the runner fails this run; the host's next sources still run
            logger.exception("crawl of source %s (run %s) crashed", run.source_id, run.id)


def main(argv: list[str]) -> int:
    """Crawl the sources of the given runs, hosts in parallel; each run's row says how it went."""
    lifeline.die_with_parent()
    keys = [(int(run_id), token) for run_id, token in (arg.split(":", 1) for arg in argv)]
    database_url = config.database_url()
    try:
        crawl_settings = settings(database_url)
    except BadOverrides as exc:
        print(exc, file=sys.stderr)  # the runner fails each run with this line
        return 2
    process = CrawlerProcess(crawl_settings)
    for runs in by_host(running_runs(database_url, keys)).values():
        crawl_in_turn(process, runs)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
