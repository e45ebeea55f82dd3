"""`jobboard scheduler` (the clock process) and `jobboard expire` (its upkeep, once, now)."""

from __future__ import annotations

import click

from models import config
from models.db import make_engine, writer_session_factory
from models.types import utcnow
from scraper.overrides import BadOverrides, overrides


def check_clock_settings() -> None:
    """Read the settings the clock's jobs read, so a bad one is one line at its start: found
    by its first crawl, it was a traceback every minute while no source was ever crawled."""
    config.stale_days()  # its upkeep reads it every 5 minutes
    config.base_url()  # each crawl's User-Agent names it
    config.scrapyd_url()  # where each crawl runs
    try:
        overrides()  # each crawl's JOBBOARD_CRAWL_SETTINGS
    except BadOverrides as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the clock: crawls when due, expiry and featured placements (Procfile `clock`)."""
    import scheduler

    check_clock_settings()
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
