"""Jobs that give only a salary floor ("from $100,000") are filtered and sorted by it.

Revision ID: 0011_salary_floor_as_top
Revises: 0010_stemmed_tags_in_search
Create Date: 2026-12-04 21:45:00

`salary_annual_max` is what `salary_min=` and `sort=salary` read. It was null for a job
that gives only a floor, so "From $100,000 a year" was left out of `salary_min=90000`
and sorted below "Up to €90,000". Ingest now stores the floor there; this sets it on the
jobs stored before. A downgrade cannot tell those rows from others and leaves them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_salary_floor_as_top"
down_revision: str | None = "0010_stemmed_tags_in_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE jobs SET salary_annual_max = salary_annual_min"
        " WHERE salary_annual_max IS NULL AND salary_annual_min IS NOT NULL"
    )


def downgrade() -> None:
    pass
