"""The column facets' own index: the four facet columns of published jobs, nothing else.

Revision ID: 0008_column_facets_index
Revises: 0007_location_trigram
Create Date: 2026-12-03 21:15:00

The board counts work setup, type, seniority and country in one scan grouped by all
four (`models.queries.column_facets`). The covering facet index carries tags and three
more columns for the other filters, which keeps btree deduplication off: 26 MB at 100k
jobs. These four columns alone deduplicate to under 1 MB, and the facets of a board with
no other filter (its front page) scan that instead: ~30% less time at 100k jobs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_column_facets_index"
down_revision: str | None = "0007_location_trigram"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHED = sa.text("status = 'published'")


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_jobs_published_facet_columns",
            ["remote", "employment_type", "seniority", "country"],
            postgresql_where=PUBLISHED,
            sqlite_where=PUBLISHED,
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_published_facet_columns")
