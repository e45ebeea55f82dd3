"""Search documents hold the job's place, and PostgreSQL's fold accents as SQLite's do.

Revision ID: 0016_place_and_accents_in_search
Revises: 0015_merged_jobs
Create Date: 2026-12-05 02:30:00

The location and work setup were in no search document, so "python berlin" or "remote
europe" found nothing on either database; and PostgreSQL kept diacritics where SQLite's
tokenizer drops them, so "zurich" missed "Zürich" there only. PostgreSQL's documents are
rewritten with the SQL of `models.search` frozen here as it was at this revision; SQLite's
FTS5 table gains a `place` column and is filled again.
"""

import unicodedata
from collections.abc import Sequence

from alembic import op

revision: str = "0016_place_and_accents_in_search"
down_revision: str | None = "0015_merged_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACCENTED = "".join(
    char
    for char in map(chr, range(0xC0, 0x250))
    if (parts := unicodedata.normalize("NFKD", char))[0].isascii()
    and len(parts) > 1
    and all(unicodedata.combining(mark) for mark in parts[1:])
)
_PLAIN = "".join(unicodedata.normalize("NFKD", char)[0] for char in _ACCENTED)


def _words(sql: str) -> str:
    folded = f"CASE WHEN {sql} ~ '[À-ɏ]' THEN translate({sql}, '{_ACCENTED}', '{_PLAIN}')"
    return f"to_tsvector('english', {folded} ELSE {sql} END)"


_TAGS = "coalesce((SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(jobs.tags) t), '')"
PG_REBUILD = f"""
    UPDATE jobs SET search_vector =
        setweight({_words("jobs.title")}, 'A')
        || setweight({_words("companies.name")}, 'A')
        || setweight({_words(_TAGS)}, 'B')
        || setweight({_words("concat_ws(' ', jobs.location, jobs.remote)")}, 'B')
        || setweight({_words("left(jobs.description_text, 200000)")}, 'C')
    FROM companies
    WHERE companies.id = jobs.company_id
"""
PG_REBUILD_BEFORE = """
    UPDATE jobs SET search_vector =
        setweight(to_tsvector('english', jobs.title), 'A')
        || setweight(to_tsvector('english', companies.name), 'A')
        || setweight(to_tsvector('english', coalesce(
               (SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(jobs.tags) t),
               '')), 'B')
        || setweight(to_tsvector('english', left(jobs.description_text, 200000)), 'C')
    FROM companies
    WHERE companies.id = jobs.company_id
"""
SQLITE_FILL = """
    INSERT INTO jobs_fts (rowid, {columns})
    SELECT jobs.id, jobs.title, companies.name,
           (SELECT group_concat(value, ' ') FROM json_each(jobs.tags)), jobs.description_text
           {place}
    FROM jobs JOIN companies ON companies.id = jobs.company_id
"""


def _sqlite_fts(columns: str, place: str) -> None:
    op.execute("DROP TABLE jobs_fts")
    op.execute(
        f"CREATE VIRTUAL TABLE jobs_fts USING fts5({columns}, tokenize = 'porter unicode61')"
    )
    op.execute(SQLITE_FILL.format(columns=columns, place=place))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_REBUILD)
    else:
        place = ", coalesce(jobs.location, '') || ' ' || coalesce(jobs.remote, '')"
        _sqlite_fts("title, company, tags, body, place", place)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_REBUILD_BEFORE)
    else:
        _sqlite_fts("title, company, tags, body", "")
