"""Jobs that ended while waiting for review keep their pages hidden.

Revision ID: 0013_ended_in_review
Revises: 0012_crawl_run_token
Create Date: 2026-12-04 23:30:00

A posting closed by its sponsor (or expired) before a moderator saw it had a public 410
page showing its unreviewed title and company, as did a published job closed after an
unreviewed edit. Such jobs are now marked when they end, and their pages answer 404.
Jobs that ended before cannot be told apart and keep their pages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_ended_in_review"
down_revision: str | None = "0012_crawl_run_token"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "jobs",
        sa.Column("ended_in_review", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE jobs DROP COLUMN ended_in_review")  # SQLite 3.35+: no table rebuild
