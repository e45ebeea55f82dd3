"""The crawler child process: `python -m scraper.crawl RUN_ID...`.

`scraper.runner.crawl` opens the runs (one per source) and starts this process,
which crawls every run's source in one Scrapy process and records each verdict on
its run row. Running in a fresh process means no Twisted reactor is ever restarted.
"""

from __future__ import annotations

import json
import os
import sys

import sqlalchemy as sa
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from models import config
from models.tables import CrawlRun, RunStatus
from scraper import database
from scraper.spiders import SPIDERS

OVERRIDES_ENV = "JOBBOARD_CRAWL_SETTINGS"


def settings(database_url: str) -> Settings:
    """The project settings plus JOBBOARD_CRAWL_SETTINGS overrides and this crawl's database."""
    result = Settings()
    result.setmodule("scraper.settings", priority="project")
    overrides = json.loads(os.environ.get(OVERRIDES_ENV) or "{}")
    result.setdict(overrides, priority="cmdline")
    result.set("JOBBOARD_DATABASE_URL", database_url, priority="cmdline")
    return result


def running_runs(database_url: str, run_ids: list[int]) -> list[CrawlRun]:
    """The given runs that are still open, with their sources."""
    with database.sessions(database_url)() as session:
        return list(
            session.scalars(
                sa.select(CrawlRun)
                .where(CrawlRun.id.in_(run_ids), CrawlRun.status == RunStatus.RUNNING)
                .order_by(CrawlRun.id)
            )
        )


def main(argv: list[str]) -> int:
    """Crawl the sources of the given runs; each run's row says how it went."""
    run_ids = [int(arg) for arg in argv]
    database_url = config.database_url()
    process = CrawlerProcess(settings(database_url))
    for run in running_runs(database_url, run_ids):
        source = run.source
        process.crawl(
            SPIDERS[source.kind],
            source_id=source.id,
            run_id=run.id,
            url=source.url,
            company=source.company,
        )
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
