"""The `jobboard` command: one click group, each area's commands in api/commands/."""

from __future__ import annotations

from typing import Any

import click
import sqlalchemy as sa

from api.commands import admin, clock, crawl, db, demo, newsletter, serve, sources, sponsors
from models.config import ConfigError
from models.db import schema_missing


class JobboardGroup(click.Group):
    """Any command that meets a bad DATABASE_URL or a database it cannot use ends with one line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except sa.exc.SQLAlchemyError as exc:
            raise click.ClickException(database_problem(exc)) from exc
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc


def database_problem(exc: sa.exc.SQLAlchemyError) -> str:
    """The driver's first line, and the fix when the schema is simply missing."""
    cause = getattr(exc, "orig", None) or exc
    first_line = (str(cause).strip().splitlines() or [""])[0]
    if schema_missing(exc):
        return f"the database has no jobboard tables ({first_line}): run `jobboard db upgrade`"
    return f"database error: {type(cause).__name__}: {first_line}"


@click.group(cls=JobboardGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """jobboard: the jobs microservice behind an AI newsletter."""


for module in (clock, db, demo, newsletter, serve, sponsors, admin, sources, crawl):
    module.register(main)
if __name__ == "__main__":
    main()
