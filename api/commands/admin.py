"""`jobboard admin create-user NAME`: moderators for /admin/."""

from __future__ import annotations

import click

from api.commands.sponsors import database_session
from models import admin_users


@click.group("admin")
def admin_group() -> None:
    """Moderator accounts."""


@admin_group.command("create-user")
@click.argument("name")
@click.password_option(
    "--password",
    prompt="Password",
    confirmation_prompt=True,
    hide_input=True,
    help=f"At least {admin_users.MIN_PASSWORD_LENGTH} characters; asked when omitted.",
)
def create_user(name: str, password: str) -> None:
    """Add a moderator; the password is asked twice and stored as a scrypt hash."""
    try:
        with database_session() as session:
            user = admin_users.create(session, name, password)
            user_id = user.id
    except admin_users.AdminUserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"moderator {name!r} created (id {user_id}); log in at /admin/")


def register(main: click.Group) -> None:
    main.add_command(admin_group)
