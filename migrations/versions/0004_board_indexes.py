"""Board indexes: the salary sort's keyset and an index-only path for facet counts.

Revision ID: 0004_board_indexes
Revises: 0003_crawl_run_lease
Create Date: 2026-11-26 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_board_indexes"
down_revision: str | None = "0003_crawl_run_lease"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHED = sa.text("status = 'published'")


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        # sort=salary orders by coalesce(salary_annual_max, -1), id: walk this instead of sorting.
        batch_op.create_index(
            "ix_jobs_published_salary_sort",
            [sa.text("coalesce(salary_annual_max, -1)"), "id"],
            postgresql_where=PUBLISHED,
            sqlite_where=PUBLISHED,
        )
        # Facet counts read only these columns (and tags, and the usual filters' columns),
        # so PostgreSQL counts them from this index without touching the wide job rows.
        batch_op.create_index(
            "ix_jobs_published_facets",
            ["remote", "employment_type", "seniority", "country"],
            postgresql_where=PUBLISHED,
            sqlite_where=PUBLISHED,
            postgresql_include=["tags", "posted_at", "salary_annual_max", "company_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_published_facets")
        batch_op.drop_index("ix_jobs_published_salary_sort")
