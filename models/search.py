"""Full-text search behind one interface: tsvector + GIN on PostgreSQL, FTS5 on SQLite."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import id_lists
from models.db import dialect_of
from models.search_terms import (
    ACCENTED,
    UNACCENTED,
    fold_accents,
    fts_exclusions,
    fts_query,
    tsquery,
)
from models.tables import Job
from models.upsert import Computed


def _pg_respelled(sql: str) -> str:
    """SQL of the text with "C++" and "C#" as the words the query searches for them
    (`search_terms.SPELLINGS`): the parser reads both as "c". A slash parts words, as in
    SQLite's tokenizer: the parser reads "AI/ML" or "PyTorch/JAX" as one file path, which
    no search for "ml" or "jax" finds."""
    after = "(?![a-z0-9_+#])"  # case-insensitive, as the whole match
    parted = f"replace({sql}, '/', ' ')"
    cpp = rf"regexp_replace({parted}, '\mc\+\+{after}', 'cpp', 'gi')"
    return rf"regexp_replace({cpp}, '\mc#{after}', 'csharp', 'gi')"


# A PostgreSQL pattern of the range the accented letters lie in (search_terms.ACCENTED).
_PG_ACCENTED_RANGE = "[À-ɏ]"


def _kind_words(row: str) -> str:
    """SQL of the words a job's title is searched with besides its own: " internship" for an
    internship (by its employment type or level), "" for any other job.

    Both databases stem "intern", "internal" and "international" alike, so a search for
    "intern" looks for this word instead (search_terms.SPELLINGS), which a title such as
    "Internal Tools Engineer" does not give its job.
    """
    internship = f"{row}.employment_type = 'internship' OR {row}.seniority = 'intern'"
    return f"CASE WHEN {internship} THEN ' internship' ELSE '' END"


def pg_document(row: str, company: str, description: str) -> str:
    """SQL of a job's weighted search document: title (with its kind, see `_kind_words`) and
    company A, tags and place B, description C (`description`: SQL of its text with accents
    folded, see FOLDED).

    Every part is stemmed as the query is ('english'), so "computer-vision" or "safety"
    finds the jobs tagged with them, and unaccented, so "zurich" finds "Zürich". The place
    (location and work setup) lets "python berlin" or "remote europe" find their jobs.
    """

    def words(sql: str) -> str:
        return f"to_tsvector('english', {_pg_respelled(sql)})"

    def folded(sql: str) -> str:
        # translate() costs ~8 times the parsing: only a text with such letters pays it.
        return (
            f"CASE WHEN {sql} ~ '{_PG_ACCENTED_RANGE}'"
            f" THEN translate({sql}, '{ACCENTED}', '{UNACCENTED}')"
            f" ELSE {sql} END"
        )

    tags = f"(SELECT string_agg(t, ' ') FROM jsonb_array_elements_text({row}.tags) t)"
    place = f"concat_ws(' ', {row}.location, {row}.remote)"
    return f"""
        setweight({words(f"{folded(f'{row}.title')} || {_kind_words(row)}")}, 'A')
        || setweight({words(folded(company))}, 'A')
        || setweight({words(folded(f"coalesce({tags}, '')"))}, 'B')
        || setweight({words(folded(place))}, 'B')
        || setweight({words(f"left({description}, 200000)")}, 'C')"""


# A description's accents are folded in Python, which passes the folded text along where
# folding changes it: PostgreSQL's translate() compares each character of the text with
# each of its ~230 letters, ~2 ms for a 300-word description (8 times its parsing), and
# descriptions carry accents often ("résumé", "Zürich"). The short parts fold in SQL.
FOLDED = "folded_description"


def _folded(text: str | None) -> str | None:
    """The text with its accents folded, or None when folding leaves it as it is."""
    folded = fold_accents(text) if text else text
    return folded if folded != text else None


_PG_ACCENTED = sa.text(
    "SELECT id, description_text FROM jobs"
    f" WHERE id = ANY(:ids) AND description_text ~ '{_PG_ACCENTED_RANGE}'"
)
_PG_REINDEX = sa.text(
    f"""
    UPDATE jobs SET search_vector = {
        pg_document("jobs", "companies.name", f"coalesce(given.{FOLDED}, jobs.description_text)")
    }
    FROM companies, jsonb_to_recordset(CAST(:jobs AS jsonb)) AS given(id bigint, {FOLDED} text)
    WHERE companies.id = jobs.company_id AND jobs.id = given.id
    """
)
_SQLITE_DELETE = sa.text("DELETE FROM jobs_fts WHERE rowid IN (SELECT value FROM json_each(:ids))")


def _sqlite_respelled(sql: str) -> str:
    """SQL of the text with "C++" and "C#" as the words the query searches for them."""
    for written, word in (("C++", "cpp"), ("c++", "cpp"), ("C#", "csharp"), ("c#", "csharp")):
        sql = f"replace({sql}, '{written}', '{word}')"
    return sql


_SQLITE_INSERT = sa.text(
    f"""
    INSERT INTO jobs_fts (rowid, title, company, tags, body, place)
    SELECT jobs.id, {_sqlite_respelled("jobs.title")} || {_kind_words("jobs")}, companies.name,
           (SELECT group_concat(value, ' ') FROM json_each(jobs.tags)),
           {_sqlite_respelled("jobs.description_text")},
           coalesce(jobs.location, '') || ' ' || coalesce(jobs.remote, '')
    FROM jobs JOIN companies ON companies.id = jobs.company_id
    WHERE jobs.id IN (SELECT value FROM json_each(:ids))
    """
)


def reindex(session: so.Session, job_ids: Sequence[int]) -> None:
    """Refresh the search document of these jobs, in the ingest's transaction."""
    if not job_ids:
        return
    if dialect_of(session) == "postgresql":
        accented = dict(session.execute(_PG_ACCENTED, {"ids": list(job_ids)}).all())
        given = [{"id": job_id, FOLDED: _folded(accented.get(job_id))} for job_id in job_ids]
        session.execute(_PG_REINDEX, {"jobs": json.dumps(given)})
    else:
        ids = json.dumps(list(job_ids))
        session.execute(_SQLITE_DELETE, {"ids": ids})
        session.execute(_SQLITE_INSERT, {"ids": ids})


@dataclasses.dataclass(frozen=True)
class InsertedDocument:
    """The search document a new job's row carries, computed by PostgreSQL with the INSERT."""

    computed: Computed
    inputs: tuple[str, ...] = (FOLDED,)

    @staticmethod
    def row(values: Mapping[str, Any]) -> dict[str, Any]:
        """The job's values, with what the document reads besides its columns."""
        return {**values, FOLDED: _folded(values["description_text"])}


def document_on_insert(dialect: str) -> InsertedDocument | None:
    """The search document to write within a new job's row, or None when `reindex` must follow.

    PostgreSQL keeps the document in the row, so writing it with the INSERT saves a
    second version of every new row; SQLite's FTS5 index is a table of its own.
    """
    if dialect != "postgresql":
        return None

    def document(row: Any) -> sa.ColumnElement[Any]:
        company = f"(SELECT name FROM companies WHERE companies.id = {row.name}.company_id)"
        description = f"coalesce({row.name}.{FOLDED}, {row.name}.description_text)"
        return sa.literal_column(pg_document(row.name, company, description))

    return InsertedDocument({"search_vector": document})


def matches(dialect: str, q: str) -> sa.ColumnElement[bool]:
    """A WHERE clause: the job's title, company, tags, place or description contain the words
    of q."""
    if dialect == "postgresql":
        query = sa.func.to_tsquery("english", tsquery(q))
        return sa.literal_column("jobs.search_vector").op("@@")(query)
    if terms := fts_query(q):
        return Job.id.in_(_fts_ids(terms))
    if excluded := fts_exclusions(q):
        return Job.id.not_in(_fts_ids(excluded))
    return sa.false()


def _fts_ids(terms: str) -> sa.Select:
    return (
        sa.select(sa.literal_column("rowid"))
        .select_from(sa.text("jobs_fts"))
        .where(sa.text("jobs_fts MATCH :fts_terms").bindparams(fts_terms=terms))
    )


def scored(dialect: str, q: str, candidates: sa.Select | Sequence[int]) -> sa.Subquery:
    """(id, score) of the candidate jobs (a select of ids, or the ids) that match q.

    A higher score is a better match. PostgreSQL ranks with ts_rank_cd over the weighted
    vector; SQLite with FTS5's bm25, weighted like the vector (title and company over tags
    over the description).
    """
    if dialect == "postgresql":
        # ts_rank_cd is a float4; as float8 its text form round-trips through the cursor exactly.
        score = sa.cast(rank(dialect, q), sa.Double)
        stmt = sa.select(Job.id, score.label("score")).where(_among(Job.id, candidates, dialect))
        return stmt.subquery("scored")
    terms = fts_query(q)
    if not terms:  # exclusions only: every candidate matches as well as another
        stmt = sa.select(Job.id, sa.literal(0.0).label("score"))
        return stmt.where(_among(Job.id, candidates, dialect)).subquery("scored")
    fts = sa.table("jobs_fts", sa.column("rowid"))
    weights = (10.0, 10.0, 5.0, 1.0, 5.0)  # title, company, tags, body, place
    bm25 = sa.func.bm25(sa.literal_column("jobs_fts"), *weights, type_=sa.Float)
    stmt = (
        sa.select(fts.c.rowid.label("id"), (-bm25).label("score"))
        .where(sa.text("jobs_fts MATCH :fts_terms").bindparams(fts_terms=terms))
        .where(_among(fts.c.rowid, candidates, dialect))
    )
    return stmt.subquery("scored")


def _among(
    column: sa.ColumnElement[int], candidates: sa.Select | Sequence[int], dialect: str
) -> sa.ColumnElement[bool]:
    if isinstance(candidates, sa.Select):
        return column.in_(candidates)
    return id_lists.one_of(column, candidates, dialect=dialect)


def rank(dialect: str, q: str) -> sa.ColumnElement[float]:
    """Relevance for ordering search results (higher is better)."""
    if dialect == "postgresql":
        query = sa.func.to_tsquery("english", tsquery(q))
        return sa.func.ts_rank_cd(sa.literal_column("jobs.search_vector"), query)
    return sa.literal(0.0)
