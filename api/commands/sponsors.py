"""`jobboard sponsors ...`: API sponsors and their tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
import sqlalchemy.orm as so

from api.commands import ROW_ID
from models import sponsors
from models.db import make_engine, session_scope, writer_session_factory


@click.group("sponsors")
def sponsors_group() -> None:
    """Sponsors who post jobs through the token API."""


@contextmanager
def database_session() -> Iterator[so.Session]:
    """One unit of work on DATABASE_URL for a command; the engine is closed afterwards."""
    engine = make_engine()
    try:
        with session_scope(writer_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


@sponsors_group.command("create")
@click.argument("name")
@click.option("--email", required=True, help="Where to reach the sponsor.")
@click.option("--trusted", is_flag=True, help="Publish their postings without review.")
@click.option(
    "--featured-quota",
    type=click.IntRange(0, sponsors.MAX_FEATURED_QUOTA),
    default=0,
    show_default=True,
    help="How many of their jobs they may feature at a time.",
)
def create(name: str, email: str, trusted: bool, featured_quota: int) -> None:
    """Add a sponsor and print its API token (shown once; only a hash is stored)."""
    try:
        with database_session() as session:
            sponsor, token = sponsors.create(session, name, email, trusted=trusted)
            sponsors.set_featured_quota(session, sponsor.id, featured_quota)
            sponsor_id = sponsor.id
    except sponsors.SponsorError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"sponsor {sponsor_id} created{' (trusted)' if trusted else ''}")
    click.echo(f"API token (shown once, keep it secret): {token}")


@sponsors_group.command("list")
def list_sponsors() -> None:
    """One line per sponsor: id, name, e-mail, kind, status and featured quota."""
    with database_session() as session:
        for sponsor in session.scalars(sponsors.all_sponsors()):
            kind = "api" if sponsor.api_token_hash else "form"
            status = ("active" if sponsor.active else "revoked") + (
                ",trusted" if sponsor.trusted else ""
            )
            quota = f"featured_quota={sponsor.featured_quota}"
            click.echo(f"{sponsor.id}\t{sponsor.name}\t{sponsor.email}\t{kind}\t{status}\t{quota}")


@sponsors_group.command("revoke")
@click.argument("sponsor_id", type=ROW_ID)
def revoke(sponsor_id: int) -> None:
    """Disable a sponsor's token (and, for a form poster, its e-mail)."""
    _apply(lambda session: sponsors.revoke(session, sponsor_id), "revoked")


@sponsors_group.command("trust")
@click.argument("sponsor_id", type=ROW_ID)
@click.option("--off", is_flag=True, help="Stop trusting: postings wait for review again.")
def trust(sponsor_id: int, off: bool) -> None:
    """Let an API sponsor's postings publish without review."""
    _apply(lambda session: sponsors.set_trusted(session, sponsor_id, not off), "updated")


@sponsors_group.command("quota")
@click.argument("sponsor_id", type=ROW_ID)
@click.argument("featured", type=click.IntRange(0, sponsors.MAX_FEATURED_QUOTA))
def quota(sponsor_id: int, featured: int) -> None:
    """Let an API sponsor feature up to FEATURED of its jobs at a time (0: none)."""
    _apply(lambda session: sponsors.set_featured_quota(session, sponsor_id, featured), "updated")


def _apply(action, done: str) -> None:
    try:
        with database_session() as session:
            sponsor = action(session)
            line = (
                f"sponsor {sponsor.id} {done}: trusted={sponsor.trusted} active={sponsor.active}"
                f" featured_quota={sponsor.featured_quota}"
            )
    except sponsors.SponsorError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(line)


def register(main: click.Group) -> None:
    main.add_command(sponsors_group)
