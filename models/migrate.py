"""Schema migrations through alembic, callable without the alembic command."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from models import config


def alembic_config(url: str | None = None) -> Config:
    """The alembic config of this checkout, pointed at `url` (default DATABASE_URL)."""
    cfg = Config(str(config.ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(config.ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or config.database_url()).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at `url` to `revision`; safe to run on every start."""
    command.upgrade(alembic_config(url), revision)
