"""A crawl finding its postings unchanged rewrites their rows in place, adding no index entries.

Revision ID: 0022_sightings_in_place
Revises: 0021_published_at
Create Date: 2026-12-05 15:30:00

Each crawl writes that it saw every posting it found unchanged: the job's last_seen_at and
the listing's last_seen_at and run. Indexed last_seen_at (ix_jobs_status_last_seen), and
pages filled to the brim, made each of those writes a new row version elsewhere in the
table, with a new entry in every one of the job's 18 indexes, its search document's
~150 words in the full-text index among them. Measured on 20,000 benchmark postings with
autovacuum off: each unchanged re-ingest grew the jobs and listings tables by 39 MB each
and their indexes by ~9 MB, at 6,100 postings/s. With no index on a column a sighting
writes, and half of each page kept free (fillfactor 50; one crawl rewrites every row of a
page in one transaction), PostgreSQL rewrites the row in place (a HOT update): 15,000
postings/s, and the tables and indexes stay their size. A new job's INSERT is unchanged.
A row over half a page cannot have two versions on it and still moves: the benchmark's
descriptions draw on a 50-word vocabulary (search documents of ~1.6 kB), while 700 words of
English prose make one of 3.9 kB, which migration 0009 keeps in the row for searches' sake.

Expiry, the index's one reader, already scanned the table: it asks for jobs past
valid_through or unseen since a cutoff, which one index on last_seen_at cannot answer.

Pages already full keep their rows until they are next written; the new room applies to
pages written from now on (no table rewrite, no lock beyond the ALTER's brief one).
SQLite has no such rewrite; it only drops the index.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022_sightings_in_place"
down_revision: str | None = "0021_published_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGHTED = ("jobs", "listings")


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_status_last_seen")
    if op.get_bind().dialect.name == "postgresql":
        for table in SIGHTED:
            op.execute(f"ALTER TABLE {table} SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SIGHTED:
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_status_last_seen", ["status", "last_seen_at"])
