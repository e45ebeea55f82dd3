"""Alembic environment: the database comes from DATABASE_URL (or the caller's config)."""

from alembic import context

from models import config as settings
from models.db import make_engine
from models.tables import Base

target_metadata = Base.metadata


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
    with engine.connect() as connection:
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
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
