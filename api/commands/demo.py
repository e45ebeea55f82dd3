"""`jobboard demo`: bundled sample postings through the real ingest path."""

from __future__ import annotations

import click

from models import demo
from models.db import make_engine, writer_session_factory


@click.command("demo")
def demo_command() -> None:
    """Load the bundled sample AI jobs (idempotent: a second run changes nothing)."""
    engine = make_engine()
    with writer_session_factory(engine)() as session:
        counts = demo.load(session)
    engine.dispose()
    click.echo(
        f"demo: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged, {counts.rejected} rejected"
    )
    for note in counts.notes():
        click.echo(f"  {note}", err=True)


def register(main: click.Group) -> None:
    main.add_command(demo_command)
