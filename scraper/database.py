"""The crawler process's database: one engine per URL, shared by the pipeline and the recorder."""

from __future__ import annotations

from functools import cache

import sqlalchemy.orm as so
from scrapy.settings import BaseSettings

from models import config
from models.db import make_engine, writer_session_factory


@cache
def sessions(url: str) -> so.sessionmaker[so.Session]:
    """Session factory for the crawl's DATABASE_URL (the child gets it from the runner)."""
    return writer_session_factory(make_engine(url))


def for_settings(settings: BaseSettings) -> so.sessionmaker[so.Session]:
    """The crawl's database: the runner's JOBBOARD_DATABASE_URL, else DATABASE_URL (scrapyd)."""
    return sessions(settings.get("JOBBOARD_DATABASE_URL") or config.database_url())
