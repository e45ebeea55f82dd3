"""PostgreSQL: rebuild every job's search document with its tags stemmed like the query.

Revision ID: 0010_stemmed_tags_in_search
Revises: 0009_search_document_in_row
Create Date: 2026-12-04 21:30:00

Tags went into the document unstemmed ('simple') while searches are stemmed
('english'): "computer-vision", "safety" or "infrastructure" missed the jobs tagged
with them. The document is written by `models.search`; this rewrites the stored ones
with the same SQL, frozen here as it was at this revision.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_stemmed_tags_in_search"
down_revision: str | None = "0009_search_document_in_row"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REBUILD = """
    UPDATE jobs SET search_vector =
        setweight(to_tsvector('english', jobs.title), 'A')
        || setweight(to_tsvector('english', companies.name), 'A')
        || setweight(to_tsvector('{tags}', coalesce(
               (SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(jobs.tags) t),
               '')), 'B')
        || setweight(to_tsvector('english', left(jobs.description_text, 200000)), 'C')
    FROM companies
    WHERE companies.id = jobs.company_id
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REBUILD.format(tags="english"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REBUILD.format(tags="simple"))
