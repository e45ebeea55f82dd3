"""Crawl lease: at most one running crawl run per source.

Revision ID: 0003_crawl_run_lease
Revises: 0006_manage_tokens
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_crawl_run_lease"
down_revision: str | None = "0006_manage_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    # Runs left running by an older crawler would violate the new index: end them first.
    op.execute(
        "UPDATE crawl_runs SET status = 'failed', finish_reason = 'superseded by crawl lease' "
        "WHERE status = 'running'"
    )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.create_index(
            "uq_crawl_runs_source_running",
            ["source_id"],
            unique=True,
            postgresql_where=RUNNING,
            sqlite_where=RUNNING,
        )


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_index("uq_crawl_runs_source_running")
