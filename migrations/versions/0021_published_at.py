"""Jobs remember when they first went on the board, so the newsletter announces each once.

Revision ID: 0021_published_at
Revises: 0020_slash_parts_words_in_search
Create Date: 2026-12-06 09:00:00

The newsletter section's `since` selected jobs by updated_at, so a job came back in a later
issue, as if new, whenever its featured placement ended, its source fixed a typo, or it
closed and its listing returned. It now selects by published_at, set once when a job first
becomes public (`models.lifecycle.first_published_at`). Jobs stored before were public from
when they were first seen, unless they ended while waiting for review or were rejected; those,
and jobs waiting for review now, have none until a moderator approves them (a live job sent
back to review by its sponsor's edit cannot be told from a new posting: it counts from then).

An index of published jobs by published_at lets a section narrowed by other filters (a rare
tag, a place) start from the week's new jobs rather than walk every published job by date.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_published_at"
down_revision: str | None = "0020_slash_parts_words_in_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHED = sa.text("status = 'published'")


def upgrade() -> None:
    op.add_column("jobs", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE jobs SET published_at = first_seen_at"
        " WHERE status IN ('published', 'closed', 'expired') AND NOT ended_in_review"
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_jobs_published_published_at",
            ["published_at"],
            postgresql_where=PUBLISHED,
            sqlite_where=PUBLISHED,
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_published_published_at")
    op.execute("ALTER TABLE jobs DROP COLUMN published_at")  # SQLite 3.35+: no table rebuild
