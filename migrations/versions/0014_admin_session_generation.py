"""Logging out ends every copy of a moderator's session.

Revision ID: 0014_admin_session_generation
Revises: 0013_ended_in_review
Create Date: 2026-12-05 01:00:00

A moderator's session is a signed cookie, which the server cannot take back: a copy of it
kept opening /admin/ after logout until it was 12 hours old. Sessions now carry their
user's generation, which logging out raises. Sessions begun before this upgrade carry
none, so each moderator logs in once more.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_admin_session_generation"
down_revision: str | None = "0013_ended_in_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "admin_users",
        sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE admin_users DROP COLUMN session_generation")  # SQLite 3.35+
