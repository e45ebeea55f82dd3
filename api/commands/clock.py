"""`jobboard scheduler` (the clock process) and `jobboard expire` (its upkeep, once, now)."""

from __future__ import annotations

import click

from models import config
from models.db import make_engine, writer_session_factory
from models.types import utcnow


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the clock: crawls when due, expiry and featured placements (Procfile `clock`)."""
    import scheduler

    config.stale_days()  # its upkeep reads it every 5 minutes: a bad one is one line now
    scheduler.run()


@click.command("expire")
def expire() -> None:
    """Expire jobs past valid_through or unseen for JOBBOARD_STALE_DAYS, end passed featuring."""
    from scheduler.jobs import upkeep

    engine = make_engine()
    try:
        result = upkeep(writer_session_factory(engine), utcnow())
    finally:
        engine.dispose()
    click.echo(
        f"expired {result.jobs_expired} jobs, ended {result.featuring_ended} featured placements, "
        f"failed {result.dead_runs_failed} dead crawl runs, read {result.sponsor_postings_reread} "
        "sponsor postings again under new rules"
    )


def register(main: click.Group) -> None:
    main.add_command(scheduler_command)
    main.add_command(expire)
