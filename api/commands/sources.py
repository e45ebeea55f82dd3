"""`jobboard sources add|list|remove|load`: the boards the crawler reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy.orm as so

from api.commands import ROW_ID
from models import sources
from models.db import make_engine, writer_session_factory
from models.tables import SOURCE_KINDS, Source


@contextmanager
def cli_session() -> Iterator[so.Session]:
    """A session on DATABASE_URL; bad input and database errors become messages, not tracebacks."""
    engine = make_engine()
    try:
        with writer_session_factory(engine)() as session:
            yield session
            session.commit()
    except sources.SourceError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()


def describe(source: Source) -> str:
    state = "enabled" if source.enabled else "disabled"
    last = f"{source.last_success_at:%Y-%m-%d %H:%M}" if source.last_success_at else "never"
    return (
        f"{source.id:>4}  {source.kind:<15} {state:<8} every {source.interval_minutes:>4} min  "
        f"last success {last:<16}  {source.company}  {source.url}"
    )


@click.group("sources")
def sources_group() -> None:
    """Sources: ATS boards and career pages the crawler reads."""


@sources_group.command("add")
@click.argument("kind", type=click.Choice(SOURCE_KINDS, case_sensitive=False))
@click.argument("url")
@click.option("--company", required=True, help="Company name shown on the board.")
@click.option(
    "--interval",
    type=click.IntRange(1, 7 * 24 * 60),
    default=sources.DEFAULT_INTERVAL_MINUTES,
    show_default=True,
    help="Minutes between crawls.",
)
def add(kind: str, url: str, company: str, interval: int) -> None:
    """Add a source: KIND and the full URL of its API or page."""
    with cli_session() as session:
        source = sources.add(session, sources.validate(kind, url, company, interval))
        click.echo(f"added source {source.id}: {source.kind} {source.url} ({source.company})")


@sources_group.command("list")
def list_sources() -> None:
    """List every source with its schedule and last successful crawl."""
    with cli_session() as session:
        rows = session.scalars(sources.all_sources()).all()
        for source in rows:
            click.echo(describe(source))
        if not rows:
            click.echo("no sources yet: `jobboard sources add` or `jobboard sources load FILE`")


@sources_group.command("remove")
@click.argument("source_id", type=ROW_ID)
def remove(source_id: int) -> None:
    """Remove a source, its listings and runs (its jobs stay until they expire)."""
    with cli_session() as session:
        source = sources.remove(session, source_id)
        click.echo(f"removed source {source_id}: {source.kind} {source.url}")


@sources_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load(file: Path) -> None:
    """Add the [[source]] entries of a TOML FILE that are not stored yet (idempotent)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read {file}: {exc}") from exc
    with cli_session() as session:
        try:
            result = sources.load(session, text)
        except sources.SourceError as exc:
            raise click.ClickException(
                f"{file} has bad entries, nothing was added:\n{exc}"
            ) from exc
        for source in result.added:
            click.echo(f"added source {source.id}: {source.kind} {source.url} ({source.company})")
        click.echo(f"{len(result.added)} added, {result.existing} already present")


def register(main: click.Group) -> None:
    main.add_command(sources_group)
