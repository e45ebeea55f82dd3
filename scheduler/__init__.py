"""The clock process: APScheduler jobs that keep the board fresh on their own."""

from __future__ import annotations

import logging
import signal
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler

from models import lifecycle
from models.db import make_engine, make_session_factory, session_scope

log = logging.getLogger("jobboard.scheduler")


def expire_and_unfeature(sessions) -> None:
    """Expire stale jobs and end passed featured placements in one short transaction."""
    with session_scope(sessions) as session:
        expired = lifecycle.expire_stale(session)
        unfeatured = lifecycle.end_featuring(session)
    log.info("expired %d jobs, ended %d featured placements", expired, unfeatured)


def build(sessions) -> BlockingScheduler:
    """The clock's schedule; coalesce and a grace time so a restart neither skips nor piles up."""
    scheduler = BlockingScheduler(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    )
    scheduler.add_job(
        expire_and_unfeature,
        "interval",
        minutes=5,
        args=[sessions],
        id="expire",
        next_run_time=_soon(),
    )
    return scheduler


def _soon():
    from models.types import utcnow

    return utcnow() + timedelta(seconds=5)


def run() -> None:
    """Run the clock until SIGTERM or Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    engine = make_engine()
    scheduler = build(make_session_factory(engine))
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("scheduler started")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        engine.dispose()
