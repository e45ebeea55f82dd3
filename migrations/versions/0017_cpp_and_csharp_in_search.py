"""Search documents spell "C++" and "C#" as the words a search for them looks for.

Revision ID: 0017_cpp_and_csharp_in_search
Revises: 0016_place_and_accents_in_search
Create Date: 2026-12-05 03:00:00

Both databases' parsers read "C++" and "C#" as "c", so a search for either listed the
jobs of both, and a title "C++ Engineer" ranked no higher than a passing mention. The
documents now hold "cpp" and "csharp" for them, as the query does (`models.search_terms`).
They are rewritten with the SQL of `models.search` frozen here as it was at this revision.
"""

import unicodedata
from collections.abc import Sequence

from alembic import op

revision: str = "0017_cpp_and_csharp_in_search"
down_revision: str | None = "0016_place_and_accents_in_search"
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


def _pg_words(sql: str, respell: bool) -> str:
    folded = f"CASE WHEN {sql} ~ '[À-ɏ]' THEN translate({sql}, '{_ACCENTED}', '{_PLAIN}')"
    text = f"{folded} ELSE {sql} END"
    if respell:
        after = "(?![a-z0-9_+#])"
        text = rf"regexp_replace({text}, '\mc\+\+{after}', 'cpp', 'gi')"
        text = rf"regexp_replace({text}, '\mc#{after}', 'csharp', 'gi')"
    return f"to_tsvector('english', {text})"


def _pg_rebuild(respell: bool) -> str:
    def words(sql: str) -> str:
        return _pg_words(sql, respell)

    return f"""
        UPDATE jobs SET search_vector =
            setweight({words("jobs.title")}, 'A')
            || setweight({words("companies.name")}, 'A')
            || setweight({words(_TAGS)}, 'B')
            || setweight({words("concat_ws(' ', jobs.location, jobs.remote)")}, 'B')
            || setweight({words("left(jobs.description_text, 200000)")}, 'C')
        FROM companies
        WHERE companies.id = jobs.company_id
    """


def _sqlite_text(sql: str, respell: bool) -> str:
    if respell:
        for written, word in (("C++", "cpp"), ("c++", "cpp"), ("C#", "csharp"), ("c#", "csharp")):
            sql = f"replace({sql}, '{written}', '{word}')"
    return sql


def _sqlite_refill(respell: bool) -> None:
    op.execute("DELETE FROM jobs_fts")
    op.execute(
        f"""
        INSERT INTO jobs_fts (rowid, title, company, tags, body, place)
        SELECT jobs.id, {_sqlite_text("jobs.title", respell)}, companies.name,
               (SELECT group_concat(value, ' ') FROM json_each(jobs.tags)),
               {_sqlite_text("jobs.description_text", respell)},
               coalesce(jobs.location, '') || ' ' || coalesce(jobs.remote, '')
        FROM jobs JOIN companies ON companies.id = jobs.company_id
        """
    )


def _rewrite(respell: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_pg_rebuild(respell))
    else:
        _sqlite_refill(respell)


def upgrade() -> None:
    _rewrite(respell=True)


def downgrade() -> None:
    _rewrite(respell=False)
