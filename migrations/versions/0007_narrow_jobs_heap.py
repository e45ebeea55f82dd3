"""PostgreSQL: a narrow jobs heap and a trigram index for the location filter.

Revision ID: 0007_narrow_jobs_heap
Revises: 0004_board_indexes
Create Date: 2026-11-26 02:00:00

Descriptions kept inline made the jobs heap six times wider than the filtered columns,
so every filter the indexes cannot answer alone (location, tags, a common word) read
hundreds of megabytes at 100k jobs. Moving values out of line above 1 kB keeps the heap
at the columns the board filters on (313 -> 52 MB); `location ILIKE '%berlin%'` then
uses the trigram index instead of scanning every job. SQLite has neither and needs
neither at its sizes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_narrow_jobs_heap"
down_revision: str | None = "0004_board_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Applies to rows written from now on; `VACUUM FULL jobs` rewrites the existing ones.
    op.execute("ALTER TABLE jobs SET (toast_tuple_target = 1024)")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # a trusted extension since PG 13
    op.execute(
        "CREATE INDEX ix_jobs_published_location_trgm ON jobs "
        "USING gin (location gin_trgm_ops) WHERE status = 'published'"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_jobs_published_location_trgm")
    op.execute("ALTER TABLE jobs RESET (toast_tuple_target)")
