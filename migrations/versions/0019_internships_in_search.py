"""Search documents give an internship's title the word "internship".

Revision ID: 0019_internships_in_search
Revises: 0018_salary_in_usd
Create Date: 2026-12-05 07:00:00

Both databases stem "intern", "internal" and "international" alike, so a search for
"intern" listed every "Internal Tools Engineer" too. It now looks for "internship", which
the documents of internships (by employment type or level) hold (`models.search`). They
are rewritten with the SQL of `models.search` frozen here as it was at this revision.
"""

import unicodedata
from collections.abc import Sequence

from alembic import op

revision: str = "0019_internships_in_search"
down_revision: str | None = "0018_salary_in_usd"
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
_INTERNSHIP = "jobs.employment_type = 'internship' OR jobs.seniority = 'intern'"


def _kind(with_kind: bool) -> str:
    return f" || CASE WHEN {_INTERNSHIP} THEN ' internship' ELSE '' END" if with_kind else ""


def _pg_words(sql: str, kind: str = "") -> str:
    folded = f"CASE WHEN {sql} ~ '[À-ɏ]' THEN translate({sql}, '{_ACCENTED}', '{_PLAIN}')"
    text = f"{folded} ELSE {sql} END{kind}"
    after = "(?![a-z0-9_+#])"
    text = rf"regexp_replace({text}, '\mc\+\+{after}', 'cpp', 'gi')"
    text = rf"regexp_replace({text}, '\mc#{after}', 'csharp', 'gi')"
    return f"to_tsvector('english', {text})"


def _pg_rebuild(with_kind: bool) -> str:
    return f"""
        UPDATE jobs SET search_vector =
            setweight({_pg_words("jobs.title", _kind(with_kind))}, 'A')
            || setweight({_pg_words("companies.name")}, 'A')
            || setweight({_pg_words(_TAGS)}, 'B')
            || setweight({_pg_words("concat_ws(' ', jobs.location, jobs.remote)")}, 'B')
            || setweight({_pg_words("left(jobs.description_text, 200000)")}, 'C')
        FROM companies
        WHERE companies.id = jobs.company_id
    """


def _sqlite_respelled(sql: str) -> str:
    for written, word in (("C++", "cpp"), ("c++", "cpp"), ("C#", "csharp"), ("c#", "csharp")):
        sql = f"replace({sql}, '{written}', '{word}')"
    return sql


def _sqlite_refill(with_kind: bool) -> None:
    op.execute("DELETE FROM jobs_fts")
    op.execute(
        f"""
        INSERT INTO jobs_fts (rowid, title, company, tags, body, place)
        SELECT jobs.id, {_sqlite_respelled("jobs.title")}{_kind(with_kind)}, companies.name,
               (SELECT group_concat(value, ' ') FROM json_each(jobs.tags)),
               {_sqlite_respelled("jobs.description_text")},
               coalesce(jobs.location, '') || ' ' || coalesce(jobs.remote, '')
        FROM jobs JOIN companies ON companies.id = jobs.company_id
        """
    )


def _rewrite(with_kind: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_pg_rebuild(with_kind))
    else:
        _sqlite_refill(with_kind)


def upgrade() -> None:
    _rewrite(with_kind=True)


def downgrade() -> None:
    _rewrite(with_kind=False)
