"""Full-text search behind one interface: tsvector + GIN on PostgreSQL, FTS5 on SQLite."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import id_lists
from models.db import dialect_of
from models.tables import Job
from models.upsert import Computed


def _accented_letters() -> tuple[str, str]:
    """Latin letters that carry diacritics, and the plain letters under them ("ü", "u")."""
    accented = [
        char
        for char in map(chr, range(0xC0, 0x250))
        if (parts := unicodedata.normalize("NFKD", char))[0].isascii()
        and len(parts) > 1
        and all(unicodedata.combining(mark) for mark in parts[1:])
    ]
    return "".join(accented), "".join(unicodedata.normalize("NFKD", c)[0] for c in accented)


# SQLite's tokenizer (unicode61) drops these diacritics, so "zurich" finds "Zürich" there;
# PostgreSQL's 'english' keeps them, so both the document and the query fold them.
ACCENTED, UNACCENTED = _accented_letters()
_FOLD = str.maketrans(ACCENTED, UNACCENTED)


def fold_accents(text: str) -> str:
    """text without the diacritics the search ignores: "Zürich" is "Zurich"."""
    return text.translate(_FOLD)


# Words the databases' parsers misread, as the tag every job naming them carries
# (models/normalize/tags.py): both parse "C++" as "c", which C# shares, and PostgreSQL's
# stemmer keeps "llms" apart from "llm".
RESPELLED = {"c++": "cpp", "llms": "llm"}
_RESPELLABLE = re.compile(r"(?<![\w+])(c\+\+|llms)(?![\w+])", re.IGNORECASE)


def searched_text(q: str) -> str:
    """q as the search reads it: accents folded, and misread words outside quotes respelled."""
    parts = fold_accents(q).split('"')
    for outside in range(0, len(parts), 2):
        parts[outside] = _RESPELLABLE.sub(lambda m: RESPELLED[m[0].lower()], parts[outside])
    return '"'.join(parts)


def _pg_document(row: str, company: str) -> str:
    """SQL of a job's weighted search document: title and company A, tags and place B,
    description C.

    Every part is stemmed as the query is ('english'), so "computer-vision" or "safety"
    finds the jobs tagged with them, and unaccented, so "zurich" finds "Zürich". The place
    (location and work setup) lets "python berlin" or "remote europe" find their jobs.
    """

    def words(sql: str) -> str:
        # translate() costs ~8 times the parsing: only a text with such letters pays it.
        folded = f"CASE WHEN {sql} ~ '[À-ɏ]' THEN translate({sql}, '{ACCENTED}', '{UNACCENTED}')"
        return f"to_tsvector('english', {folded} ELSE {sql} END)"

    tags = f"(SELECT string_agg(t, ' ') FROM jsonb_array_elements_text({row}.tags) t)"
    place = f"concat_ws(' ', {row}.location, {row}.remote)"
    return f"""
        setweight({words(f"{row}.title")}, 'A')
        || setweight({words(company)}, 'A')
        || setweight({words(f"coalesce({tags}, '')")}, 'B')
        || setweight({words(place)}, 'B')
        || setweight({words(f"left({row}.description_text, 200000)")}, 'C')"""


_PG_REINDEX = sa.text(
    f"""
    UPDATE jobs SET search_vector = {_pg_document("jobs", "companies.name")}
    FROM companies
    WHERE companies.id = jobs.company_id AND jobs.id = ANY(:ids)
    """
)
_SQLITE_DELETE = sa.text("DELETE FROM jobs_fts WHERE rowid IN (SELECT value FROM json_each(:ids))")
_SQLITE_INSERT = sa.text(
    """
    INSERT INTO jobs_fts (rowid, title, company, tags, body, place)
    SELECT jobs.id, jobs.title, companies.name,
           (SELECT group_concat(value, ' ') FROM json_each(jobs.tags)), jobs.description_text,
           coalesce(jobs.location, '') || ' ' || coalesce(jobs.remote, '')
    FROM jobs JOIN companies ON companies.id = jobs.company_id
    WHERE jobs.id IN (SELECT value FROM json_each(:ids))
    """
)
_WORD = re.compile(r"\w+", re.UNICODE)
# PostgreSQL's english stop words (tsearch_data/english.stop): its parser drops them from a
# query, so SQLite's must too, and a query of nothing else searches for nothing.
# fmt: off
STOP_WORDS = frozenset({
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
    "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
    "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
    "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
    "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
    "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
    "for", "with", "about", "against", "between", "into", "through", "during", "before",
    "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
    "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
    "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no",
    "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will",
    "just", "don", "should", "now",
})
# fmt: on


def reindex(session: so.Session, job_ids: Sequence[int]) -> None:
    """Refresh the search document of these jobs, in the ingest's transaction."""
    if not job_ids:
        return
    if dialect_of(session) == "postgresql":
        session.execute(_PG_REINDEX, {"ids": list(job_ids)})
    else:
        ids = json.dumps(list(job_ids))
        session.execute(_SQLITE_DELETE, {"ids": ids})
        session.execute(_SQLITE_INSERT, {"ids": ids})


def document_on_insert(dialect: str) -> Computed | None:
    """The search document to write within a new job's row, or None when `reindex` must follow.

    PostgreSQL keeps the document in the row, so writing it with the INSERT saves a
    second version of every new row; SQLite's FTS5 index is a table of its own.
    """
    if dialect != "postgresql":
        return None

    def document(row: Any) -> sa.ColumnElement[Any]:
        company = f"(SELECT name FROM companies WHERE companies.id = {row.name}.company_id)"
        return sa.literal_column(_pg_document(row.name, company))

    return {"search_vector": document}


_TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
MAX_WORDS = 16


def has_terms(q: str) -> bool:
    """Whether q holds a word the search can look for: one that is no stop word.

    A query of stop words only ("the", "IT") would match nothing on PostgreSQL and
    nearly everything on SQLite; the board treats it as no search at all instead.
    """
    return any(word.lower() not in STOP_WORDS for word in _WORD.findall(q))


def fts_query(q: str) -> str:
    """User text as an FTS5 query that means what PostgreSQL's websearch_to_tsquery makes of it.

    "quoted words" are a phrase, `or` between terms is OR, a leading `-` excludes a term,
    every other term is required; a hyphenated word is the phrase of its parts; a stop
    word standing alone is left out, as PostgreSQL leaves it out. Only
    quoted runs of word characters reach FTS5, so no syntax can be injected. FTS5 cannot
    match "everything but": an exclusion with nothing required beside it is left out here
    (see `fts_exclusions`), and an empty query matches nothing.
    """
    return " OR ".join(
        " AND ".join(required) + "".join(f" NOT {term}" for term in excluded)
        for required, excluded in _fts_groups(q)
        if required
    )


def fts_exclusions(q: str) -> str:
    """The FTS5 query of the terms a query of exclusions only ("-python -java") leaves out,
    or "" for any other query: such a query means every job but those that match this."""
    groups = _fts_groups(q)
    if len(groups) != 1 or groups[0][0]:
        return ""
    return " OR ".join(groups[0][1])


def _fts_groups(q: str) -> list[tuple[list[str], list[str]]]:
    """The OR-ed groups of q's terms, each (required, excluded), as quoted FTS5 phrases."""
    groups: list[tuple[list[str], list[str]]] = [([], [])]
    budget = MAX_WORDS
    for match in _TERM.finditer(q):
        minus, quoted, bare = match.groups()
        if quoted is None and not minus and bare.lower() == "or":
            groups.append(([], []))
            continue
        words = _WORD.findall(quoted if quoted is not None else bare)[:budget]
        if not words or (quoted is None and len(words) == 1 and words[0].lower() in STOP_WORDS):
            continue
        budget -= len(words)
        groups[-1][1 if minus else 0].append('"' + " ".join(words) + '"')
    return groups


def matches(dialect: str, q: str) -> sa.ColumnElement[bool]:
    """A WHERE clause: the job's title, company, tags, place or description contain the words
    of q."""
    q = searched_text(q)
    if dialect == "postgresql":
        query = sa.func.websearch_to_tsquery("english", q)
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
    q = searched_text(q)
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
        query = sa.func.websearch_to_tsquery("english", searched_text(q))
        return sa.func.ts_rank_cd(sa.literal_column("jobs.search_vector"), query)
    return sa.literal(0.0)
