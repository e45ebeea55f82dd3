"""The clock process (`jobboard scheduler`, the Procfile's `clock`): APScheduler on a timer.

Two jobs, both idempotent and both deciding from the database (see scheduler.jobs):
every minute, crawl the sources that are due; every five minutes, upkeep (dead runs
failed, stale jobs expired, passed featured placements ended). Each job coalesces
missed runs into one and never overlaps itself; a run up to one period late still
happens, a later one is replaced by the next. A restart loses nothing, since nothing
is remembered: the first runs come a second after start.

SIGTERM (or Ctrl-C) stops a running crawl's child process at once, records its
runs as failed, and exits within seconds.
"""

from __future__ import annotations

import logging
import signal
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from api import logs
from models import config
from models.types import utcnow
from scheduler.jobs import Clock

log = logging.getLogger("jobboard.clock")

CRAWL_TICK = timedelta(minutes=1)
UPKEEP_EVERY = timedelta(minutes=5)
FIRST_TICK_AFTER = timedelta(seconds=1)


def build(clock: Clock) -> BackgroundScheduler:
    """The timer: each job at most once at a time, missed runs coalesced, late runs still run."""
    scheduler = BackgroundScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1}
    )
    first = utcnow() + FIRST_TICK_AFTER
    for job, every in ((clock.crawl_due, CRAWL_TICK), (clock.upkeep, UPKEEP_EVERY)):
        scheduler.add_job(
            job,
            "interval",
            seconds=every.total_seconds(),
            id=job.__name__,
            next_run_time=first,
            misfire_grace_time=int(every.total_seconds()),
        )
    return scheduler


def run(database_url: str | None = None) -> None:
    """Run the clock until SIGTERM or Ctrl-C; waits for the running job to wind down."""
    logs.configure()
    clock = Clock(database_url or config.database_url())
    scheduler = build(clock)

    def stop(signum: int, _frame: object) -> None:
        log.info("stopping on %s", signal.Signals(signum).name)
        clock.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
    log.info("clock started", extra={"jobs": [job.id for job in scheduler.get_jobs()]})
    try:
        while not clock.stopping.wait(1):
            pass
    finally:
        scheduler.shutdown(wait=True)
        clock.close()
        log.info("clock stopped")
