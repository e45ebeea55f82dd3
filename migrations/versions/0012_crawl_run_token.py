"""A token naming each crawl run to its crawler.

Revision ID: 0012_crawl_run_token
Revises: 0011_salary_floor_as_top
Create Date: 2026-12-04 22:00:00

A source removed during its crawl takes its runs with it, and SQLite (rowid tables
without AUTOINCREMENT) gives the next run the removed run's id. The removed source's
crawler, still running, then wrote its postings under that newer run, into another
source, and could close that source's jobs. The crawler now names its run by id and
token. Rows stored before get a token of their own; the column stays nullable, since
making it NOT NULL on SQLite means rebuilding the table, whose DROP would cascade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_crawl_run_token"
down_revision: str | None = "0011_salary_floor_as_top"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANDOM_HEX = {
    "postgresql": "md5(random()::text || id::text)",
    "sqlite": "lower(hex(randomblob(16)))",
}


def upgrade() -> None:
    op.add_column("crawl_runs", sa.Column("token", sa.String(32), nullable=True))
    op.execute(f"UPDATE crawl_runs SET token = {RANDOM_HEX[op.get_bind().dialect.name]}")


def downgrade() -> None:
    op.execute("ALTER TABLE crawl_runs DROP COLUMN token")  # SQLite 3.35+: no table rebuild
