"""`jobboard db ...`: schema migrations."""

from __future__ import annotations

import click

from models import migrate


@click.group("db")
def db_group() -> None:
    """Database schema management (alembic)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION on DATABASE_URL."""
    try:
        migrate.upgrade(revision=revision)
        reached = migrate.current()
    except Exception as exc:  # alembic/driver errors become a message and exit 1, not a traceback
        raise click.ClickException(f"migration failed: {str(exc) or type(exc).__name__}") from exc
    click.echo(f"database at {reached or 'base (no migration applied)'}")


def register(main: click.Group) -> None:
    main.add_command(db_group)
