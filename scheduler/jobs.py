"""What the clock does, as plain methods: APScheduler calls them on a timer, tests directly.

Every decision reads the database and `now` (injectable), never the clock's memory:
a source is due when its last crawl run began an interval ago (models.schedule), and
expiry and the end of featured placements are bulk updates at `now`. So a restarted
clock, or a second one, reaches the same decisions; the per-source crawl lock
(models.locks, taken inside scraper.runner.crawl) keeps two clocks, or a clock and a
manual `jobboard crawl`, from crawling one source at the same time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import crawl_runs, lifecycle, reread, schedule
from models.db import make_engine, session_scope, writer_session_factory
from models.types import utcnow
from scraper import runner

log = logging.getLogger("jobboard.clock")

CRAWL_TIMEOUT = timedelta(hours=1)  # a crawl still running after this is stopped and failed

T = TypeVar("T")


@dataclass(frozen=True)
class Upkeep:
    """What one upkeep pass changed."""

    dead_runs_failed: int
    jobs_expired: int
    featuring_ended: int
    sponsor_postings_reread: int


def upkeep(sessions: so.sessionmaker[so.Session], now: datetime) -> Upkeep:
    """Fail runs whose crawler died, expire stale jobs, end passed featured placements, read
    sponsor postings stored under older normalizing rules again."""
    with session_scope(sessions) as session:
        return Upkeep(
            dead_runs_failed=crawl_runs.fail_stale(session, now=now),
            jobs_expired=lifecycle.expire_stale(session, now=now),
            featuring_ended=lifecycle.end_featuring(session, now=now),
            sponsor_postings_reread=reread.reread_sponsor_postings(session, now=now),
        )


class Clock:
    """The clock's jobs on one database; `stop()` makes a running crawl end within seconds."""

    def __init__(self, database_url: str, *, now: Callable[[], datetime] = utcnow) -> None:
        self.database_url = database_url
        self.now = now
        self.engine = make_engine(database_url)
        self.sessions = writer_session_factory(self.engine)
        self.stopping = threading.Event()

    def crawl_due(self) -> list[runner.RunSummary]:
        """Crawl every enabled source whose interval has passed, all in one crawler process."""
        if self.stopping.is_set():
            return []
        return _unless_database_fails("crawl", self._crawl_due, [])

    def _crawl_due(self) -> list[runner.RunSummary]:
        with self.sessions() as session:
            due = [source.id for source in schedule.due_sources(session, self.now())]
        if not due:
            return []
        log.info("crawling due sources", extra={"source_ids": due})
        summaries = runner.crawl(
            due,
            database_url=self.database_url,
            timeout=CRAWL_TIMEOUT.total_seconds(),
            stop=self.stopping,
        )
        for summary in summaries:
            log.info("crawl %s", summary.status, extra=_fields(summary))
        return summaries

    def upkeep(self) -> Upkeep | None:
        """One upkeep pass at the clock's `now`; None when the database failed it."""
        result = _unless_database_fails("upkeep", lambda: upkeep(self.sessions, self.now()), None)
        if result is not None:
            log.info("upkeep", extra=asdict(result))
        return result

    def stop(self) -> None:
        """Ask running jobs to end: a crawl kills its crawler and records its runs as failed."""
        self.stopping.set()

    def close(self) -> None:
        self.engine.dispose()


def _unless_database_fails(job: str, work: Callable[[], T], otherwise: T) -> T:
    """What `work` returns, or `otherwise` and one line of log when the database fails it
    (down, restarting, out of connections): the next tick tries again.

    Left to APScheduler, every tick of a database restart logged a whole traceback.
    """
    try:
        return work()
    except sa.exc.OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        log.error("%s skipped, the database failed: %s", job, reason, extra={"job": job})
        return otherwise


def _fields(summary: runner.RunSummary) -> dict:
    return {
        "source_id": summary.source_id,
        "run_id": summary.run_id,
        "status": summary.status,
        "counts": summary.counts,  # not spread: "created" is a LogRecord attribute
        "errors": summary.errors[:3],
    }
