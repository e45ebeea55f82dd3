"""A job merged into another points to it, so its old links lead to the open one.

Revision ID: 0015_merged_jobs
Revises: 0014_admin_session_generation
Create Date: 2026-12-05 02:00:00

When a crawl re-reads a posting and finds it is the same opening as another open job (it
was edited to match it, or a release changed the fingerprint rule), its listing now joins
that job, and its own job closes as merged into it. Its page and apply link then redirect
to the open job instead of answering 410.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_merged_jobs"
down_revision: str | None = "0014_admin_session_generation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No foreign key: SQLite cannot add one to a table in place, nor later drop its column,
    # and jobs are never deleted.
    op.add_column("jobs", sa.Column("merged_into_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE jobs DROP COLUMN merged_into_id")  # SQLite 3.35+: no table rebuild
