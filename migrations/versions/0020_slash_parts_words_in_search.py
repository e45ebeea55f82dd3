"""PostgreSQL's search documents read words joined by a slash each on its own.

Revision ID: 0020_slash_parts_words_in_search
Revises: 0019_internships_in_search
Create Date: 2026-12-06 07:00:00

PostgreSQL's parser reads "AI/ML" or "PyTorch/JAX" as one file path, so on PostgreSQL a
search for "ml" or "jax" did not find a job titled "AI/ML Engineer" or asking for
"PyTorch/JAX", which SQLite's tokenizer reads as words. The documents now hold the words
(`models.search`). They are rewritten with the SQL of `models.search` frozen here as it
was at this revision; SQLite's index is unchanged.
"""

import unicodedata
from collections.abc import Sequence

from alembic import op

revision: str = "0020_slash_parts_words_in_search"
down_revision: str | None = "0019_internships_in_search"
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
_TAGS = "coalesce((SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(jobs.tags) t), '')"
_KIND = (
    " || CASE WHEN jobs.employment_type = 'internship' OR jobs.seniority = 'intern'"
    " THEN ' internship' ELSE '' END"
)


def _pg_words(sql: str, parted: bool, kind: str = "") -> str:
    folded = f"CASE WHEN {sql} ~ '[À-ɏ]' THEN translate({sql}, '{_ACCENTED}', '{_PLAIN}')"
    text = f"{folded} ELSE {sql} END{kind}"
    if parted:
        text = f"replace({text}, '/', ' ')"
    after = "(?![a-z0-9_+#])"
    text = rf"regexp_replace({text}, '\mc\+\+{after}', 'cpp', 'gi')"
    text = rf"regexp_replace({text}, '\mc#{after}', 'csharp', 'gi')"
    return f"to_tsvector('english', {text})"


def _pg_rebuild(parted: bool) -> None:
    op.execute(
        f"""
        UPDATE jobs SET search_vector =
            setweight({_pg_words("jobs.title", parted, _KIND)}, 'A')
            || setweight({_pg_words("companies.name", parted)}, 'A')
            || setweight({_pg_words(_TAGS, parted)}, 'B')
            || setweight({_pg_words("concat_ws(' ', jobs.location, jobs.remote)", parted)}, 'B')
            || setweight({_pg_words("left(jobs.description_text, 200000)", parted)}, 'C')
        FROM companies
        WHERE companies.id = jobs.company_id
        """
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_rebuild(parted=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_rebuild(parted=False)
