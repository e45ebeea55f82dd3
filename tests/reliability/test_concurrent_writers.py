"""Writers side by side: a unit of work that reads, then writes, while others commit.

On SQLite a transaction that read before another writer committed cannot write at all
("database is locked", at once: waiting would not help). Every path that reads, then
writes, must take the write lock up front there. On PostgreSQL these simply pass.
"""

from __future__ import annotations

import sqlalchemy as sa

from models.ingest import upsert_postings
from models.outcomes import IngestCounts
from models.tables import Click, Job, Source
from scraper import database
from tests.factories import raw_posting


def test_apply_clicks_while_another_writer_commits_all_redirect_and_count(
    client, session, busy_writer
):
    job_id = ingest(session, [raw_posting()]).outcomes[0].job_id
    code = session.get(Job, job_id).code
    answers = [client.get(f"/j/{code}").status_code for _ in range(200)]
    assert set(answers) == {302}
    session.commit()
    assert session.scalar(sa.select(Click.count).where(Click.job_id == job_id)) == 200


def test_a_crawl_re_ingest_while_another_writer_commits_sights_every_posting(db_url, busy_writer):
    """Unchanged postings are looked up, then sighted: a read, then a write."""
    postings = [raw_posting() for _ in range(300)]
    with database.sessions(db_url)() as session:
        source = add_source(session)
        upsert_postings(session, postings, source=source)
        counts = upsert_postings(session, postings, source=source, batch_size=5)
        assert counts.unchanged == 300


def ingest(session, postings: list[dict]) -> IngestCounts:
    return upsert_postings(session, postings, source=add_source(session))


def add_source(session) -> Source:
    source = Source(kind="lever", url="https://api.lever.example/v0/postings/acme", company="A")
    session.add(source)
    session.commit()
    return source
