"""PostgreSQL: keep a job's search document in its row, and compress long texts with lz4.

Revision ID: 0009_search_document_in_row
Revises: 0008_column_facets_index
Create Date: 2026-12-04 14:00:00

A search asks which of up to 2,500 candidate jobs its words match, then ranks 1,000 of
them. Both read every candidate's tsvector. pglz seldom shrinks a tsvector by the quarter
it asks for, so the toaster stored it raw and, the row still being over 2 kB, moved it
out of line, the largest value left: each candidate then cost a TOAST index lookup
(8 buffers a row where 4 do). With STORAGE MAIN the descriptions, which only a job's
page, the API and the feeds read, go out of line instead. Measured on the benchmark's
100k jobs, both layouts freshly rewritten, back to back: matching "training" among 2,500
ids read 7,411 buffers instead of 17,379 (p50 14-15 ms instead of 27-34 ms on a slow
moment of the machine), ranking 1,000 ids 7-10 ms instead of 13-18 ms; the heap grows
from 156 to 195 MB; a new job's INSERT is unchanged within noise.

lz4 compresses and decompresses the long texts faster than pglz (PostgreSQL 14+, when
the server was built with it; otherwise pglz stays).

Rows written earlier keep their layout until they are next written; only speed differs.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_search_document_in_row"
down_revision: str | None = "0008_column_facets_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LONG_TEXTS = {"jobs": ("description_html", "description_text"), "listings": ("payload",)}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE jobs ALTER COLUMN search_vector SET STORAGE MAIN")
    _compress_long_texts("lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE jobs ALTER COLUMN search_vector SET STORAGE EXTENDED")
    _compress_long_texts("default")


def _compress_long_texts(method: str) -> None:
    """Set the compression of the long texts; a server without lz4 keeps its default."""
    for table, columns in LONG_TEXTS.items():
        changes = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in columns)
        op.execute(
            f"DO $$ BEGIN ALTER TABLE {table} {changes}; "
            "EXCEPTION WHEN feature_not_supported THEN NULL; END $$"
        )
