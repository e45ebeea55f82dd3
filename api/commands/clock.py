"""`jobboard scheduler` (the clock process) and `jobboard expire`."""

from __future__ import annotations

import click

from models import lifecycle
from models.db import make_engine, make_session_factory, session_scope


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the clock: crawls when due, expiry and featured placements (Procfile `clock`)."""
    import scheduler

    scheduler.run()


@click.command("expire")
def expire() -> None:
    """Expire jobs past valid_through or unseen for JOBBOARD_STALE_DAYS, end passed featuring."""
    engine = make_engine()
    with session_scope(make_session_factory(engine)) as session:
        expired = lifecycle.expire_stale(session)
        unfeatured = lifecycle.end_featuring(session)
    engine.dispose()
    click.echo(f"expired {expired} jobs, ended {unfeatured} featured placements")


def register(main: click.Group) -> None:
    main.add_command(scheduler_command)
    main.add_command(expire)
