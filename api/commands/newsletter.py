"""`jobboard newsletter`: print the newsletter's jobs section, the same as /newsletter/jobs.*."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from models import config, newsletter
from models.db import make_engine, make_session_factory


class SinceType(click.ParamType):
    """An ISO 8601 time or a span back from now (36h, 7d, 2w)."""

    name = "since"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, datetime):
            return value
        try:
            return newsletter.parse_since(value)
        except newsletter.SinceOutOfRange:
            self.fail(f"{value!r} is out of range: use a time between the years 1 and 9999")
        except ValueError:
            self.fail(f"{value!r} is neither an ISO 8601 time nor a span like 7d", param, ctx)


@click.command("newsletter")
@click.option("--since", type=SinceType(), help="Only jobs published or updated since (7d, ISO).")
@click.option(
    "--limit",
    type=click.IntRange(1, newsletter.MAX_LIMIT),
    default=newsletter.DEFAULT_LIMIT,
    show_default=True,
)
@click.option(
    "--format", "fmt", type=click.Choice(newsletter.FORMATS), default="md", show_default=True
)
@click.option("--tag", "tags", multiple=True, help="Only jobs with this tag (repeatable).")
def newsletter_command(since: datetime | None, limit: int, fmt: str, tags: tuple[str, ...]) -> None:
    """Print the "Job opportunities" section, links tracked under via=newsletter."""
    engine = make_engine()
    try:
        with make_session_factory(engine)() as session:
            jobs = newsletter.select_jobs(session, since=since, tags=tags, limit=limit)
            click.echo(newsletter.render(jobs, config.base_url(), fmt), nl=False)
            if not jobs:  # on stderr: the section itself stays empty for the build to paste
                click.echo("no published job matches these options", err=True)
    finally:
        engine.dispose()


def register(main: click.Group) -> None:
    main.add_command(newsletter_command)
