"""How PostgreSQL lays out a job, so that a search reads only what it needs."""

from __future__ import annotations

import sqlalchemy as sa

COLUMN_STORAGE = sa.text(
    """
    SELECT attname, attstorage, attcompression FROM pg_attribute
    WHERE attrelid = CAST(:table AS regclass) AND attname = ANY(:columns)
    """
)


def _storage(session, table: str, *columns: str) -> dict[str, tuple[str, str]]:
    rows = session.execute(COLUMN_STORAGE, {"table": table, "columns": list(columns)})
    return {name: (storage, compression) for name, storage, compression in rows}


def _has_lz4(session) -> bool:
    configure = sa.text("SELECT setting FROM pg_config WHERE name = 'CONFIGURE'")
    return "with-lz4" in (session.execute(configure).scalar() or "")


def test_a_jobs_search_document_stays_in_its_row_and_the_descriptions_move_out(pg_sessions):
    with pg_sessions() as session:
        storage = _storage(session, "jobs", "search_vector", "description_html", "description_text")
    assert storage["search_vector"][0] == "m"  # MAIN: out of line only as a last resort
    assert storage["description_html"][0] == storage["description_text"][0] == "x"


def test_long_texts_are_compressed_with_lz4_where_the_server_has_it(pg_sessions):
    with pg_sessions() as session:
        jobs = _storage(session, "jobs", "description_html", "description_text")
        listings = _storage(session, "listings", "payload")
        expected = "l" if _has_lz4(session) else ""
    assert {compression for _, compression in [*jobs.values(), *listings.values()]} == {expected}
