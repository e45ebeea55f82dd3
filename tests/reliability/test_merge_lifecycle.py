"""Jobs merged by a crawl (models.ingest_batch) through the rest of their lifecycle, on
SQLite and PostgreSQL: reopenings, closes, and what their pages and apply links answer."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from models import sponsor_postings, sponsors
from models.ingest import upsert_postings
from models.ingest_batch import touch_jobs
from models.lifecycle import close_unseen
from models.tables import CrawlRun, Job, JobStatus, Listing, Source
from models.types import utcnow
from tests.factories import raw_posting


def make_source(session, name: str) -> Source:
    source = Source(kind="lever", url=f"https://api.lever.example/v0/postings/{name}", company=name)
    session.add(source)
    session.commit()
    return source


def in_london(title: str, key: str) -> dict:
    return raw_posting(company="Acme AI", location="London, UK", title=title, external_id=key)


def crawled_without(session, source: Source) -> None:
    """A clean run of `source` that listed nothing: its listings and lone jobs close."""
    run = CrawlRun(source_id=source.id, status="succeeded")
    session.add(run)
    session.commit()
    close_unseen(session, source.id, run.id)
    session.commit()


def in_berlin(title: str, key: str) -> dict:
    return raw_posting(
        company="Orbital Labs", location="Berlin, Germany", title=title, external_id=key
    )


def job_titled(session, title: str) -> Job:
    session.expire_all()
    return session.scalars(sa.select(Job).where(Job.title == title).order_by(Job.id)).first()


def stored_under_an_older_rule(session, job_ids: dict[int, str]) -> None:
    """As a release before the current fingerprint rule keyed these jobs ({job: key}); their
    listings' postings are read again by the next crawl."""
    for job_id, key in job_ids.items():
        session.execute(sa.update(Job).where(Job.id == job_id).values(fingerprint=key))
    session.execute(
        sa.update(Listing).where(Listing.job_id.in_(job_ids)).values(payload_hash="older rules")
    )
    session.commit()


def test_a_merged_job_listed_again_reopens_as_itself_and_closes_to_410(client, session):
    """'Sr. ML Engineer', keyed by an older rule, merged into 'Senior ML Engineer' while its
    third source had paused it; that source lists it again, retitled, and it reopens; closed
    once more, it is its own 410 page, not a redirect to the job it once merged into."""
    one, two, three = (make_source(session, name) for name in ("one", "two", "three"))
    older = in_london("Sr. ML Engineer", "b")
    upsert_postings(session, [older], source=two)
    upsert_postings(session, [in_london("Sr. ML Engineer", "c")], source=three)
    crawled_without(session, three)
    stored_under_an_older_rule(session, {job_titled(session, "Sr. ML Engineer").id: "0" * 40})
    upsert_postings(session, [in_london("Senior ML Engineer", "a")], source=one)
    upsert_postings(session, [older], source=two)  # read again, unchanged
    assert job_titled(session, "Sr. ML Engineer").merged_into_id is not None
    upsert_postings(session, [in_london("Data Engineer", "c")], source=three)
    reopened = job_titled(session, "Data Engineer")
    assert (reopened.status, reopened.merged_into_id) == (JobStatus.PUBLISHED, None)
    crawled_without(session, three)
    assert client.get(f"/jobs/{reopened.slug}").status_code == 410
    assert client.get(f"/j/{reopened.code}").status_code == 410


def test_two_crawls_merging_into_each_others_jobs_at_once_both_go_through(pg_sessions):
    """Source one's jobs, keyed by an older rule as source two's openings, and source two's
    as source one's: re-read at once, each crawl holds the job it merges into and would
    close the other's. Neither waits for the other, so neither batch is lost."""
    with pg_sessions() as session:
        one, two = make_source(session, "one"), make_source(session, "two")
        ids = {"P": one.id, "Q": two.id}
        jobs = {}
        postings = {company: openings_at(company, key) for company, key in (("P", "a"), ("Q", "b"))}
        for company in ("P", "Q"):
            source = session.get(Source, ids[company])
            counts = upsert_postings(session, postings[company], source=source)
            jobs[company] = [session.get(Job, o.job_id) for o in counts.outcomes]
        keys = {job.id: job.fingerprint for job in jobs["P"] + jobs["Q"]}
        stored_under_an_older_rule(session, {job_id: f"{job_id:040}" for job_id in keys})
        pairs = list(zip(jobs["P"], jobs["Q"], strict=True))
        crosswise = {p.id: keys[q.id] for p, q in pairs} | {q.id: keys[p.id] for p, q in pairs}
        stored_under_an_older_rule(session, crosswise)
    errors: list[BaseException] = []
    merged: list = []
    start = threading.Barrier(2)

    def recrawl(source_id: int, company: str) -> None:
        try:
            with pg_sessions() as session:
                source = session.get(Source, source_id)
                start.wait()
                merged.append(upsert_postings(session, postings[company], source=source))
        except BaseException as exc:
            errors.append(exc)

    crawls = [
        threading.Thread(target=recrawl, args=(ids["P"], "P")),
        threading.Thread(target=recrawl, args=(ids["Q"], "Q")),
    ]
    for crawl in crawls:
        crawl.start()
    for crawl in crawls:
        crawl.join()
    assert errors == []
    assert [counts.unchanged for counts in merged] == [50, 50]  # read again, as rules changed
    with pg_sessions() as session:
        moved = sa.select(sa.func.count()).where(Listing.job_id != Listing.id)
        assert session.scalar(moved) == 100  # every listing joined the other source's job


def openings_at(company: str, key: str, count: int = 50) -> list[dict]:
    return [
        raw_posting(
            company=company, location=f"Town {i}, UK", title="ML Engineer", external_id=f"{key}{i}"
        )
        for i in range(count)
    ]


def test_a_crawled_job_is_not_merged_into_an_untrusted_sponsors_job(client, session):
    """An untrusted sponsor may not take over an opening on the board: a crawled job re-read
    as the opening of such a sponsor's published job stays a job of its own, so the
    sponsor's edit (back to review) or close does not take it off the board."""
    _, token = sponsors.create(session, "Orbital Labs", "jobs@orbital.example")
    source = make_source(session, "orbital")
    posting = in_berlin("ML Engineer", "x")
    [crawled] = upsert_postings(session, [posting], source=source).outcomes
    stored_under_an_older_rule(session, {crawled.job_id: "0" * 40})
    fields = {"title": "ML Engineer", "company": "Orbital Labs", "location": "Berlin, Germany"}
    fields |= {"apply_url": "https://orbital.example/ml", "description": "Train models."}
    auth = {"Authorization": f"Bearer {token}"}
    posted = client.post("/api/v1/sponsor/jobs", json=fields, headers=auth).get_json()
    sponsor_postings.publish(session, session.get(Job, posted["id"]))
    session.commit()
    upsert_postings(session, [posting], source=source)  # read again, unchanged
    client.delete(f"/api/v1/sponsor/jobs/{posted['id']}", headers=auth)
    listed = client.get("/api/v1/jobs").get_json()["items"]
    assert [(job["title"], job["id"] != posted["id"]) for job in listed] == [("ML Engineer", True)]


def test_a_crawl_that_merges_nothing_locks_no_jobs_ahead(pg_sessions):
    """Only a batch with merges asks for the row locks of `_close_merged`; others pay nothing."""
    with pg_sessions() as session:
        source = make_source(session, "one")
        upsert_postings(session, [in_london("ML Engineer", "a")], source=source)
        statements: list[str] = []
        engine = session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        upsert_postings(session, [in_london("Data Engineer", "a")], source=source)
        assert statements and not [s for s in statements if "FOR NO KEY UPDATE" in s]


def test_a_clean_run_does_not_close_a_job_another_source_is_joining_meanwhile(pg_sessions):
    """Source two's run ends, unseen, the listing of the job source one's ingest is joining
    (it holds the job's row until it commits): the job waits, then stays open."""
    with pg_sessions() as session:
        one, two = make_source(session, "one"), make_source(session, "two")
        [made] = upsert_postings(session, [in_london("ML Engineer", "b")], source=two).outcomes
        ids = (one.id, two.id)
    joining = pg_sessions()
    touch_jobs(joining, [made.job_id], utcnow())  # as source one's ingest joins the job
    joining.add(Listing(source_id=ids[0], external_id="a", job_id=made.job_id, payload_hash="x"))
    joining.flush()
    closed: list[int] = []

    def clean_run_of_two() -> None:
        with pg_sessions() as session:
            crawled_without(session, session.get(Source, ids[1]))
            closed.append(session.get(Job, made.job_id).status)

    run = threading.Thread(target=clean_run_of_two)
    run.start()
    run.join(timeout=1)
    assert run.is_alive()  # waiting for the joining ingest's row lock
    joining.commit()
    joining.close()
    run.join(timeout=10)
    assert closed == [JobStatus.PUBLISHED]
