"""Crawl runs judge every crawl, and only a clean one closes what a board stopped listing."""

from __future__ import annotations

import itertools
import json
import threading
import time

import sqlalchemy as sa

from models import crawl_runs
from models.tables import CrawlRun, Job, JobStatus, Listing
from scraper import runner
from scraper.runner import RunSummary, crawl
from tests.scraper.conftest import FIXTURES, jobs_of, source_row

GREENHOUSE = "/greenhouse/v1/boards/acme/jobs"
LEVER = "/lever/v0/postings/mistral"
SYNTHESIA = "/smartrecruiters/v1/companies/Synthesia/postings"


def greenhouse_jobs() -> list[dict]:
    return json.loads((FIXTURES / "greenhouse/v1/boards/acme/jobs.json").read_text())["jobs"]


def crawled_again(add_source, db_url: str, ats, board: dict) -> tuple[int, RunSummary]:
    """The Greenhouse source, crawled as recorded, and its second run once it answers `board`."""
    source = add_source("greenhouse", f"{GREENHOUSE}?content=true", "Acme AI")
    crawl([source], database_url=db_url)
    ats.replace_json(GREENHOUSE, board)
    [summary] = crawl([source], database_url=db_url)
    return source, summary


def crawling(source_ids: list[int], db_url: str, ats) -> threading.Thread:
    """A crawl of the sources in a thread, returned once its first request reached the board."""
    crawler = threading.Thread(target=crawl, args=(source_ids,), kwargs={"database_url": db_url})
    crawler.start()
    deadline = time.monotonic() + 30
    while not ats.arrivals and time.monotonic() < deadline:
        time.sleep(0.05)
    return crawler


def statuses(session, source_id: int) -> dict[str, str]:
    return {key: job.status for key, job in jobs_of(session, source_id).items()}


def test_broken_boards_fail_their_runs(add_source, db_url, session, ats, crawl_settings) -> None:
    crawl_settings(DOWNLOAD_TIMEOUT=1)
    ids = [
        add_source("greenhouse", "/status/404/v1/boards/gone/jobs?content=true", "Gone AI"),
        add_source("lever", "/status/500/v0/postings/down?mode=json", "Down AI"),
        add_source("ashby", "/truncated/ashby/posting-api/job-board/openai", "Cut AI"),
        add_source("recruitee", "/slow/3/recruitee/api/offers/", "Slow AI"),
        add_source("workable", "/recruitee/api/offers/", "Wrong Shape AI"),
    ]
    summaries = crawl(ids, database_url=db_url)
    assert [s.status for s in summaries] == ["failed"] * 5
    errors = [s.errors[0] for s in summaries]
    assert errors[0] == f"HTTP 404 from {ats.url('/status/404/v1/boards/gone/jobs?content=true')}"
    assert errors[1].startswith("HTTP 500 from ")
    assert errors[2].startswith("malformed JSON from ") and "(application/json)" in errors[2]
    assert errors[3].startswith("timed out fetching ")
    assert errors[4].endswith("no 'jobs' list")
    assert sum(1 for path, _ in ats.requests if path.startswith("/status/500/")) == 3  # 2 retries
    assert all(s.counts["scraped"] == 0 for s in summaries)
    assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_a_second_crawl_of_unchanged_boards_changes_nothing(add_source, db_url, session) -> None:
    ids = [
        add_source("greenhouse", f"{GREENHOUSE}?content=true", "Acme AI"),
        add_source("smartrecruiters", f"{SYNTHESIA}?limit=2", "Synthesia"),
    ]
    first = crawl(ids, database_url=db_url)
    assert [s.counts["created"] for s in first] == [3, 3]
    updated_at = {key: job.updated_at for key, job in jobs_of(session, ids[0]).items()}
    second = crawl(ids, database_url=db_url)
    assert [s.status for s in second] == ["succeeded", "succeeded"]
    for summary in second:
        assert summary.counts == {
            "scraped": 3,
            "created": 0,
            "updated": 0,
            "unchanged": 3,
            "closed": 0,
            "rejected": 0,
        }
    again = {key: job.updated_at for key, job in jobs_of(session, ids[0]).items()}
    assert again == updated_at
    assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 6


def test_a_clean_run_closes_what_the_board_no_longer_lists_until_it_returns(
    add_source, db_url, session, ats
) -> None:
    remaining = [job for job in greenhouse_jobs() if job["id"] != 4001002]
    source, summary = crawled_again(
        add_source, db_url, ats, {"jobs": remaining, "meta": {"total": 2}}
    )
    assert summary.status == "succeeded"
    assert summary.counts["closed"] == 1
    assert statuses(session, source) == {
        "4001001": JobStatus.PUBLISHED,
        "4001002": JobStatus.CLOSED,
        "4001003": JobStatus.PUBLISHED,
    }
    assert jobs_of(session, source)["4001002"].closed_at is not None
    assert source_row(session, source).last_success_at is not None
    ats.routes.clear()  # listed again: the same job re-opens
    [relisted] = crawl([source], database_url=db_url)
    assert (relisted.counts["created"], relisted.counts["updated"]) == (0, 1)
    assert statuses(session, source)["4001002"] == JobStatus.PUBLISHED


def test_a_failed_run_closes_nothing(add_source, db_url, session, ats) -> None:
    source = add_source("greenhouse", f"{GREENHOUSE}?content=true", "Acme AI")
    crawl([source], database_url=db_url)
    ats.replace(GREENHOUSE, '{"error": "maintenance"}', status=503)
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "failed"
    assert summary.counts["closed"] == 0
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}
    open_listings = session.scalar(
        sa.select(sa.func.count()).select_from(Listing).where(Listing.closed_at.is_(None))
    )
    assert open_listings == 3


def test_a_later_page_failing_makes_the_run_partial_and_closes_nothing(
    add_source, db_url, session, ats
) -> None:
    source = add_source("lever", f"{LEVER}?mode=json&limit=2", "Mistral AI")
    crawl([source], database_url=db_url)
    ats.replace(f"{LEVER}?mode=json&limit=2&skip=2", "oops", status=500)
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "partial"
    assert summary.counts["scraped"] == 2
    assert summary.counts["closed"] == 0
    assert summary.errors[0].startswith("HTTP 500 from ")
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_a_board_answering_empty_closes_nothing(add_source, db_url, session, ats) -> None:
    """An unknown SmartRecruiters company answers 200 with totalFound 0: no proof of closing."""
    source = add_source("smartrecruiters", SYNTHESIA, "Synthesia")
    crawl([source], database_url=db_url)
    empty = (FIXTURES / "smartrecruiters/v1/companies/Nobody/postings/index.json").read_text()
    ats.replace(SYNTHESIA, empty)
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "partial"
    assert "listed no postings while 3 listings are open" in summary.errors[0]
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_an_empty_board_that_never_had_listings_succeeds(add_source, db_url) -> None:
    source = add_source(
        "smartrecruiters", "/smartrecruiters/v1/companies/Nobody/postings", "Nobody"
    )
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "succeeded"
    assert summary.counts["scraped"] == 0


def test_mostly_rejected_postings_make_the_run_partial(add_source, db_url, session, ats) -> None:
    broken = [{**job, "title": "   "} for job in greenhouse_jobs()[:2]] + greenhouse_jobs()[2:]
    source, summary = crawled_again(add_source, db_url, ats, {"jobs": broken})
    assert summary.status == "partial"
    assert summary.counts["rejected"] == 2
    assert summary.errors[0] == "2 of 3 postings rejected; closing nothing"
    assert summary.errors[1] == "rejected 4001001: title: Must not be blank."
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_crawls_refuse_private_addresses_unless_allowed(
    add_source, db_url, session, monkeypatch
) -> None:
    source = add_source("recruitee", "/recruitee/api/offers/", "DeepL")
    monkeypatch.setenv("JOBBOARD_ALLOW_PRIVATE_SOURCES", "0")
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "failed"
    assert (
        "IgnoreRequest" in summary.errors[0] and "non-public address 127.0.0.1" in summary.errors[0]
    )
    assert jobs_of(session, source) == {}


def test_a_crawler_killed_midway_leaves_a_failed_run(add_source, db_url, session) -> None:
    source = add_source("recruitee", "/slow/20/recruitee/api/offers/", "DeepL")
    [summary] = crawl([source], database_url=db_url, timeout=4)
    assert summary.status == "failed"
    assert summary.errors == ["crawl timed out after 4 s and was stopped"]
    run = session.get(CrawlRun, summary.run_id)
    assert run.finished_at is not None


def test_a_running_crawl_keeps_its_heartbeat_fresh(
    add_source, db_url, sessions, crawl_settings
) -> None:
    crawl_settings(HEARTBEAT_SECONDS=0.2)
    source = add_source("recruitee", "/slow/3/recruitee/api/offers/", "DeepL")
    crawler = threading.Thread(target=crawl, args=([source],), kwargs={"database_url": db_url})
    crawler.start()
    beats = set()
    deadline = time.monotonic() + 30
    while crawler.is_alive() and time.monotonic() < deadline:
        with sessions() as session:
            run = session.scalar(sa.select(CrawlRun).where(CrawlRun.status == "running"))
            if run is not None:
                beats.add(run.heartbeat_at)
        time.sleep(0.25)
    crawler.join()
    assert len(beats) >= 4


def test_a_source_removed_mid_crawl_gives_its_postings_to_no_other_source(
    add_source, db_url, sessions, cli, ats
) -> None:
    """SQLite may give a new source the removed one's id: the crawl must not write into it."""
    doomed = add_source("greenhouse", f"/slow/2{GREENHOUSE}?content=true", "Acme AI")
    crawler = crawling([doomed], db_url, ats)
    assert cli("sources", "remove", str(doomed)).exit_code == 0
    add_source("lever", "/lever/v0/postings/mistral?mode=json", "Mistral AI")
    crawler.join()
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(CrawlRun)) == 0


def test_a_removed_sources_crawl_writes_nothing_under_the_run_given_its_id(
    add_source, db_url, sessions, cli, ats
) -> None:
    """SQLite gives the next run the removed run's id: the old crawler must not write into it."""
    other = add_source("lever", "/lever/v0/postings/mistral?mode=json", "Mistral AI")
    doomed = add_source("greenhouse", f"/slow/2{GREENHOUSE}?content=true", "Acme AI")
    crawler = crawling([doomed], db_url, ats)
    assert cli("sources", "remove", str(doomed)).exit_code == 0
    with sessions() as session:
        newer = crawl_runs.start(session, other)
        session.commit()
        newer_id = newer.id
    crawler.join()
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 0
        run = session.get(CrawlRun, newer_id)
        assert (run.status, run.scraped) == ("running", 0)


def test_a_crawl_whose_source_was_removed_stops_fetching_its_board(
    add_source, db_url, cli, ats, crawl_settings
) -> None:
    crawl_settings(INGEST_BATCH_SIZE=1)
    board = f"/slow/1{SYNTHESIA}"
    doomed = add_source("smartrecruiters", f"{board}?limit=1", "Synthesia")
    crawler = crawling([doomed], db_url, ats)
    assert cli("sources", "remove", str(doomed)).exit_code == 0
    crawler.join()
    fetched = [path for path, _ in ats.requests if path.startswith(board)]
    assert len(fetched) < 6  # three pages of one summary, three details: not all were asked


def test_sources_on_one_host_are_crawled_one_after_another(add_source, db_url, ats) -> None:
    """Per-domain limits hold across sources: a host's next board waits for the previous one."""
    slow = add_source("recruitee", "/slow/1.5/recruitee/api/offers/", "DeepL")
    quick = add_source("greenhouse", f"{GREENHOUSE}?content=true", "Acme AI")
    summaries = crawl([slow, quick], database_url=db_url)
    assert [s.status for s in summaries] == ["succeeded", "succeeded"]
    arrived = {path.split("/")[1]: at for path, at in ats.arrivals}
    assert arrived["greenhouse"] - arrived["slow"] >= 1.5


def test_a_run_queued_behind_a_slow_source_of_its_host_keeps_its_heartbeat(
    add_source, db_url, sessions, ats, monkeypatch
) -> None:
    """Its spider has not opened yet: without a heartbeat it would be failed as dead."""
    monkeypatch.setattr(runner, "KEEPALIVE_SECONDS", 0.2)
    slow = add_source("recruitee", "/slow/3/recruitee/api/offers/", "DeepL")
    queued = add_source("greenhouse", f"{GREENHOUSE}?content=true", "Acme AI")
    crawler = crawling([slow, queued], db_url, ats)
    beats = []
    for _ in range(2):
        time.sleep(0.8)
        with sessions() as session:
            run = session.scalar(sa.select(CrawlRun).where(CrawlRun.source_id == queued))
            beats.append((run.heartbeat_at, run.status))
    crawler.join()
    assert beats[0][0] < beats[1][0] and beats[1][1] == "running"


def test_a_board_asking_to_retry_after_a_second_is_not_asked_again_sooner(
    add_source, db_url, ats
) -> None:
    ats.replace(GREENHOUSE, '{"error": "slow down"}', status=429, headers={"Retry-After": "1"})
    source = add_source("greenhouse", f"{GREENHOUSE}?content=true", "Acme AI")
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "failed" and summary.errors[0].startswith("HTTP 429 from ")
    times = [at for path, at in ats.arrivals if path.startswith(GREENHOUSE)]
    assert len(times) == 3  # two retries, each a second or more after the answer before
    assert all(later - earlier >= 0.95 for earlier, later in itertools.pairwise(times))


def test_a_posting_in_an_unreadable_shape_costs_only_itself_and_closes_nothing(
    add_source, db_url, session, ats
) -> None:
    odd, *rest = greenhouse_jobs()
    source, summary = crawled_again(
        add_source, db_url, ats, {"jobs": [{**odd, "location": "Berlin"}, *rest]}
    )
    assert summary.status == "partial"
    assert summary.errors[0].startswith("could not read a posting on ")
    assert summary.counts["unchanged"] == len(rest)
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_a_rejected_posting_still_listed_keeps_its_job_open(add_source, db_url, session, ats):
    bad, *rest = greenhouse_jobs()
    source, summary = crawled_again(add_source, db_url, ats, {"jobs": [{**bad, "title": 5}, *rest]})
    assert summary.status == "succeeded" and summary.counts["rejected"] == 1
    assert summary.counts["closed"] == 0
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_a_posting_with_an_unreadable_date_is_stored_and_noted_in_a_clean_run(
    add_source, db_url, session, ats
):
    source = add_source("greenhouse", f"{GREENHOUSE}?content=true", "Acme AI")
    odd, *rest = greenhouse_jobs()
    ats.replace_json(GREENHOUSE, {"jobs": [{**odd, "first_published": "soon"}, *rest]})
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "succeeded"
    assert (summary.counts["created"], summary.counts["rejected"]) == (3, 0)
    assert summary.errors == [
        f"stored {odd['id']} without what could not be read: posted_at: Not a valid date or time."
    ]


def test_a_board_whose_every_posting_is_rejected_fails_its_run(add_source, db_url, session, ats):
    source, summary = crawled_again(
        add_source, db_url, ats, {"jobs": [{**job, "title": 5} for job in greenhouse_jobs()]}
    )
    assert summary.status == "failed"
    assert summary.errors[0] == "all 3 postings rejected; nothing stored"
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def lever_postings() -> list[dict]:
    return json.loads((FIXTURES / "lever/v0/postings/mistral.json").read_text())


def test_a_lever_board_that_ignores_skip_stops_paging_and_closes_nothing(
    add_source, db_url, session, ats
) -> None:
    """A cache in front of the board answers page one to every `skip`: full pages forever."""
    source = add_source("lever", f"{LEVER}?mode=json&limit=2", "Mistral AI")
    crawl([source], database_url=db_url)
    ats.replace_json(LEVER, lever_postings()[:2])
    [summary] = crawl([source], database_url=db_url, timeout=30)
    assert summary.status == "partial"
    assert summary.errors[0].startswith("stopped paging: ")
    assert "lists only postings of earlier pages" in summary.errors[0]
    assert len([p for p, _ in ats.requests if "skip=" in p]) == 2 + 2  # first crawl's two
    assert summary.counts["closed"] == 0
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_a_smartrecruiters_board_that_ignores_offset_stops_paging(
    add_source, db_url, session, ats
) -> None:
    """`totalFound` says more are coming, but every offset answers the same summaries."""
    source = add_source("smartrecruiters", f"{SYNTHESIA}?limit=3", "Synthesia")
    listing = json.loads(
        (FIXTURES / "smartrecruiters/v1/companies/Synthesia/postings/index.json").read_text()
    )
    ats.replace_json(SYNTHESIA, {**listing, "totalFound": 1_000_000})
    [summary] = crawl([source], database_url=db_url, timeout=30)
    assert summary.status == "partial"
    assert summary.errors[0].startswith("stopped paging: ")
    assert len([p for p, _ in ats.requests if "offset=" in p]) == 2
    assert len(jobs_of(session, source)) == 3


def test_a_smartrecruiters_board_whose_pages_end_before_its_total_closes_nothing(
    add_source, db_url, session, ats
) -> None:
    """`totalFound` says 3, the pages hold 2: the third was not seen, not shown closed."""
    source = add_source("smartrecruiters", f"{SYNTHESIA}?limit=2", "Synthesia")
    crawl([source], database_url=db_url)
    listing = json.loads(
        (FIXTURES / "smartrecruiters/v1/companies/Synthesia/postings/index.json").read_text()
    )
    ats.replace_json(SYNTHESIA, {**listing, "content": listing["content"][:2]}, paged=True)
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "partial"
    assert summary.errors[0] == (
        f"stopped paging: {ats.url(SYNTHESIA)}?limit=2&offset=2 lists no postings, "
        "but 2 of totalFound 3 were listed"
    )
    assert summary.counts["closed"] == 0
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_a_listing_entry_that_is_no_posting_object_makes_the_run_partial(
    add_source, db_url, session, ats
) -> None:
    """A null (or a list) where a posting should be is a posting the crawl could not read."""
    _, *rest = greenhouse_jobs()
    source, summary = crawled_again(
        add_source, db_url, ats, {"jobs": [None, *rest], "meta": {"total": 3}}
    )
    assert summary.status == "partial"
    assert summary.errors[0].endswith(": a null, not a posting object")
    assert summary.counts["unchanged"] == len(rest)
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_a_posting_without_an_id_makes_the_run_partial_and_closes_nothing(
    add_source, db_url, session, ats
) -> None:
    """Its listing cannot be told seen: absent from the run, it must not be closed by it."""
    odd, *rest = greenhouse_jobs()
    source, summary = crawled_again(add_source, db_url, ats, {"jobs": [{**odd, "id": None}, *rest]})
    assert summary.status == "partial"
    assert summary.errors[0].endswith(f"no id (title {odd['title']!r})")
    assert summary.counts["closed"] == 0
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}


def test_a_smartrecruiters_summary_without_an_id_makes_the_run_partial(
    add_source, db_url, session, ats
) -> None:
    source = add_source("smartrecruiters", SYNTHESIA, "Synthesia")
    crawl([source], database_url=db_url)
    listing = json.loads(
        (FIXTURES / "smartrecruiters/v1/companies/Synthesia/postings/index.json").read_text()
    )
    first, *rest = listing["content"]
    ats.replace_json(SYNTHESIA, {**listing, "content": [{**first, "id": {}}, *rest]})
    [summary] = crawl([source], database_url=db_url)
    assert summary.status == "partial"
    assert summary.errors[0].endswith(f"no id (title {first['name']!r})")
    assert summary.counts["closed"] == 0
    assert set(statuses(session, source).values()) == {JobStatus.PUBLISHED}
