"""Alembic environment: the database comes from DATABASE_URL (or the caller's config)."""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import context

from models import config as settings
from models.db import make_engine
from models.tables import Base

target_metadata = Base.metadata
MIGRATION_LOCK = 0x6A62_6462  # ASCII "jbdb": one key, apart from the crawl locks' two-key space


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url") or settings.database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or settings.database_url()
    engine = make_engine(url)
    try:
        with engine.connect() as connection, migrating_alone(connection):
            # One transaction per migration: a migration's locks (a rewrite of every search
            # document takes minutes on a large board) end with it, not with the last one.
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,
                transaction_per_migration=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


@contextmanager
def migrating_alone(connection: sa.Connection) -> Iterator[None]:
    """On PostgreSQL, hold the database's migration lock while migrating.

    Each machine's `release: jobboard db upgrade` may start at the same moment: unserialized,
    all but one failed on the tables and columns the first was adding. The others now wait,
    then find the schema current. SQLite is one machine's, and needs none.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
    connection.commit()  # a session lock: it outlives this transaction, not the connection
    try:
        yield
    finally:
        connection.rollback()  # a failed migration's transaction, if any, so unlocking can run
        connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
