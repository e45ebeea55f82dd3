"""Schema migrations through alembic, callable without the alembic command."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from models import config
from models.db import make_engine


def alembic_config(url: str | None = None) -> Config:
    """The alembic config of this checkout, pointed at `url` (default DATABASE_URL)."""
    cfg = Config(str(config.checkout_path("alembic.ini")))
    cfg.set_main_option("script_location", str(config.checkout_path("migrations")))
    cfg.set_main_option("sqlalchemy.url", (url or config.database_url()).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at `url` to `revision`; safe to run on every start."""
    command.upgrade(alembic_config(url), revision)


def current(url: str | None = None) -> str | None:
    """The revision the database at `url` is at; None before the first migration."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
