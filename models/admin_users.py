"""Moderators: created from the CLI, authenticated by a slow salted password hash."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.security import check_password_hash, generate_password_hash

from models.tables import AdminUser

MIN_PASSWORD_LENGTH = 12
# Checked when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AdminUserError(ValueError):
    """The user cannot be created as asked (name taken, password too short)."""


def create(session: so.Session, username: str, password: str) -> AdminUser:
    """A new moderator with a scrypt password hash (werkzeug's default)."""
    username = username.strip()
    if not username or len(username) > 80 or not username.isprintable():
        raise AdminUserError("the user name must be 1 to 80 characters on one line")
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise AdminUserError(
            f"the password must be at least {MIN_PASSWORD_LENGTH} characters, not only spaces"
        )
    taken = sa.select(AdminUser.id).where(sa.func.lower(AdminUser.username) == username.lower())
    if session.scalar(taken):  # "Alice" and "alice" would be two users no one can tell apart
        raise AdminUserError(f"user {username!r} exists already")
    user = AdminUser(username=username, password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    return user


def authenticate(session: so.Session, username: str, password: str) -> AdminUser | None:
    """The user when the password matches, else None, in about the same time either way."""
    user = session.scalar(sa.select(AdminUser).where(AdminUser.username == username.strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def get(session: so.Session, user_id: int) -> AdminUser | None:
    return session.get(AdminUser, user_id)


def end_sessions(user: AdminUser) -> None:
    """Log the user out everywhere: a session is a signed cookie, which the server cannot
    take back, so the sessions begun before this are refused by their generation instead."""
    user.session_generation = AdminUser.session_generation + 1
